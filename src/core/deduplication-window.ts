import type { DeduplicationRecord } from '../store/journal.js';

/** How long SNS remembers a FIFO message's deduplication id: five minutes. */
export const DEDUPLICATION_INTERVAL_MS = 5 * 60 * 1000;

/** A remembered FIFO publish, and when it is durable. */
export interface RememberedPublish {
  /**
   * The publish that stands for its deduplication id: its own, or, on a cluster, that of
   * an earlier publish through another node, once it turns out to repeat one.
   */
  record: DeduplicationRecord;
  /**
   * Settles once the publish is stored or found to repeat another; rejects when it could
   * not be stored. Unset for publishes restored from the journal (stored already).
   */
  durable?: Promise<void>;
  /** Settles {@link durable} as `outcome` settles. */
  settle?(outcome: Promise<void>): void;
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

  /**
   * Remembers a new publish; the caller settles it once its commit is done. A duplicate
   * that arrives meanwhile waits on {@link RememberedPublish.durable}, then answers with
   * the record that stands.
   */
  remember(record: DeduplicationRecord): RememberedPublish {
    let settle: (outcome: Promise<void>) => void = () => undefined;
    const durable = new Promise<void>((resolve, reject) => {
      settle = (outcome) => void outcome.then(resolve, reject);
    });
    // Nobody may wait on it: a failed commit is reported to its own caller.
    durable.catch(() => undefined);
    const remembered: RememberedPublish = { record, durable, settle };
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
