import type { FunctionDefinition } from '../../domain/function.js';
import type { Queue } from '../../domain/queue.js';
import type { Protocol, Subscription } from '../../domain/subscription.js';
import type { Topic } from '../../domain/topic.js';
import type { Catalog } from '../catalog.js';
import type { SqliteDatabase } from './database.js';
import { storeWrite } from './store-errors.js';

interface TopicRow {
  arn: string;
  name: string;
  attributes: string;
  tags: string;
  created_at: number;
}

interface SubscriptionRow {
  id: number;
  arn: string;
  topic_arn: string;
  protocol: string;
  endpoint: string;
  attributes: string;
  confirmed: number;
  created_at: number;
}

/**
 * The embedded catalog: one row per topic, subscription, function and queue. A write that
 * finds the data directory full or unwritable fails with `ServiceUnavailable`.
 */
export class SqliteCatalog implements Catalog {
  private readonly db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.db = db;
  }

  putTopic(topic: Topic): void {
    const statement = this.db.prepare(
      'INSERT INTO topics (arn, name, attributes, tags, created_at) VALUES (?, ?, ?, ?, ?)' +
        ' ON CONFLICT (arn) DO UPDATE SET attributes = excluded.attributes, tags = excluded.tags',
    );
    const { arn, name, attributes, tags, createdAt } = topic;
    storeWrite(() =>
      statement.run(arn, name, JSON.stringify(attributes), JSON.stringify(tags), createdAt),
    );
  }

  getTopic(arn: string): Topic | undefined {
    const row = this.db.prepare('SELECT * FROM topics WHERE arn = ?').get(arn) as
      TopicRow | undefined;
    return row && toTopic(row);
  }

  deleteTopic(arn: string): void {
    const remove = this.db.transaction(() => {
      this.db.prepare('DELETE FROM subscriptions WHERE topic_arn = ?').run(arn);
      this.db.prepare('DELETE FROM topics WHERE arn = ?').run(arn);
    });
    storeWrite(remove);
  }

  listTopics(afterArn: string | undefined, limit: number): Topic[] {
    const rows = this.db
      .prepare('SELECT * FROM topics WHERE arn > ? ORDER BY arn LIMIT ?')
      .all(afterArn ?? '', limit) as TopicRow[];
    return rows.map(toTopic);
  }

  putSubscription(subscription: Subscription): Subscription {
    const params = [
      subscription.arn,
      subscription.topicArn,
      subscription.protocol,
      subscription.endpoint,
      JSON.stringify(subscription.attributes),
      subscription.confirmed ? 1 : 0,
      subscription.createdAt,
    ];
    if (subscription.id === 0) {
      const insert = this.db.prepare(
        'INSERT INTO subscriptions' +
          ' (arn, topic_arn, protocol, endpoint, attributes, confirmed, created_at)' +
          ' VALUES (?, ?, ?, ?, ?, ?, ?)',
      );
      const result = storeWrite(() => insert.run(...params));
      return { ...subscription, id: Number(result.lastInsertRowid) };
    }
    const update = this.db.prepare(
      'UPDATE subscriptions SET arn = ?, topic_arn = ?, protocol = ?, endpoint = ?,' +
        ' attributes = ?, confirmed = ?, created_at = ? WHERE id = ?',
    );
    storeWrite(() => update.run(...params, subscription.id));
    return subscription;
  }

  getSubscription(arn: string): Subscription | undefined {
    const row = this.db.prepare('SELECT * FROM subscriptions WHERE arn = ?').get(arn) as
      SubscriptionRow | undefined;
    return row && toSubscription(row);
  }

  deleteSubscription(arn: string): void {
    const statement = this.db.prepare('DELETE FROM subscriptions WHERE arn = ?');
    storeWrite(() => statement.run(arn));
  }

  listSubscriptions(afterId: number, limit: number, topicArn?: string): Subscription[] {
    const rows = topicArn
      ? this.db
          .prepare('SELECT * FROM subscriptions WHERE topic_arn = ? AND id > ? ORDER BY id LIMIT ?')
          .all(topicArn, afterId, limit)
      : this.db
          .prepare('SELECT * FROM subscriptions WHERE id > ? ORDER BY id LIMIT ?')
          .all(afterId, limit);
    return (rows as SubscriptionRow[]).map(toSubscription);
  }

  allSubscriptions(): Subscription[] {
    const rows = this.db.prepare('SELECT * FROM subscriptions ORDER BY id').all();
    return (rows as SubscriptionRow[]).map(toSubscription);
  }

  putFunction(definition: FunctionDefinition): void {
    const statement = this.db.prepare(
      'INSERT INTO functions (name, definition) VALUES (?, ?)' +
        ' ON CONFLICT (name) DO UPDATE SET definition = excluded.definition',
    );
    storeWrite(() => statement.run(definition.name, JSON.stringify(definition)));
  }

  getFunction(name: string): FunctionDefinition | undefined {
    const row = this.db.prepare('SELECT definition FROM functions WHERE name = ?').get(name) as
      { definition: string } | undefined;
    return row && (JSON.parse(row.definition) as FunctionDefinition);
  }

  deleteFunction(name: string): void {
    const statement = this.db.prepare('DELETE FROM functions WHERE name = ?');
    storeWrite(() => statement.run(name));
  }

  newEventQueueId(): number {
    let lowest = 0;
    for (const definition of this.listFunctions()) {
      lowest = Math.min(lowest, definition.eventQueueId ?? 0);
    }
    return lowest - 1;
  }

  /** Every write is durable when it returns. */
  settled(): Promise<void> {
    return Promise.resolve();
  }

  listFunctions(): FunctionDefinition[] {
    const rows = this.db.prepare('SELECT definition FROM functions ORDER BY name').all() as Array<{
      definition: string;
    }>;
    return rows.map((row) => JSON.parse(row.definition) as FunctionDefinition);
  }

  putQueue(queue: Queue): void {
    const statement = this.db.prepare(
      'INSERT INTO queues (name, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING',
    );
    storeWrite(() => statement.run(queue.name, queue.createdAt));
  }

  getQueue(name: string): Queue | undefined {
    const row = this.db.prepare('SELECT * FROM queues WHERE name = ?').get(name) as
      { name: string; created_at: number } | undefined;
    return row && { name: row.name, arn: '', createdAt: row.created_at };
  }

  deleteQueue(name: string): void {
    const remove = this.db.transaction(() => {
      this.db.prepare('DELETE FROM queue_messages WHERE queue_name = ?').run(name);
      this.db.prepare('DELETE FROM queues WHERE name = ?').run(name);
    });
    storeWrite(remove);
  }

  listQueues(): Queue[] {
    const rows = this.db.prepare('SELECT * FROM queues ORDER BY name').all() as Array<{
      name: string;
      created_at: number;
    }>;
    return rows.map((row) => ({ name: row.name, arn: '', createdAt: row.created_at }));
  }
}

function toTopic(row: TopicRow): Topic {
  return {
    arn: row.arn,
    name: row.name,
    attributes: JSON.parse(row.attributes) as Record<string, string>,
    tags: JSON.parse(row.tags) as Record<string, string>,
    createdAt: row.created_at,
  };
}

function toSubscription(row: SubscriptionRow): Subscription {
  return {
    id: row.id,
    arn: row.arn,
    topicArn: row.topic_arn,
    protocol: row.protocol as Protocol,
    endpoint: row.endpoint,
    attributes: JSON.parse(row.attributes) as Record<string, string>,
    confirmed: row.confirmed === 1,
    createdAt: row.created_at,
  };
}
