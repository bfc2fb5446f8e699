/** The digits of an SNS SequenceNumber. */
const SEQUENCE_DIGITS = 20;

/**
 * Issues the SequenceNumber of FIFO publishes: strictly increasing, so monotonic within
 * every topic, and across restarts too. Each number is at least the clock in microseconds,
 * and above the highest one still in the deduplication window when Herald started.
 */
export class SequenceNumbers {
  constructor(private last: number) {}

  /** The next number. */
  next(now: number): number {
    this.last = Math.max(this.last + 1, now * 1000);
    return this.last;
  }
}

/** A sequence number as SNS writes it: 20 decimal digits. */
export function formatSequenceNumber(sequenceNumber: number): string {
  return String(sequenceNumber).padStart(SEQUENCE_DIGITS, '0');
}
