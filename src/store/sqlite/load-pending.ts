import type { PublishedMessage } from '../../domain/message.js';
import type { PendingDelivery } from '../journal.js';
import type { SqliteDatabase } from './database.js';
import { parseIds, toMessage, type MessageRow } from './rows.js';

interface RetryRow {
  message_seq: number;
  subscription_id: number;
  attempt: number;
  due_at: number;
  last_error: string | null;
}

/**
 * Rebuilds every pending delivery: each message's fan-out, less the subscriptions it has
 * finished, with the attempt count and due time of those that failed before. Fills
 * `progress` and `retried` with what the tables hold, for the journal's bookkeeping.
 */
export function loadPendingDeliveries(
  db: SqliteDatabase,
  progress: Map<number, number[]>,
  retried: Set<number>,
): { deliveries: PendingDelivery[]; messages: Map<number, PublishedMessage> } {
  removeOrphanState(db);
  for (const row of db.prepare('SELECT * FROM delivery_progress').iterate()) {
    const { message_seq, done } = row as { message_seq: number; done: string };
    progress.set(message_seq, parseIds(done));
  }

  const retries = new Map<string, RetryRow>();
  for (const row of db.prepare('SELECT * FROM delivery_retries').iterate()) {
    const retry = row as RetryRow;
    retries.set(`${retry.message_seq}:${retry.subscription_id}`, retry);
    retried.add(retry.message_seq);
  }

  const deliveries: PendingDelivery[] = [];
  const messages = new Map<number, PublishedMessage>();
  for (const row of db.prepare('SELECT * FROM messages ORDER BY seq').iterate()) {
    const messageRow = row as MessageRow;
    const message = toMessage(messageRow);
    const done = new Set(progress.get(message.seq) ?? []);
    messages.set(message.seq, message);

    for (const subscriptionId of parseIds(messageRow.fanout)) {
      if (done.has(subscriptionId)) continue;
      const retry = retries.get(`${message.seq}:${subscriptionId}`);
      deliveries.push({
        messageSeq: message.seq,
        subscriptionId,
        attempt: retry?.attempt ?? 0,
        dueAt: retry?.due_at ?? message.publishedAt,
        ...(retry?.last_error ? { lastError: retry.last_error } : {}),
      });
    }
  }
  return { deliveries, messages };
}

/** Drops progress and retry rows whose message is gone: they must not outlive it. */
function removeOrphanState(db: SqliteDatabase): void {
  for (const table of ['delivery_progress', 'delivery_retries']) {
    db.prepare(`DELETE FROM ${table} WHERE message_seq NOT IN (SELECT seq FROM messages)`).run();
  }
}
