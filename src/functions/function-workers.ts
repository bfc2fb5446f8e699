import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { Logger } from '../log/logger.js';
import {
  INIT_TIMEOUT_MS,
  STALL_GRACE_MS,
  watchBatch,
  type WatchdogLimits,
} from './batch-watchdog.js';
import type { FunctionCode, Invocation, InvocationOutcome } from './invocation.js';
import {
  failedInvocation,
  handoffFailed,
  isHandoffFailure,
  type TaskFailure,
  type TaskTrace,
} from './task-failure.js';
import { BATCHES_PER_WORKER, spreadThenShare } from './worker-balancer.js';
import { workerConfig, workerEnvironment } from './worker-setup.js';
import {
  PROGRESS_BYTES,
  STARTED_AT,
  THREAD_ID,
  epochNow,
  type BatchResult,
  type BatchTask,
  type HandlerLogLine,
} from './worker/protocol.mjs';

/**
 * The worker entry, next to this module in the sources. A plain .mjs file that tsc does
 * not emit: a build to dist/ must copy src/functions/worker/ alongside.
 */
const WORKER_FILE = fileURLToPath(new URL('./worker/worker.mjs', import.meta.url));

/** A function's counters, kept across its versions. */
export interface FunctionCounters {
  coldStarts: number;
  invocations: number;
}

/** How a function's workers are sized and where they report. */
export interface FunctionWorkersOptions {
  logger: Logger;
  maxThreads: number;
  idleTimeoutMs: number;
  counters: FunctionCounters;
  /** Sees every console line handler code writes, after it is logged. */
  onLine(line: HandlerLogLine): void;
}

type TaskAttempt =
  | { ok: true; outcomes: InvocationOutcome[] }
  | { ok: false; failure: TaskFailure; trace: TaskTrace };

/**
 * The workers of one version of one function: a piscina pool with the function's
 * environment and memory limit, scaling from zero. A thread runs many batches at once
 * (handlers awaiting I/O share it), under a watchdog that ends a thread whose event loop
 * is blocked. When a batch's thread goes down, its invocations run again, each alone on a
 * thread, so that only the culprit fails; a batch whose handler module cannot load fails
 * whole: no invocation caused that.
 */
export class FunctionWorkers {
  /** The function version these workers run. */
  readonly version: string;

  readonly #piscina: Piscina<BatchTask, BatchResult>;
  readonly #logger: Logger;
  readonly #counters: FunctionCounters;
  readonly #onLine: (line: HandlerLogLine) => void;
  readonly #timeoutMs: number;
  readonly #limits: WatchdogLimits;
  readonly #inFlight = new Set<Promise<InvocationOutcome[]>>();
  /** Threads the watchdog ended (a number each): their batches failed as timed out. */
  readonly #blocked = new Set<number>();

