import type { MessageAttributes, PublishedMessage } from '../../domain/message.js';
import type {
  DeduplicationRecord,
  DeliveryKey,
  Journal,
  JournalEntry,
  PendingDelivery,
  QueueWrite,
  StoredQueueMessage,
} from '../journal.js';
import type { SqliteDatabase } from './database.js';
import { prepareJournalStatements, type JournalStatements } from './journal-statements.js';
import { loadPendingDeliveries } from './load-pending.js';
import { toQueueMessage, type QueueRow } from './rows.js';
import { storeWrite, storeWriteError } from './store-errors.js';

/** How long acks may wait to share a commit, ms. */
const LAZY_FLUSH_MS = 20;

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** Writes waiting for the next commit. */
interface PendingWrites {
  appends: JournalEntry[];
  deduplication: DeduplicationRecord[];
  /** Finished subscriptions by message seq (acked or dead-lettered). */
  finished: Map<number, number[]>;
  /** Messages none of whose deliveries remain. */
  completed: Set<number>;
  retries: PendingDelivery[];
  queueWrites: QueueWrite[];
  waiters: Waiter[];
}

/**
 * The embedded journal: group commit over better-sqlite3. Writes wait in memory until the
 * next turn of the event loop, then go to disk in one transaction, so one fsync serves
 * every publish that arrived meanwhile.
 *
 * Delivery state costs little: a message row lists its fan-out, and the common case (every
 * delivery succeeds at the first attempt) ends with one delete. Only messages that are
 * partly delivered when a commit happens get a progress row, and only failed attempts get
 * a retry row.
 */
export class SqliteJournal implements Journal {
  readonly shared = false;
  private readonly db: SqliteDatabase;
  private readonly statements: JournalStatements;
  private writes: PendingWrites = emptyWrites();
  /** Finished subscriptions of partly delivered messages, as in delivery_progress. */
  private readonly progress = new Map<number, number[]>();
  /** Messages with rows in delivery_retries. */
  private readonly retried = new Set<number>();
  private flushScheduled = false;
  private lazyFlush: NodeJS.Timeout | undefined;
  private synchronous: 'FULL' | 'NORMAL' = 'FULL';
  private seq: number;

  constructor(db: SqliteDatabase) {
    this.db = db;
    this.statements = prepareJournalStatements(db);
    this.seq = highestSeq(db) + 1;
  }

  nextSeq(): number {
    return this.seq++;
  }

  append(
    entries: JournalEntry[],
    deduplication: readonly DeduplicationRecord[] = [],
  ): Promise<void> {
    for (const entry of entries) this.writes.appends.push(entry);
    for (const record of deduplication) this.writes.deduplication.push(record);
    this.scheduleFlush();
    return new Promise((resolve, reject) => this.writes.waiters.push({ resolve, reject }));
  }

  ack(key: DeliveryKey, lastOfMessage: boolean): void {
    const { finished, completed } = this.writes;
    const subscriptions = finished.get(key.messageSeq);
    if (subscriptions) subscriptions.push(key.subscriptionId);
    else finished.set(key.messageSeq, [key.subscriptionId]);
    if (lastOfMessage) completed.add(key.messageSeq);
    this.scheduleLazyFlush();
  }

  retry(delivery: PendingDelivery): boolean {
    this.writes.retries.push(delivery);
    this.scheduleLazyFlush();
    return false;
  }

  deadLetter(key: DeliveryKey, lastOfMessage: boolean, write: QueueWrite): void {
    this.writes.queueWrites.push(write);
    this.ack(key, lastOfMessage);
  }

  enqueue(write: QueueWrite): Promise<void> {
    this.writes.queueWrites.push(write);
    this.scheduleFlush();
    return new Promise((resolve, reject) => this.writes.waiters.push({ resolve, reject }));
  }

  loadPending(): { deliveries: PendingDelivery[]; messages: Map<number, PublishedMessage> } {
    this.flush();
    return loadPendingDeliveries(this.db, this.progress, this.retried);
  }

  loadDeduplication(now: number): DeduplicationRecord[] {
    this.flush();
    this.statements.pruneDeduplication.run(now);
    const rows = this.db
      .prepare('SELECT * FROM fifo_deduplication ORDER BY expires_at')
      .all() as DeduplicationRow[];
    return rows.map(toDeduplicationRecord);
  }

  async takeFromQueue(queueName: string, max: number): Promise<StoredQueueMessage[]> {
    this.flush();
    const take = this.db.transaction(() => {
      const rows = this.statements.queueHead.all(queueName, max) as QueueRow[];
      for (const row of rows) this.statements.deleteQueueMessage.run(row.id);
      return rows.map((row) => ({ ...toQueueMessage(row), receiveCount: row.receive_count + 1 }));
    });
    return storeWrite(take);
  }

  async peekQueue(queueName: string, max: number, afterId = 0): Promise<StoredQueueMessage[]> {
    this.flush();
    const rows = this.statements.queueAfter.all(queueName, afterId, max) as QueueRow[];
    return rows.map(toQueueMessage);
  }

  async removeFromQueue(ids: readonly number[]): Promise<number> {
    this.flush();
    const remove = this.db.transaction(() => {
      let removed = 0;
      for (const id of ids) removed += this.statements.deleteQueueMessage.run(id).changes;
      return removed;
    });
    return storeWrite(remove);
  }

  async purgeQueue(queueName: string): Promise<number> {
    this.flush();
    return storeWrite(() => this.statements.purgeQueue.run(queueName).changes);
  }

