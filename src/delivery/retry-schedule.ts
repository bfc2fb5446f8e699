/** Exponential backoff: how long to wait before retries, from one place. */
export interface BackoffPolicy {
  /** Delay before the first retry, ms. */
  baseDelayMs: number;
  /** Ceiling of any one delay, ms. */
  maxDelayMs: number;
}

/**
 * The delay before retry number `attempt` (1-based): base, then doubling, capped. Pure, so
 * it is tested directly.
 */
export function backoffDelayMs(attempt: number, policy: BackoffPolicy): number {
  const exponent = Math.max(0, attempt - 1);
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** exponent);
}
