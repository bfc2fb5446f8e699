import { randomInt } from 'node:crypto';

/** The digits of an SNS SequenceNumber. */
const SEQUENCE_DIGITS = 20;

/** Nodes of a cluster number their publishes apart: each keeps one residue of this. */
export const CLUSTER_STRIDE = 1000;

/** Where one node's numbers fall: every `stride`-th number, from `offset`. */
export interface NumberingSlot {
  stride: number;
  offset: number;
}

/** One node's slot in a cluster: a random residue, so nodes rarely share one. */
export function clusterSlot(): NumberingSlot {
  return { stride: CLUSTER_STRIDE, offset: randomInt(CLUSTER_STRIDE) };
}

/**
 * Issues the SequenceNumber of FIFO publishes: strictly increasing, so monotonic within
 * every topic, and across restarts too. Each number is at least the clock in microseconds
 * (milliseconds × 1000), and above the highest one still in the deduplication window when
 * Herald started. On a cluster each node takes the numbers of its own slot (those equal to
 * its offset modulo the stride), so two nodes do not issue the same number, and numbers
 * follow the nodes' clocks to the millisecond.
 */
export class SequenceNumbers {
  constructor(
    private last: number,
    private readonly slot: NumberingSlot = { stride: 1, offset: 0 },
  ) {}

  /** The next number. */
  next(now: number): number {
    const { stride, offset } = this.slot;
    const floor = Math.max(this.last + 1, now * 1000);
    this.last = floor + ((offset - (floor % stride) + stride) % stride);
    return this.last;
  }
}

/** A sequence number as SNS writes it: 20 decimal digits. */
export function formatSequenceNumber(sequenceNumber: number): string {
  return String(sequenceNumber).padStart(SEQUENCE_DIGITS, '0');
}
