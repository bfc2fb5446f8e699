/**
 * A token bucket holding at most one second's worth of tokens: `reserve()` takes a token
 * and answers how long to wait until it is really there, so callers queue up behind each
 * other at the rate, with a burst of one second's allowance after a quiet spell.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    readonly ratePerSecond: number,
    now: number = Date.now(),
  ) {
    this.tokens = ratePerSecond;
    this.updatedAt = now;
  }

  /** Takes one token; returns the ms to wait before using it (0 when one is at hand). */
  reserve(now: number = Date.now()): number {
    const refill = ((now - this.updatedAt) / 1000) * this.ratePerSecond;
    this.tokens = Math.min(this.ratePerSecond, this.tokens + refill);
    this.updatedAt = now;

    this.tokens -= 1;
    if (this.tokens >= 0) return 0;
    return Math.ceil((-this.tokens / this.ratePerSecond) * 1000);
  }
}
