import { HeraldError } from '../errors/index.js';
import { fairShare } from './fair-share.js';
import { FunctionScaler, type ScalingPolicy } from './function-scaler.js';

export type { ScalingPolicy } from './function-scaler.js';

/** How the governor bounds functions' concurrency. */
export interface GovernorOptions extends ScalingPolicy {
  /** Executions all functions together may have (Lambda's account concurrency limit). */
  limit: number;
  /** The cap of a function without reserved concurrency. */
  defaultCap: number;
  /** A function's reserved concurrency, or undefined. */
  reservedOf(name: string): number | undefined;
}

/** One function's concurrency as metrics report it. */
export interface FunctionConcurrency {
  /** Invocations in flight now. */
  concurrency: number;
  /** The most invocations in flight at once since start. */
  peakConcurrency: number;
  /** Executions the function may use now (scaled to its backlog, its share granted). */
  limit: number;
  /** Deliveries waiting for an execution. */
  waiting: number;
}

/** How often scaling is re-evaluated while any function is active. */
const TICK_MS = 50;

/**
 * Decides how many invocations of each function may run at once. Each function scales to
 * its backlog at the configured rate, up to its reserved concurrency (or the default cap)
 * and gives executions back when idle; all functions together stay within the server-wide
 * limit, split fairly when contended. Whoever waits for capacity (the delivery engine)
 * registers a wake-up to hear when a function's limit grows.
 */
export class ConcurrencyGovernor {
  readonly #options: GovernorOptions;
  readonly #scalers = new Map<string, FunctionScaler>();
  readonly #wakes = new Map<string, Set<() => void>>();
  #timer: NodeJS.Timeout | undefined;

  constructor(options: GovernorOptions) {
    this.#options = options;
  }

  /** Invocations of `name` the engine may have in flight now. */
  limitOf(name: string): number {
    const scaler = this.#scalers.get(name);
    return scaler ? Math.max(0, scaler.granted - scaler.direct) : 0;
  }

  /** Tells the governor how many deliveries to `name` wait for an execution. */
  backlog(name: string, waiting: number): void {
    const scaler = this.#scalerOf(name);
    if (scaler.waiting === waiting) return;
    scaler.waiting = waiting;
    if (waiting > 0) this.#rescale();
  }

  /** Counts invocations of `name` starting; `direct` for Lambda API RequestResponse calls. */
  started(name: string, count: number, direct = false): void {
    this.#scalerOf(name).start(count, direct);
    this.#ensureTicking();
  }

  /** Counts invocations of `name` ending. */
  finished(name: string, count: number, direct = false): void {
    this.#scalerOf(name).finish(count, direct);
  }

  /**
   * Refuses a direct invocation when the function is at its cap (Lambda answers 429).
   * Reserved concurrency 0 throttles every invocation, as on Lambda.
   */
  admitDirect(name: string): void {
    const scaler = this.#scalerOf(name);
    if (scaler.inFlight >= this.#capOf(name)) {
      throw new HeraldError('TooManyRequestsException', 'Rate Exceeded.', { functionName: name });
    }
  }

  /** Checks that reserving `reserved` for `name` leaves room under the server-wide limit. */
  checkReservation(name: string, reserved: number, others: Iterable<number>): void {
    let total = reserved;
    for (const each of others) total += each;
    const minimumUnreserved = Math.min(100, Math.floor(this.#options.limit / 10));
    if (total > this.#options.limit - minimumUnreserved) {
      throw new HeraldError(
        'InvalidParameterValueException',
        `Specified ReservedConcurrentExecutions for function decreases account's ` +
          `UnreservedConcurrentExecution below its minimum value of [${minimumUnreserved}].`,
        { functionName: name },
      );
    }
  }

  /** Calls `wake` whenever the limit of `name` grows. */
  onCapacity(name: string, wake: () => void): void {
    let wakes = this.#wakes.get(name);
    if (!wakes) {
      wakes = new Set();
      this.#wakes.set(name, wakes);
    }
    wakes.add(wake);
  }

  /** Re-reads caps now (after a reserved-concurrency change). */
  reconsider(): void {
    this.#rescale();
  }

  /** Every function's concurrency that has been invoked since start. */
  snapshot(): Record<string, FunctionConcurrency> {
    const functions: Record<string, FunctionConcurrency> = {};
    for (const [name, scaler] of this.#scalers) {
      functions[name] = {
        concurrency: scaler.inFlight,
        peakConcurrency: scaler.peak,
        limit: scaler.granted,
        waiting: scaler.waiting,
      };
    }
    return functions;
  }

  /** Stops the scaling timer. */
  close(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #scalerOf(name: string): FunctionScaler {
    let scaler = this.#scalers.get(name);
    if (!scaler) {
      scaler = new FunctionScaler(this.#options, Date.now());
      this.#scalers.set(name, scaler);
    }
    return scaler;
  }

  #capOf(name: string): number {
    const { limit, defaultCap, reservedOf } = this.#options;
    return Math.min(limit, reservedOf(name) ?? defaultCap);
  }

  #rescale(): void {
    const now = Date.now();
    for (const [name, scaler] of this.#scalers) scaler.scale(this.#capOf(name), now);
    this.#allocate();
    this.#ensureTicking();
  }

  #allocate(): void {
    const names = [...this.#scalers.keys()];
    const scalers = [...this.#scalers.values()];
    const claims = names.map((name, index) => {
      const reserved = this.#options.reservedOf(name);
      const wanted = scalers[index]?.provisioned ?? 0;
      return reserved === undefined ? { wanted } : { wanted, reserved };
    });
    const granted = fairShare(claims, this.#options.limit);

    for (let i = 0; i < scalers.length; i++) {
      const scaler = scalers[i]!;
      const grown = (granted[i] ?? 0) > scaler.granted;
      scaler.granted = granted[i] ?? 0;
      if (grown) this.#wake(names[i]!);
    }
  }

  #wake(name: string): void {
    for (const wake of this.#wakes.get(name) ?? []) wake();
  }

  #ensureTicking(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => this.#tick(), TICK_MS);
    this.#timer.unref();
  }

  #tick(): void {
    this.#rescale();
    let active = false;
    for (const scaler of this.#scalers.values()) active ||= scaler.active;
    if (!active) this.close();
  }
}
