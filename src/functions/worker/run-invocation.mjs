/**
 * Runs one invocation: calls the handler with its event and a context, settles on the first
 * of the returned promise, the callback (or a legacy context method) and the timeout, and
 * records the batch's progress for the pool's watchdog.
 */
import { clearTimeout, setTimeout } from 'node:timers';
import { withLogSink } from './console-capture.mjs';
import { lambdaContext } from './lambda-context.mjs';
import { errorPayload, timeoutPayload } from './lambda-errors.mjs';
import { PROGRESSED_AT, STARTED_AT, epochNow } from './protocol.mjs';
import { snsEventOf } from './sns-event.mjs';

/** @typedef {import('../invocation.js').Invocation} Invocation */
/** @typedef {import('../invocation.js').InvocationOutcome} InvocationOutcome */

/**
 * What the invocations of one batch share.
 * @typedef {object} BatchScope
 * @property {import('./handler-module.mjs').LoadedHandler} loaded
 * @property {import('./protocol.d.mts').WorkerConfig} config
 * @property {string} logStreamName
 * @property {Float64Array} progress
 * @property {import('./protocol.d.mts').HandlerLogLine[]} lines
 */

/**
 * Runs one invocation to its outcome; never rejects.
 * @param {BatchScope} scope
 * @param {Invocation} invocation
 * @returns {Promise<InvocationOutcome>}
 */
export function runInvocation(scope, invocation) {
  return new Promise((resolve) => {
    const { config, progress, loaded } = scope;
    const { requestId } = invocation;
    const startedAt = epochNow();
    if (progress[STARTED_AT] === 0) progress[STARTED_AT] = startedAt;
    progress[PROGRESSED_AT] = startedAt;
    let settled = false;

    /** @param {Record<string, unknown>} fields the outcome's status and what goes with it */
    const finish = (fields) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const endedAt = epochNow();
      progress[PROGRESSED_AT] = endedAt;
      const durationMs = endedAt - startedAt;
      resolve(/** @type {InvocationOutcome} */ ({ requestId, ...fields, startedAt, durationMs }));
    };
    /** @param {unknown} error */
    const fail = (error) => finish({ status: 'error', kind: 'handler', ...errorPayload(error) });
    /** @param {unknown} returned */
    const succeed = (returned) => {
      if (settled) return;
      const marshalled = marshal(returned);
      if (marshalled.failed) fail(marshalled.error);
      else finish({ status: 'ok', result: marshalled.result });
    };
    /** @type {import('./lambda-context.mjs').Settle} */
    const done = (error, result) =>
      error === undefined || error === null ? succeed(result) : fail(error);
    const timedOut = () =>
      finish({ status: 'error', kind: 'timeout', ...timeoutPayload(requestId, config.timeoutMs) });

    const timer = setTimeout(timedOut, config.timeoutMs);
    const deadline = startedAt + config.timeoutMs;
    const context = lambdaContext(config, scope.logStreamName, requestId, deadline, done);
    const sink = { requestId, lines: scope.lines };

    withLogSink(sink, () => {
      try {
        const event = 'sns' in invocation ? snsEventOf(invocation.sns) : invocation.payload;
        const returned = loaded.callbackStyle
          ? loaded.handler(event, context, done)
          : loaded.handler(event, context);
        if (isThenable(returned)) returned.then(succeed, fail);
        else if (!loaded.callbackStyle) succeed(returned);
      } catch (error) {
        fail(error);
      }
    });
  });
}

/**
 * @param {unknown} value
 * @returns {value is PromiseLike<unknown>}
 */
function isThenable(value) {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (/** @type {PromiseLike<unknown>} */ (value).then) === 'function'
  );
}

/**
 * A handler's result as Lambda returns it: JSON-serialized, so only JSON values come back.
 * Primitives pass as they are; the no-op case (undefined) costs nothing.
 * @param {unknown} value
 * @returns {{ failed: false, result: unknown } | { failed: true, error: Error }}
 */
function marshal(value) {
  const type = typeof value;
  if (value === undefined || value === null || type === 'string' || type === 'boolean') {
    return { failed: false, result: value };
  }
  try {
    const text = JSON.stringify(value);
    return { failed: false, result: text === undefined ? undefined : JSON.parse(text) };
  } catch (cause) {
    const error = new Error(`Unable to stringify response body as json: ${String(cause)}`);
    error.name = 'Runtime.MarshalError';
    return { failed: true, error };
  }
}
