import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from '../../src/delivery/retry-schedule.js';

describe('backoffDelayMs', () => {
  const policy = { baseDelayMs: 1000, maxDelayMs: 5000 };

  it('starts at the base delay and doubles', () => {
    expect([1, 2, 3].map((attempt) => backoffDelayMs(attempt, policy))).toEqual([1000, 2000, 4000]);
  });

  it('never exceeds the ceiling', () => {
    expect(backoffDelayMs(10, policy)).toBe(5000);
  });
});
