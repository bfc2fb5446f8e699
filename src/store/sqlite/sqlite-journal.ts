import type { MessageAttributes, PublishedMessage } from '../../domain/message.js';
import type {
  DeadLetterOrigin,
  DeliveryKey,
  Journal,
  JournalEntry,
  PendingDelivery,
  QueueWrite,
  StoredQueueMessage,
} from '../journal.js';
import type { SqliteDatabase } from './database.js';

/** How long acks may wait to share a commit, ms. */
const LAZY_FLUSH_MS = 5;

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

interface MessageRow {
  seq: number;
  message_id: string;
  topic_arn: string;
  subject: string | null;
  body: string;
  attributes: string | null;
  published_at: number;
}

interface QueueRow {
  id: number;
  queue_name: string;
  body: string;
  attributes: string;
  origin: string | null;
  receive_count: number;
  sent_at: number;
}

/**
 * The embedded journal: group commit over better-sqlite3. Writes wait in memory until the
 * next turn of the event loop, then go to disk in one transaction, so one fsync serves
 * every publish that arrived meanwhile.
 */
export class SqliteJournal implements Journal {
  private readonly db: SqliteDatabase;
  private readonly statements;
  private appends: JournalEntry[] = [];
  private appendWaiters: Waiter[] = [];
  private acks: DeliveryKey[] = [];
  private finishedMessages: number[] = [];
  private retries: PendingDelivery[] = [];
  private queueWrites: QueueWrite[] = [];
  private queueWaiters: Waiter[] = [];
  private flushScheduled = false;
  private lazyFlush: NodeJS.Timeout | undefined;
  private synchronous: 'FULL' | 'NORMAL' = 'FULL';
  private seq: number;

  constructor(db: SqliteDatabase) {
    this.db = db;
    this.statements = {
      insertMessage: db.prepare(
        'INSERT INTO messages (seq, message_id, topic_arn, subject, body, attributes, published_at)' +
          ' VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      insertDelivery: db.prepare(
        'INSERT INTO deliveries (message_seq, subscription_id, attempt, due_at) VALUES (?, ?, 0, ?)',
      ),
      deleteDelivery: db.prepare(
        'DELETE FROM deliveries WHERE message_seq = ? AND subscription_id = ?',
      ),
      deleteMessage: db.prepare('DELETE FROM messages WHERE seq = ?'),
      updateDelivery: db.prepare(
        'UPDATE deliveries SET attempt = ?, due_at = ?, last_error = ?' +
          ' WHERE message_seq = ? AND subscription_id = ?',
      ),
      insertQueueMessage: db.prepare(
        'INSERT INTO queue_messages (queue_name, body, attributes, origin, sent_at)' +
          ' VALUES (?, ?, ?, ?, ?)',
      ),
      queueHead: db.prepare(
        'SELECT * FROM queue_messages WHERE queue_name = ? ORDER BY id LIMIT ?',
      ),
      deleteQueueMessage: db.prepare('DELETE FROM queue_messages WHERE id = ?'),
      purgeQueue: db.prepare('DELETE FROM queue_messages WHERE queue_name = ?'),
      queueDepth: db.prepare('SELECT COUNT(*) AS n FROM queue_messages WHERE queue_name = ?'),
    };
    const row = db.prepare('SELECT MAX(seq) AS seq FROM messages').get() as { seq: number | null };
    this.seq = (row.seq ?? 0) + 1;
  }

  nextSeq(): number {
    return this.seq++;
  }

  append(entries: JournalEntry[]): Promise<void> {
    for (const entry of entries) this.appends.push(entry);
    this.scheduleFlush();
    return new Promise((resolve, reject) => this.appendWaiters.push({ resolve, reject }));
  }

  ack(key: DeliveryKey, lastOfMessage: boolean): void {
    this.acks.push(key);
    if (lastOfMessage) this.finishedMessages.push(key.messageSeq);
    this.scheduleLazyFlush();
  }

  retry(delivery: PendingDelivery): void {
    this.retries.push(delivery);
    this.scheduleLazyFlush();
  }

  deadLetter(key: DeliveryKey, lastOfMessage: boolean, write: QueueWrite): void {
    this.queueWrites.push(write);
    this.ack(key, lastOfMessage);
  }

  enqueue(write: QueueWrite): Promise<void> {
    this.queueWrites.push(write);
    this.scheduleFlush();
    return new Promise((resolve, reject) => this.queueWaiters.push({ resolve, reject }));
  }

  loadPending(): { deliveries: PendingDelivery[]; messages: Map<number, PublishedMessage> } {
    const messages = new Map<number, PublishedMessage>();
    const messageRows = this.db
      .prepare(
        'SELECT * FROM messages WHERE seq IN (SELECT DISTINCT message_seq FROM deliveries)',
      )
      .all() as MessageRow[];
    for (const row of messageRows) messages.set(row.seq, toMessage(row));

    const deliveryRows = this.db
      .prepare('SELECT * FROM deliveries ORDER BY message_seq')
      .all() as Array<{
      message_seq: number;
      subscription_id: number;
      attempt: number;
      due_at: number;
      last_error: string | null;
    }>;
    const deliveries = deliveryRows.map((row) => ({
      messageSeq: row.message_seq,
      subscriptionId: row.subscription_id,
      attempt: row.attempt,
      dueAt: row.due_at,
      ...(row.last_error === null ? {} : { lastError: row.last_error }),
    }));

    this.deleteOrphanMessages();
    return { deliveries, messages };
  }

