/** How fast functions gain executions under a backlog and when they give them back. */
export interface ScalingPolicy {
  /** Executions a function may add per second while deliveries wait. */
  scaleUpPerSecond: number;
  /** Executions a function may add at once after a quiet spell (the token bucket's size). */
  scaleUpBurst: number;
  /** Executions unused for this long are released; an idle function scales to zero. */
  idleReleaseMs: number;
}

/**
 * The concurrency of one function: the executions it has (_provisioned_, grown through a
 * token bucket refilled at the scale-up rate), the share of them the server grants it, and
 * what it is using. An execution here is one invocation in flight.
 */
export class FunctionScaler {
  /** Invocations in flight now, through every path. */
  inFlight = 0;
  /** Of those, invocations made directly (Lambda API RequestResponse), not by the engine. */
  direct = 0;
  /** Deliveries waiting for an execution. */
  waiting = 0;
  /** The most invocations in flight at once so far. */
  peak = 0;
  /** Executions the function has scaled to. */
  provisioned = 0;
  /** Executions the server grants it out of the shared limit. */
  granted = 0;

  readonly #policy: ScalingPolicy;
  #tokens: number;
  #refilledAt: number;
  #busyAt: number;

  constructor(policy: ScalingPolicy, now: number) {
    this.#policy = policy;
    this.#tokens = policy.scaleUpBurst;
    this.#refilledAt = now;
    this.#busyAt = now;
  }

  /** Counts invocations starting. */
  start(count: number, direct: boolean): void {
    this.inFlight += count;
    if (direct) this.direct += count;
    if (this.inFlight > this.peak) this.peak = this.inFlight;
  }

  /** Counts invocations ending. */
  finish(count: number, direct: boolean): void {
    this.inFlight -= count;
    if (direct) this.direct -= count;
  }

  /** True while the function holds or wants executions. */
  get active(): boolean {
    return this.provisioned > 0 || this.waiting > 0 || this.inFlight > 0;
  }

  /**
   * Grows the executions toward what the backlog needs (as tokens allow), or releases
   * those unused for the idle time; never above `cap`. Returns true when they changed.
   */
  scale(cap: number, now: number): boolean {
    const { scaleUpPerSecond, scaleUpBurst, idleReleaseMs } = this.#policy;
    const elapsed = Math.max(0, now - this.#refilledAt) / 1000;
    this.#tokens = Math.min(scaleUpBurst, this.#tokens + elapsed * scaleUpPerSecond);
    this.#refilledAt = now;

    const before = this.provisioned;
    const wanted = Math.min(cap, this.waiting + this.inFlight);
    if (wanted >= this.provisioned) {
      this.#busyAt = now;
      const added = Math.min(Math.floor(this.#tokens), wanted - this.provisioned);
      this.provisioned += added;
      this.#tokens -= added;
    } else if (now - this.#busyAt >= idleReleaseMs) {
      this.provisioned = wanted;
    }

    if (this.provisioned > cap) this.provisioned = cap;
    return this.provisioned !== before;
  }
}