  async queueDepth(queueName: string): Promise<number> {
    this.flush();
    return (this.statements.queueDepth.get(queueName) as { n: number }).n;
  }

  async deadLetterCount(queueName: string): Promise<number> {
    this.flush();
    return (this.statements.deadLetterCount.get(queueName) as { n: number }).n;
  }

  /** An embedded journal's deliveries come from {@link loadPending} and local publishes. */
  lease(): void {}

  async stopLeasing(): Promise<void> {}

  flush(): void {
    this.flushScheduled = false;
    if (this.lazyFlush) {
      clearTimeout(this.lazyFlush);
      this.lazyFlush = undefined;
    }

    const writes = this.writes;
    const durable =
      writes.appends.length + writes.queueWrites.length + writes.deduplication.length > 0;
    if (!durable && writes.finished.size === 0 && writes.retries.length === 0) return;
    this.writes = emptyWrites();

    try {
      this.setSynchronous(durable ? 'FULL' : 'NORMAL');
      this.db.transaction(() => this.commit(writes))();
    } catch (error) {
      const failure = storeWriteError(error);
      for (const waiter of writes.waiters) waiter.reject(failure);
      return;
    }
    for (const waiter of writes.waiters) waiter.resolve();
  }

  async close(): Promise<void> {
    this.flush();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  /**
   * Acks and retry bookkeeping need no fsync of their own: losing them to a crash only
   * repeats a delivery. They wait up to a few milliseconds to share a commit, and commit
   * with `synchronous=NORMAL`; the next full commit makes them durable too.
   */
  private scheduleLazyFlush(): void {
    if (this.flushScheduled || this.lazyFlush) return;
    this.lazyFlush = setTimeout(() => {
      this.lazyFlush = undefined;
      this.flush();
    }, LAZY_FLUSH_MS);
  }

  private setSynchronous(mode: 'FULL' | 'NORMAL'): void {
    if (this.synchronous === mode) return;
    this.db.pragma(`synchronous = ${mode}`);
    this.synchronous = mode;
  }

  private commit(writes: PendingWrites): void {
    const s = this.statements;

    for (const { message, subscriptionIds } of writes.appends) {
      s.insertMessage.run(
        message.seq,
        message.messageId,
        message.topicArn,
        message.subject ?? null,
        message.body,
        encodeAttributes(message.attributes),
        message.publishedAt,
        subscriptionIds.join(','),
        message.protocolBodies === undefined ? null : JSON.stringify(message.protocolBodies),
        message.messageGroupId ?? null,
      );
    }
    if (writes.deduplication.length > 0) this.recordDeduplication(writes.deduplication);

    for (const retry of writes.retries) {
      s.upsertRetry.run(
        retry.messageSeq,
        retry.subscriptionId,
        retry.attempt,
        retry.dueAt,
        retry.lastError ?? null,
      );
      this.retried.add(retry.messageSeq);
    }

    const now = Date.now();
    for (const write of writes.queueWrites) {
      s.insertQueueMessage.run(
        write.queueName,
        write.body,
        JSON.stringify(write.attributes),
        write.origin ? JSON.stringify(write.origin) : null,
        now,
      );
    }

    for (const [seq, subscriptions] of writes.finished) {
      if (writes.completed.has(seq)) this.completeMessage(seq);
      else this.recordProgress(seq, subscriptions);
    }
  }

  private recordDeduplication(records: DeduplicationRecord[]): void {
    const s = this.statements;
    s.pruneDeduplication.run(Date.now());
    for (const record of records) {
      s.insertDeduplication.run(
        record.topicArn,
        record.scope,
        record.deduplicationId,
        record.messageId,
        record.sequenceNumber,
        record.expiresAt,
      );
    }
  }

  private completeMessage(seq: number): void {
    const s = this.statements;
    s.deleteMessage.run(seq);
    if (this.progress.delete(seq)) s.deleteProgress.run(seq);
    if (this.retried.delete(seq)) s.deleteRetries.run(seq);
  }

  private recordProgress(seq: number, subscriptions: number[]): void {
    const done = this.progress.get(seq) ?? [];
    for (const id of subscriptions) done.push(id);
    this.progress.set(seq, done);
    this.statements.upsertProgress.run(seq, done.join(','));
  }
}

/**
 * The highest sequence number ever given, deleted messages included (AUTOINCREMENT keeps
 * it in sqlite_sequence), so that a new message never takes the number of an old one.
 */
function highestSeq(db: SqliteDatabase): number {
  const row = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'messages'").get() as
    { seq: number } | undefined;
  return row?.seq ?? 0;
}

function emptyWrites(): PendingWrites {
  return {
    appends: [],
    deduplication: [],
    finished: new Map(),
    completed: new Set(),
    retries: [],
    queueWrites: [],
    waiters: [],
  };
}

interface DeduplicationRow {
  topic_arn: string;
  scope: string;
  deduplication_id: string;
  message_id: string;
  sequence_number: number;
  expires_at: number;
}

function toDeduplicationRecord(row: DeduplicationRow): DeduplicationRecord {
  return {
    topicArn: row.topic_arn,
    scope: row.scope,
    deduplicationId: row.deduplication_id,
    messageId: row.message_id,
    sequenceNumber: row.sequence_number,
    expiresAt: row.expires_at,
  };
}

function encodeAttributes(attributes: MessageAttributes): string | null {
  for (const _name in attributes) return JSON.stringify(attributes);
  return null;
}