  takeFromQueue(queueName: string, max: number): StoredQueueMessage[] {
    this.flush();
    return this.db.transaction(() => {
      const rows = this.statements.queueHead.all(queueName, max) as QueueRow[];
      for (const row of rows) this.statements.deleteQueueMessage.run(row.id);
      return rows.map((row) => ({ ...toQueueMessage(row), receiveCount: row.receive_count + 1 }));
    })();
  }

  peekQueue(queueName: string, max: number): StoredQueueMessage[] {
    this.flush();
    return (this.statements.queueHead.all(queueName, max) as QueueRow[]).map(toQueueMessage);
  }

  removeFromQueue(ids: readonly number[]): void {
    this.flush();
    this.db.transaction(() => {
      for (const id of ids) this.statements.deleteQueueMessage.run(id);
    })();
  }

  purgeQueue(queueName: string): number {
    this.flush();
    return this.statements.purgeQueue.run(queueName).changes;
  }

  queueDepth(queueName: string): number {
    this.flush();
    return (this.statements.queueDepth.get(queueName) as { n: number }).n;
  }

  flush(): void {
    this.flushScheduled = false;
    if (this.lazyFlush) {
      clearTimeout(this.lazyFlush);
      this.lazyFlush = undefined;
    }
    const appends = this.appends;
    const appendWaiters = this.appendWaiters;
    const queueWaiters = this.queueWaiters;
    const idle =
      appends.length + this.acks.length + this.retries.length + this.queueWrites.length === 0;
    if (idle) return;

    const batch = {
      appends,
      acks: this.acks,
      finished: this.finishedMessages,
      retries: this.retries,
      queueWrites: this.queueWrites,
    };
    this.appends = [];
    this.appendWaiters = [];
    this.queueWaiters = [];
    this.acks = [];
    this.finishedMessages = [];
    this.retries = [];
    this.queueWrites = [];

    try {
      this.setSynchronous(appends.length + batch.queueWrites.length > 0 ? 'FULL' : 'NORMAL');
      this.commit(batch);
    } catch (error) {
      for (const waiter of appendWaiters) waiter.reject(error);
      for (const waiter of queueWaiters) waiter.reject(error);
      return;
    }
    for (const waiter of appendWaiters) waiter.resolve();
    for (const waiter of queueWaiters) waiter.resolve();
  }

  close(): void {
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

  private commit(batch: {
    appends: JournalEntry[];
    acks: DeliveryKey[];
    finished: number[];
    retries: PendingDelivery[];
    queueWrites: QueueWrite[];
  }): void {
    const s = this.statements;
    this.db.transaction(() => {
      for (const { message, subscriptionIds } of batch.appends) {
        s.insertMessage.run(
          message.seq,
          message.messageId,
          message.topicArn,
          message.subject ?? null,
          message.body,
          encodeAttributes(message.attributes),
          message.publishedAt,
        );
        for (const id of subscriptionIds) s.insertDelivery.run(message.seq, id, message.publishedAt);
      }

      for (const retry of batch.retries) {
        s.updateDelivery.run(
          retry.attempt,
          retry.dueAt,
          retry.lastError ?? null,
          retry.messageSeq,
          retry.subscriptionId,
        );
      }

      const now = Date.now();
      for (const write of batch.queueWrites) {
        s.insertQueueMessage.run(
          write.queueName,
          write.body,
          JSON.stringify(write.attributes),
          write.origin ? JSON.stringify(write.origin) : null,
          now,
        );
      }

      for (const ack of batch.acks) s.deleteDelivery.run(ack.messageSeq, ack.subscriptionId);
      for (const seq of batch.finished) s.deleteMessage.run(seq);
    })();
  }

  private deleteOrphanMessages(): void {
    this.db
      .prepare(
        'DELETE FROM messages WHERE NOT EXISTS' +
          ' (SELECT 1 FROM deliveries d WHERE d.message_seq = messages.seq)',
      )
      .run();
  }
}

function encodeAttributes(attributes: MessageAttributes): string | null {
  for (const _name in attributes) return JSON.stringify(attributes);
  return null;
}

function toMessage(row: MessageRow): PublishedMessage {
  return {
    seq: row.seq,
    messageId: row.message_id,
    topicArn: row.topic_arn,
    ...(row.subject === null ? {} : { subject: row.subject }),
    body: row.body,
    attributes: row.attributes ? (JSON.parse(row.attributes) as MessageAttributes) : {},
    publishedAt: row.published_at,
  };
}

function toQueueMessage(row: QueueRow): StoredQueueMessage {
  return {
    id: row.id,
    queueName: row.queue_name,
    body: row.body,
    attributes: JSON.parse(row.attributes) as MessageAttributes,
    receiveCount: row.receive_count,
    sentAt: row.sent_at,
    ...(row.origin ? { origin: JSON.parse(row.origin) as DeadLetterOrigin } : {}),
  };
}
