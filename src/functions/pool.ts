import { availableParallelism } from 'node:os';
import { HeraldError } from '../errors/index.js';
import type { Logger } from '../log/logger.js';
import { FunctionWorkers, type FunctionCounters } from './function-workers.js';
import type { FunctionCode, Invocation, InvocationOutcome } from './invocation.js';
import type { HandlerLogLine } from './worker/protocol.mjs';

export type { FunctionCode, Invocation, InvocationOutcome } from './invocation.js';

/** How the pool sizes functions' workers and where it logs. */
export interface FunctionPoolOptions {
  /** Herald's logger; handler console output is forwarded to it. */
  logger: Logger;
  /** Most workers per function; defaults to the number of CPUs. */
  maxThreadsPerFunction?: number;
  /** Idle workers stop after this long (default 60 s): functions scale to zero. */
  idleTimeoutMs?: number;
}

/** A function's counters, for metrics. */
export interface FunctionStats {
  /** Handler module loads. */
  coldStarts: number;
  invocations: number;
  activeWorkers: number;
}

const DEFAULT_IDLE_TIMEOUT_MS = 60_000;

/**
 * Runs Lambda-style handlers in worker threads, off the server's event loop: one worker
 * pool per function, created on first use and replaced when the function's version
 * changes. A handler that throws, hangs or kills its worker fails only its own invocation.
 */
export class FunctionPool {
  readonly #logger: Logger;
  readonly #maxThreads: number;
  readonly #idleTimeoutMs: number;
  readonly #functions = new Map<string, FunctionWorkers>();
  readonly #counters = new Map<string, FunctionCounters>();
  readonly #retiring = new Set<Promise<void>>();
  readonly #captures = new Map<string, HandlerLogLine[]>();
  #closed = false;

  constructor(options: FunctionPoolOptions) {
    this.#logger = options.logger.child({ component: 'functions' });
    this.#maxThreads = options.maxThreadsPerFunction ?? availableParallelism();
    this.#idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  }

  /**
   * Invokes a batch of one function, each invocation with its own event. Resolves to one
   * outcome per invocation, in order; never rejects for handler faults. Rejects with
   * `ServiceUnavailable` once the pool is closed.
   */
  async invoke(fn: FunctionCode, invocations: Invocation[]): Promise<InvocationOutcome[]> {
    if (this.#closed) {
      throw new HeraldError('ServiceUnavailable', 'The function pool is closed', {
        functionName: fn.name,
      });
    }
    if (invocations.length === 0) return [];

    return this.#workersOf(fn).run(invocations);
  }

  /** Drops the function's workers (after redeploy or removal) once their batches finish. */
  async unload(name: string): Promise<void> {
    const workers = this.#functions.get(name);
    if (!workers) return;

    this.#functions.delete(name);
    await this.#retire(workers);
  }

  /**
   * Waits for in-flight invocations (up to `waitMs`), then stops every worker: invocations
   * still running then fail.
   */
  async close(waitMs = Infinity): Promise<void> {
    this.#closed = true;
    const all = [...this.#functions.values()];
    this.#functions.clear();

    await Promise.all(all.map((workers) => this.#retire(workers, waitMs)));
    await Promise.all(this.#retiring);
  }

  /**
   * Starts keeping the console lines of one invocation (for Lambda's `--log-type Tail`);
   * the returned function stops and hands them over.
   */
  captureLogs(requestId: string): () => HandlerLogLine[] {
    const lines: HandlerLogLine[] = [];
    this.#captures.set(requestId, lines);
    return () => {
      this.#captures.delete(requestId);
      return lines;
    };
  }

  /** Counters per function name: cold starts, invocations, workers alive. */
  stats(): Record<string, FunctionStats> {
    const stats: Record<string, FunctionStats> = {};
    for (const [name, counters] of this.#counters) {
      const activeWorkers = this.#functions.get(name)?.activeWorkers ?? 0;
      stats[name] = { ...counters, activeWorkers };
    }
    return stats;
  }

  #workersOf(fn: FunctionCode): FunctionWorkers {
    const current = this.#functions.get(fn.name);
    if (current?.version === fn.version) return current;
    if (current) void this.#retire(current);

    const workers = new FunctionWorkers(fn, {
      logger: this.#logger,
      maxThreads: this.#maxThreads,
      idleTimeoutMs: this.#idleTimeoutMs,
      counters: this.#countersOf(fn.name),
      onLine: (line) => {
        if (line.requestId !== undefined) this.#captures.get(line.requestId)?.push(line);
      },
    });
    this.#functions.set(fn.name, workers);
    return workers;
  }

  #countersOf(name: string): FunctionCounters {
    let counters = this.#counters.get(name);
    if (!counters) {
      counters = { coldStarts: 0, invocations: 0 };
      this.#counters.set(name, counters);
    }
    return counters;
  }

  #retire(workers: FunctionWorkers, waitMs = Infinity): Promise<void> {
    const retiring = workers.retire(waitMs);
    this.#retiring.add(retiring);
    void retiring.then(() => this.#retiring.delete(retiring));
    return retiring;
  }
}
