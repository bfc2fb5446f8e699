/**
 * The SQLite schema as numbered migrations. `PRAGMA user_version` records how many have
 * run; a migration is never edited once released, only followed by a new one.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: catalog, message journal, delivery state and queues. A message row lists the
  // subscriptions it fans out to; delivery_progress lists those already finished (only
  // while some remain), delivery_retries the failed attempts of the others.
  `
  CREATE TABLE topics (
    arn TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    attributes TEXT NOT NULL,
    tags TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE subscriptions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    arn TEXT NOT NULL UNIQUE,
    topic_arn TEXT NOT NULL,
    protocol TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    attributes TEXT NOT NULL,
    confirmed INTEGER NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX subscriptions_by_topic ON subscriptions (topic_arn, id);
  CREATE TABLE functions (
    name TEXT PRIMARY KEY,
    definition TEXT NOT NULL
  );
  CREATE TABLE queues (
    name TEXT PRIMARY KEY,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE queue_messages (
    id INTEGER PRIMARY KEY,
    queue_name TEXT NOT NULL,
    body TEXT NOT NULL,
    attributes TEXT NOT NULL,
    origin TEXT,
    receive_count INTEGER NOT NULL DEFAULT 0,
    sent_at INTEGER NOT NULL
  );
  CREATE INDEX queue_messages_by_queue ON queue_messages (queue_name, id);
  CREATE TABLE messages (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id TEXT NOT NULL,
    topic_arn TEXT NOT NULL,
    subject TEXT,
    body TEXT NOT NULL,
    attributes TEXT,
    published_at INTEGER NOT NULL,
    fanout TEXT NOT NULL
  );
  CREATE TABLE delivery_progress (
    message_seq INTEGER PRIMARY KEY,
    done TEXT NOT NULL
  );
  CREATE TABLE delivery_retries (
    message_seq INTEGER NOT NULL,
    subscription_id INTEGER NOT NULL,
    attempt INTEGER NOT NULL,
    due_at INTEGER NOT NULL,
    last_error TEXT,
    PRIMARY KEY (message_seq, subscription_id)
  ) WITHOUT ROWID;
  `,
  // 2: confirmation tokens of HTTP(S) subscriptions: a pending subscription's token, or
  // the token an UnsubscribeConfirmation offers to restore a deleted one (`restore` holds
  // the deleted subscription's protocol, endpoint and attributes as JSON).
  `
  CREATE TABLE subscription_tokens (
    token TEXT PRIMARY KEY,
    topic_arn TEXT NOT NULL,
    subscription_arn TEXT NOT NULL,
    restore TEXT,
    expires_at INTEGER NOT NULL
  );
  CREATE INDEX subscription_tokens_by_expiry ON subscription_tokens (expires_at);
  `,
  // 3: per-protocol bodies of MessageStructure=json messages (JSON, null when the message
  // has none) and the MessageGroupId of FIFO messages, which orders their deliveries; and
  // the FIFO deduplication window: the MessageId and SequenceNumber of each recent FIFO
  // publish by deduplication id (`scope` is the message group, or '' for the whole topic).
  `
  ALTER TABLE messages ADD COLUMN protocol_bodies TEXT;
  ALTER TABLE messages ADD COLUMN message_group_id TEXT;
  CREATE TABLE fifo_deduplication (
    topic_arn TEXT NOT NULL,
    scope TEXT NOT NULL,
    deduplication_id TEXT NOT NULL,
    message_id TEXT NOT NULL,
    sequence_number INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (topic_arn, scope, deduplication_id)
  ) WITHOUT ROWID;
  CREATE INDEX fifo_deduplication_by_expiry ON fifo_deduplication (expires_at);
  `,
];
