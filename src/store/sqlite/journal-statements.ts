import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from './database.js';

/** The journal's prepared statements, compiled once per connection. */
export interface JournalStatements {
  insertMessage: Statement;
  deleteMessage: Statement;
  upsertProgress: Statement;
  deleteProgress: Statement;
  upsertRetry: Statement;
  deleteRetries: Statement;
  insertQueueMessage: Statement;
  queueHead: Statement;
  queueAfter: Statement;
  deleteQueueMessage: Statement;
  purgeQueue: Statement;
  queueDepth: Statement;
  deadLetterCount: Statement;
  insertDeduplication: Statement;
  pruneDeduplication: Statement;
}

export function prepareJournalStatements(db: SqliteDatabase): JournalStatements {
  return {
    insertMessage: db.prepare(
      'INSERT INTO messages (seq, message_id, topic_arn, subject, body, attributes,' +
        ' published_at, fanout, protocol_bodies, message_group_id)' +
        ' VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    deleteMessage: db.prepare('DELETE FROM messages WHERE seq = ?'),
    upsertProgress: db.prepare(
      'INSERT INTO delivery_progress (message_seq, done) VALUES (?, ?)' +
        ' ON CONFLICT (message_seq) DO UPDATE SET done = excluded.done',
    ),
    deleteProgress: db.prepare('DELETE FROM delivery_progress WHERE message_seq = ?'),
    upsertRetry: db.prepare(
      'INSERT INTO delivery_retries (message_seq, subscription_id, attempt, due_at, last_error)' +
        ' VALUES (?, ?, ?, ?, ?) ON CONFLICT (message_seq, subscription_id) DO UPDATE SET' +
        ' attempt = excluded.attempt, due_at = excluded.due_at, last_error = excluded.last_error',
    ),
    deleteRetries: db.prepare('DELETE FROM delivery_retries WHERE message_seq = ?'),
    insertQueueMessage: db.prepare(
      'INSERT INTO queue_messages (queue_name, body, attributes, origin, sent_at)' +
        ' VALUES (?, ?, ?, ?, ?)',
    ),
    queueHead: db.prepare('SELECT * FROM queue_messages WHERE queue_name = ? ORDER BY id LIMIT ?'),
    queueAfter: db.prepare(
      'SELECT * FROM queue_messages WHERE queue_name = ? AND id > ? ORDER BY id LIMIT ?',
    ),
    deleteQueueMessage: db.prepare('DELETE FROM queue_messages WHERE id = ?'),
    purgeQueue: db.prepare('DELETE FROM queue_messages WHERE queue_name = ?'),
    queueDepth: db.prepare('SELECT COUNT(*) AS n FROM queue_messages WHERE queue_name = ?'),
    deadLetterCount: db.prepare(
      'SELECT COUNT(*) AS n FROM queue_messages WHERE queue_name = ? AND origin IS NOT NULL',
    ),
    insertDeduplication: db.prepare(
      'INSERT OR REPLACE INTO fifo_deduplication (topic_arn, scope, deduplication_id,' +
        ' message_id, sequence_number, expires_at) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    pruneDeduplication: db.prepare('DELETE FROM fifo_deduplication WHERE expires_at <= ?'),
  };
}
