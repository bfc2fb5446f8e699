/**
 * The piscina worker of a function's pool: loads the function's handler module once (a
 * cold start) and runs batches of invocations concurrently, many batches at a time, each
 * invocation with its own timeout.
 *
 * Plain JavaScript on purpose: a worker thread starts without the parent's module loader,
 * so this file must run on bare Node.js whether Herald runs from TypeScript sources (tsx,
 * vitest) or not. tsx is loaded only for a .ts handler. Types: ./protocol.d.mts.
 */
import { randomBytes } from 'node:crypto';
import process from 'node:process';
import { threadId, workerData } from 'node:worker_threads';
import { captureConsole, takeUnattributedLines } from './console-capture.mjs';
import { loadHandler } from './handler-module.mjs';
import { guardProcess } from './process-guard.mjs';
import { errorPayload } from './lambda-errors.mjs';
import { RECEIVED_AT, THREAD_ID, epochNow } from './protocol.mjs';
import { runInvocation } from './run-invocation.mjs';
import { failOnUnhandledRejection } from './unhandled-rejection.mjs';

/** @typedef {import('./protocol.d.mts').BatchTask} BatchTask */
/** @typedef {import('./protocol.d.mts').BatchResult} BatchResult */
/** @typedef {import('../invocation.js').InvocationOutcome} InvocationOutcome */

/** @type {import('./protocol.d.mts').WorkerConfig} */
const config = workerData;

/** This worker's log stream, named like Lambda's: one per execution environment. */
const logStreamName = `${today()}/[$LATEST]${randomBytes(16).toString('hex')}`;

process.env['AWS_LAMBDA_LOG_STREAM_NAME'] = logStreamName;

/**
 * The handler module, loading or loaded; batches that arrive while it loads wait for the
 * same load. Cleared when loading fails, so that the next batch tries again.
 * @type {Promise<import('./handler-module.mjs').LoadedHandler> | undefined}
 */
let loading;

failOnUnhandledRejection();
captureConsole();
guardProcess();

/**
 * Runs a batch: one outcome per invocation, in order. A module that fails to load fails
 * every invocation of the batch; the next batch tries again.
 * @param {BatchTask} task
 * @returns {Promise<BatchResult>}
 */
export default async function runBatch(task) {
  const progress = new Float64Array(task.progress);
  const receivedAt = epochNow();
  progress[RECEIVED_AT] = receivedAt;
  progress[THREAD_ID] = threadId;
  const coldStart = loading === undefined;

  /** @type {import('./handler-module.mjs').LoadedHandler} */
  let loaded;
  try {
    loaded = await (loading ??= loadHandler(config.dir, config.handler));
  } catch (error) {
    loading = undefined;
    const outcomes = initFailures(task, error, receivedAt);
    return { outcomes, coldStart, logs: takeUnattributedLines() };
  }

  /** @type {import('./protocol.d.mts').HandlerLogLine[]} */
  const lines = [];
  const scope = { loaded, config, logStreamName, progress, lines };
  const outcomes = await Promise.all(task.invocations.map((each) => runInvocation(scope, each)));

  return { outcomes, coldStart, logs: withUnattributed(lines) };
}

/**
 * The outcomes of a batch whose handler module failed to load: a crash of each invocation.
 * @param {BatchTask} task
 * @param {unknown} error
 * @param {number} receivedAt
 * @returns {InvocationOutcome[]}
 */
function initFailures(task, error, receivedAt) {
  const payload = errorPayload(error);
  const durationMs = epochNow() - receivedAt;
  return task.invocations.map(({ requestId }) => ({
    requestId,
    status: 'error',
    kind: 'crash',
    ...payload,
    startedAt: receivedAt,
    durationMs,
  }));
}

/**
 * A batch's lines preceded by those written outside any invocation since the last batch.
 * @param {import('./protocol.d.mts').HandlerLogLine[]} lines
 */
function withUnattributed(lines) {
  const unattributed = takeUnattributedLines();
  return unattributed.length === 0 ? lines : unattributed.concat(lines);
}

/** Today as Lambda's log stream names write it: `YYYY/MM/DD`. */
function today() {
  return new Date().toISOString().slice(0, 10).replaceAll('-', '/');
}
