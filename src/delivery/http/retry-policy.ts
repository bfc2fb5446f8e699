/** How SNS spaces the delays of the backoff phase between its minimum and maximum. */
export const BACKOFF_FUNCTIONS = ['linear', 'arithmetic', 'geometric', 'exponential'] as const;
export type BackoffFunction = (typeof BACKOFF_FUNCTIONS)[number];

/**
 * An HTTP(S) retry policy as SNS's `healthyRetryPolicy` spells it: four phases of retries
 * (immediate, pre-backoff at the minimum delay, backoff, post-backoff at the maximum
 * delay), delays in seconds.
 */
export interface RetryPolicy {
  minDelayTarget: number;
  maxDelayTarget: number;
  /** Retries in all phases together (the first attempt is not counted). */
  numRetries: number;
  numNoDelayRetries: number;
  numMinDelayRetries: number;
  numMaxDelayRetries: number;
  backoffFunction: BackoffFunction;
}

/** SNS's default HTTP(S) retry policy: three retries, 20 seconds apart. */
export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = {
  minDelayTarget: 20,
  maxDelayTarget: 20,
  numRetries: 3,
  numMaxDelayRetries: 0,
  numNoDelayRetries: 0,
  numMinDelayRetries: 0,
  backoffFunction: 'linear',
};

/**
 * The delay in seconds before retry number `retry` (1 for the first retry) under `policy`.
 * Retries past `numRetries` get the maximum delay. The backoff phase runs from
 * `minDelayTarget` (its first retry) to `maxDelayTarget` (its last) along the backoff
 * function's curve. Pure, so it is tested directly.
 */
export function retryDelaySeconds(retry: number, policy: RetryPolicy): number {
  const immediateEnd = policy.numNoDelayRetries;
  const preBackoffEnd = immediateEnd + policy.numMinDelayRetries;
  const backoffEnd = policy.numRetries - policy.numMaxDelayRetries;

  if (retry <= immediateEnd) return 0;
  if (retry <= preBackoffEnd) return policy.minDelayTarget;
  if (retry > backoffEnd) return policy.maxDelayTarget;

  const backoffRetries = backoffEnd - preBackoffEnd;
  const progress = backoffRetries <= 1 ? 0 : (retry - preBackoffEnd - 1) / (backoffRetries - 1);
  return backoffDelay(progress, policy);
}

/** The total seconds a delivery waits between its attempts when every retry fails. */
export function totalRetrySeconds(policy: RetryPolicy): number {
  let total = 0;
  for (let retry = 1; retry <= policy.numRetries; retry++) {
    total += retryDelaySeconds(retry, policy);
  }
  return total;
}

/** Number of doublings the exponential curve makes between the minimum and maximum. */
const EXPONENTIAL_DOUBLINGS = 10;

/** A delay `progress` (0 to 1) of the way along the backoff function's curve. */
function backoffDelay(progress: number, policy: RetryPolicy): number {
  const min = policy.minDelayTarget;
  const max = policy.maxDelayTarget;

  switch (policy.backoffFunction) {
    case 'linear':
      return min + (max - min) * progress;
    case 'arithmetic':
      return min + (max - min) * progress ** 2;
    case 'geometric':
      return min * (max / min) ** progress;
    case 'exponential': {
      const curve =
        (2 ** (EXPONENTIAL_DOUBLINGS * progress) - 1) / (2 ** EXPONENTIAL_DOUBLINGS - 1);
      return min + (max - min) * curve;
    }
  }
}
