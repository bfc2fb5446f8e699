import { describe, expect, it } from 'vitest';
import { CLUSTER_STRIDE, SequenceNumbers } from '../../src/core/sequence-numbers.js';

describe('SequenceNumbers', () => {
  it('increase strictly from the clock in microseconds on one node', () => {
    const numbers = new SequenceNumbers(0);
    const now = 1_800_000_000_000;
    expect([numbers.next(now), numbers.next(now), numbers.next(now + 1)]).toEqual([
      now * 1000,
      now * 1000 + 1,
      (now + 1) * 1000,
    ]);
  });

  it('never repeat across nodes with different slots, and stay at or above the clock', () => {
    const offsets = [3, 500, 999];
    const nodes = offsets.map(
      (offset) => new SequenceNumbers(0, { stride: CLUSTER_STRIDE, offset }),
    );
    const issued: Array<{ at: number; number: number }> = [];
    const start = 1_800_000_000_000;
    for (let i = 0; i < 3_000; i++) {
      const at = start + Math.floor(i / 7);
      issued.push({ at, number: nodes[i % 3]!.next(at) });
    }

    expect(new Set(issued.map((one) => one.number)).size).toBe(issued.length);
    for (const [i, offset] of offsets.entries()) {
      const own = issued.filter((_, n) => n % 3 === i).map((one) => one.number);
      expect(own.every((number, n) => n === 0 || number > own[n - 1]!)).toBe(true);
      expect(own.every((number) => number % CLUSTER_STRIDE === offset)).toBe(true);
      expect(own.every((number, n) => number >= issued[n * 3 + i]!.at * 1000)).toBe(true);
    }
  });
});