  constructor(fn: FunctionCode, options: FunctionWorkersOptions) {
    this.version = fn.version;
    this.#logger = options.logger.child({ functionName: fn.name });
    this.#counters = options.counters;
    this.#onLine = options.onLine;
    this.#timeoutMs = fn.timeoutSeconds * 1000;
    this.#limits = { stallMs: this.#timeoutMs + STALL_GRACE_MS, initMs: INIT_TIMEOUT_MS };

    this.#piscina = new Piscina({
      filename: WORKER_FILE,
      minThreads: 0,
      maxThreads: options.maxThreads,
      concurrentTasksPerWorker: BATCHES_PER_WORKER,
      loadBalancer: spreadThenShare(options.maxThreads),
      idleTimeout: options.idleTimeoutMs,
      env: workerEnvironment(fn),
      // Handlers start from bare Node.js: loaders Herald itself runs under (tsx, test
      // runners) would slow every cold start. TypeScript handlers load tsx on their own.
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: fn.memoryMb },
      workerData: workerConfig(fn),
    });
    this.#piscina.on('error', (error: unknown) => {
      this.#logger.warn({ err: error }, 'function worker died outside any invocation');
    });
  }

  /** Workers currently alive. */
  get activeWorkers(): number {
    return this.#piscina.threads.length;
  }

  /** Runs a batch to one outcome per invocation, in order; never rejects. */
  run(invocations: Invocation[]): Promise<InvocationOutcome[]> {
    this.#counters.invocations += invocations.length;
    const running = this.#run(invocations);
    const forget = (): boolean => this.#inFlight.delete(running);
    this.#inFlight.add(running);
    running.then(forget, forget);
    return running;
  }

  /**
   * Waits for the batches in flight (up to `waitMs`), then stops every worker: batches
   * still running then fail.
   */
  async retire(waitMs = Infinity): Promise<void> {
    const finished = Promise.allSettled(this.#inFlight);
    if (waitMs === Infinity) await finished;
    else await Promise.race([finished, new Promise((resolve) => setTimeout(resolve, waitMs))]);
    try {
      await this.#piscina.destroy();
    } catch (error) {
      this.#logger.warn({ err: error }, 'function workers did not stop cleanly');
    }
  }

  async #run(invocations: Invocation[], alone = false): Promise<InvocationOutcome[]> {
    const attempt = await this.#attempt(invocations, alone);
    if (attempt.ok) return attempt.outcomes;

    const handoff = isHandoffFailure(attempt.failure, attempt.trace);
    if (handoff && invocations.length === 1) {
      this.#logger.warn(
        { err: failureError(attempt.failure), requestId: invocations[0]?.requestId },
        'could not hand an invocation to a worker',
      );
      return invocations.map((each) => handoffFailed(each, attempt.trace));
    }
    const handlerCalled = (attempt.trace.progress[STARTED_AT] ?? 0) !== 0;
    const err = failureError(attempt.failure);
    // Its handlers had started: one of them, or another batch on the same thread, took the
    // thread down. Alone, each invocation shows whether it was the culprit.
    if ((handlerCalled || handoff) && (invocations.length > 1 || !alone)) {
      this.#logger.warn(
        { err, invocations: invocations.length },
        'batch failed as a whole: re-running its invocations one by one',
      );
      const outcomes = await Promise.all(invocations.map((each) => this.#run([each], true)));
      return outcomes.flat();
    }
    // No handler had started: the module's init failed, or another batch took the shared
    // thread down first. Alone, the batch tells which; an init failure fails it whole.
    if (!handlerCalled && !alone) return this.#run(invocations, true);
    return invocations.map((each) =>
      failedInvocation(each, attempt.failure, attempt.trace, this.#timeoutMs),
    );
  }

  /**
   * Runs a batch on a worker thread, beside other batches, or `alone` on a thread of its
   * own (piscina runs a cancellable task alone), which the re-run of a failed batch needs
   * so that no other batch shares its fate.
   */
  async #attempt(invocations: Invocation[], alone = false): Promise<TaskAttempt> {
    const buffer = new SharedArrayBuffer(PROGRESS_BYTES);
    const progress = new Float64Array(buffer);
    const abort = alone ? new AbortController() : undefined;
    const stopWatching = watchBatch(progress, this.#limits, () => {
      const threadId = progress[THREAD_ID] ?? 0;
      this.#blocked.add(threadId);
      if (abort) abort.abort();
      else this.#endThread(threadId);
    });
    const dispatchedAt = epochNow();

    try {
      const task = { invocations, progress: buffer };
      const result = await this.#piscina.run(task, abort ? { signal: abort.signal } : {});
      this.#record(result);
      return { ok: true, outcomes: result.outcomes };
    } catch (error) {
      const blocked = this.#blocked.has(progress[THREAD_ID] ?? 0);
      const failure: TaskFailure = blocked ? { stalled: true } : { stalled: false, error };
      this.#respawnIfStranded();
      return { ok: false, failure, trace: { dispatchedAt, progress } };
    } finally {
      stopWatching();
    }
  }

  /**
   * Ends a worker thread whose event loop is blocked: every batch on it fails, each as
   * timed out. Shared batches are not cancellable one by one, since piscina runs a
   * cancellable task alone on its thread.
   */
  #endThread(threadId: number): void {
    const thread = this.#piscina.threads.find((each) => each.threadId === threadId);
    void thread?.terminate();
  }

  /**
   * Piscina replaces a dead worker only when a new task arrives (with no minimum threads),
   * so batches queued behind workers that all died would wait forever. An empty batch is
   * such a new task: it makes piscina start a worker, which then takes the queue.
   */
  #respawnIfStranded(): void {
    const piscina = this.#piscina;
    if (piscina.queueSize === 0 || piscina.threads.length >= piscina.options.maxThreads) return;
    const progress = new SharedArrayBuffer(PROGRESS_BYTES);
    piscina.run({ invocations: [], progress }).catch(() => this.#respawnIfStranded());
  }

  #record(result: BatchResult): void {
    if (result.coldStart) this.#counters.coldStarts += 1;
    for (const line of result.logs) this.#forward(line);
  }

  #forward(line: HandlerLogLine): void {
    this.#logger[line.level]({ requestId: line.requestId }, line.message);
    this.#onLine(line);
  }
}

function failureError(failure: TaskFailure): unknown {
  return failure.stalled ? 'worker blocked past the timeout' : failure.error;
}
