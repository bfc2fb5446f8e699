import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RETRY_POLICY,
  retryDelaySeconds,
  totalRetrySeconds,
  type RetryPolicy,
} from '../../src/delivery/http/retry-policy.js';

function schedule(policy: RetryPolicy): number[] {
  return Array.from({ length: policy.numRetries }, (_, i) => retryDelaySeconds(i + 1, policy));
}

describe('retryDelaySeconds', () => {
  it("follows SNS's default HTTP policy: three retries, 20 seconds apart", () => {
    expect(schedule(DEFAULT_RETRY_POLICY)).toEqual([20, 20, 20]);
  });

  it("follows AWS's schedule for AWS-managed endpoints", () => {
    // 3 immediate, 2 at 1 s, 10 exponential from 1 s to 20 s, then 20 s apart.
    const policy: RetryPolicy = {
      minDelayTarget: 1,
      maxDelayTarget: 20,
      numRetries: 115,
      numNoDelayRetries: 3,
      numMinDelayRetries: 2,
      numMaxDelayRetries: 100,
      backoffFunction: 'exponential',
    };
    const delays = schedule(policy);
    expect(delays.slice(0, 3)).toEqual([0, 0, 0]);
    expect(delays.slice(3, 5)).toEqual([1, 1]);
    const backoff = delays.slice(5, 15);
    expect(backoff[0]).toBe(1);
    expect(backoff[9]).toBe(20);
    for (let i = 1; i < backoff.length; i++) expect(backoff[i]!).toBeGreaterThan(backoff[i - 1]!);
    expect(delays.slice(15).every((delay) => delay === 20)).toBe(true);
  });

  it("follows AWS's schedule for customer-managed endpoints", () => {
    // 0 immediate, 2 at 10 s, 10 exponential from 10 s to 600 s, 38 at 600 s: 50 attempts.
    const policy: RetryPolicy = {
      minDelayTarget: 10,
      maxDelayTarget: 600,
      numRetries: 50,
      numNoDelayRetries: 0,
      numMinDelayRetries: 2,
      numMaxDelayRetries: 38,
      backoffFunction: 'exponential',
    };
    const delays = schedule(policy);
    expect(delays.slice(0, 2)).toEqual([10, 10]);
    expect(delays[2]).toBe(10);
    expect(delays[11]).toBe(600);
    expect(delays.slice(12)).toEqual(new Array(38).fill(600));
    expect(totalRetrySeconds(policy)).toBeGreaterThan(6 * 3600);
  });

  it('spaces the backoff phase by each function, from minimum to maximum', () => {
    const base = {
      minDelayTarget: 1,
      maxDelayTarget: 16,
      numRetries: 5,
      numNoDelayRetries: 0,
      numMinDelayRetries: 0,
      numMaxDelayRetries: 0,
    };
    expect(schedule({ ...base, backoffFunction: 'linear' })).toEqual([1, 4.75, 8.5, 12.25, 16]);
    expect(schedule({ ...base, backoffFunction: 'arithmetic' })).toEqual([
      1, 1.9375, 4.75, 9.4375, 16,
    ]);
    expect(schedule({ ...base, backoffFunction: 'geometric' })).toEqual([1, 2, 4, 8, 16]);
    const exponential = schedule({ ...base, backoffFunction: 'exponential' });
    expect(exponential[0]).toBe(1);
    expect(exponential[4]).toBe(16);
    expect(exponential[2]!).toBeLessThan(2);
  });

  it('gives retries past numRetries the maximum delay', () => {
    expect(retryDelaySeconds(4, DEFAULT_RETRY_POLICY)).toBe(20);
  });
});
