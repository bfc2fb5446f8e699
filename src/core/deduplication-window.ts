import type { DeduplicationRecord } from '../store/journal.js';

/** How long SNS remembers a FIFO message's deduplication id: five minutes. */
export const DEDUPLICATION_INTERVAL_MS = 5 * 60 * 1000;

/** A remembered FIFO publish, with the commit that makes it durable once it is known. */
export interface RememberedPublish {
  record: DeduplicationRecord;
  /** Settles when the publish is committed; unset until its commit has started. */
  durable?: Promise<void>;
}

/**
 * The FIFO deduplication window: each recent FIFO publish by topic, scope and
 * deduplication id, until it expires. Rebuilt from the journal at start, so it survives a
 * restart; records are kept in the order they expire, so pruning stops at the first live one.
 */
export class DeduplicationWindow {
  private readonly publishes = new Map<string, RememberedPublish>();

  /** Starts from the journal's records that have not expired, oldest first. */
  constructor(restored: readonly DeduplicationRecord[]) {
    for (const record of restored) this.publishes.set(keyOf(record), { record });
  }

  /** The highest sequence number of a remembered publish (0 when there is none). */
  highestSequenceNumber(): number {
    let highest = 0;
    for (const { record } of this.publishes.values()) {
      highest = Math.max(highest, record.sequenceNumber);
    }
    return highest;
  }

  /** The live publish with the same deduplication id, if any. */
  find(
    record: Pick<DeduplicationRecord, 'topicArn' | 'scope' | 'deduplicationId'>,
    now: number,
  ): RememberedPublish | undefined {
    this.prune(now);
    return this.publishes.get(keyOf(record));
  }

  /** Remembers a new publish; the caller sets `durable` once its commit starts. */
  remember(record: DeduplicationRecord): RememberedPublish {
    const remembered: RememberedPublish = { record };
    this.publishes.set(keyOf(record), remembered);
    return remembered;
  }

  /** Forgets a publish whose commit failed, so that a retry is not taken for a duplicate. */
  forget(record: DeduplicationRecord): void {
    const key = keyOf(record);
    if (this.publishes.get(key)?.record === record) this.publishes.delete(key);
  }

  private prune(now: number): void {
    for (const [key, { record }] of this.publishes) {
      if (record.expiresAt > now) return;
      this.publishes.delete(key);
    }
  }
}

function keyOf(record: Pick<DeduplicationRecord, 'topicArn' | 'scope' | 'deduplicationId'>) {
  return `${record.topicArn}\n${record.scope}\n${record.deduplicationId}`;
}
