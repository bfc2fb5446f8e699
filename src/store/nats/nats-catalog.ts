import type { KV } from '@nats-io/kv';
import type { FunctionDefinition } from '../../domain/function.js';
import type { Queue } from '../../domain/queue.js';
import type { Subscription } from '../../domain/subscription.js';
import type { Topic } from '../../domain/topic.js';
import { HeraldError, invalidParameter } from '../../errors/index.js';
import type { Logger } from '../../log/logger.js';
import type { Catalog } from '../catalog.js';
import type { CatalogChange, CatalogListener } from './catalog-change.js';
import { catalogKeys, parseCatalogKey } from './catalog-keys.js';
import type { NatsConnection } from './connection.js';
import { IdBlocks } from './id-blocks.js';
import { ReplicatedBucket } from './replicated-bucket.js';
import { natsUnavailable } from './unavailable.js';

export type { CatalogChange, CatalogListener } from './catalog-change.js';

/** Room left in a NATS message for the KV subject and headers beside a catalog value. */
const VALUE_HEADROOM_BYTES = 4 * 1024;

/** A replica entry: the parsed value and the JSON text the bucket holds for it. */
interface Entry<T> {
  value: T;
  json: string;
}

/** What the bucket holds for a queue (its ARN follows from the name). */
interface StoredQueue {
  name: string;
  createdAt: number;
}

/**
 * The catalog shared by the nodes of a Herald cluster, in the JetStream KV bucket
 * `<prefix>-catalog` (keys in {@link catalogKeys}, JSON values), with a replica in memory
 * so that reads stay synchronous. Reads answer from the replica, ordered and paged as
 * `SqliteCatalog` does. A write changes the replica at once and reaches the bucket in
 * the background: {@link settled} tells when it is durable. Changes made by other nodes
 * reach the replica through a watch and are reported to {@link onChange} listeners.
 *
 * Subscription ids (and function event-queue ids) come from blocks reserved in the bucket,
 * so they are unique across the cluster. Deleting a queue here leaves its messages to the
 * journal.
 */
export class NatsCatalog implements Catalog {
  private readonly topics = new Map<string, Entry<Topic>>();
  private readonly subscriptions = new Map<number, Entry<Subscription>>();
  private readonly subscriptionIds = new Map<string, number>();
  private readonly functions = new Map<string, Entry<FunctionDefinition>>();
  private readonly queues = new Map<string, Entry<StoredQueue>>();
  private readonly listeners = new Set<CatalogListener>();
  private topicOrder: string[] | undefined;
  private subscriptionOrder: number[] | undefined;
  private bucket!: ReplicatedBucket;

  private constructor(
    private readonly ids: IdBlocks,
    private readonly logger: Logger,
    private readonly maxValueBytes: number,
  ) {}

  /**
   * Opens (creating when missing) the catalog bucket, reserves a first block of ids, loads
   * every entry and starts watching for other nodes' changes. Fails with
   * `ServiceUnavailable` when NATS does not answer.
   */
  static async open(connection: NatsConnection, logger: Logger): Promise<NatsCatalog> {
    const log = logger.child({ component: 'nats-catalog' });
    const name = connection.names.catalog;
    let kv: KV;
    try {
      kv = await connection.bucket(name);
    } catch (error) {
      throw natsUnavailable(`cannot open NATS bucket ${name}`, error);
    }
    const maxValueBytes = connection.maxPayload() - VALUE_HEADROOM_BYTES;
    const catalog = new NatsCatalog(await IdBlocks.open(kv, log), log, maxValueBytes);
    catalog.bucket = await ReplicatedBucket.open({
      kv,
      js: connection.js,
      name,
      logger: log,
      apply: (key, json) => catalog.applyRemote(key, json),
    });
    return catalog;
  }

  /** Calls `listener` with each change another node makes; returns what unregisters it. */
  onChange(listener: CatalogListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A new id for a function's internal event subscription: negative, unique in the cluster. */
  newEventQueueId(): number {
    return -this.ids.take();
  }

  /** Resolves once every write made so far is durable; rejects (`ServiceUnavailable`) if not. */
  async settled(): Promise<void> {
    await this.ids.settled();
    await this.bucket.settled();
  }

  /** Waits for the writes in flight and stops watching the bucket. */
  async close(): Promise<void> {
    await this.ids.settled();
    await this.bucket.close();
  }

  putTopic(topic: Topic): void {
    const key = catalogKeys.topic(topic.arn);
    // As in SQLite: an existing topic keeps its name and creation time.
    const base = this.topics.get(topic.arn)?.value ?? topic;
    const { arn, name, createdAt } = base;
    const entry = this.toEntry<Topic>({
      arn,
      name,
      attributes: topic.attributes,
      tags: topic.tags,
      createdAt,
    });
    this.setTopic(arn, entry);
    this.bucket.put(key, entry.json);
  }

  getTopic(arn: string): Topic | undefined {
    return copyOf(this.topics.get(arn));
  }

  deleteTopic(arn: string): void {
    for (const { arn: subscriptionArn } of this.subscriptionsOf(arn)) {
      this.deleteSubscription(subscriptionArn);
    }
    if (!this.topics.has(arn)) return;
    this.removeTopic(arn);
    this.bucket.delete(catalogKeys.topic(arn));
  }

  listTopics(afterArn: string | undefined, limit: number): Topic[] {
    this.topicOrder ??= [...this.topics.keys()].sort(compare);
    const from = firstAfter(this.topicOrder, afterArn ?? '');
    return this.topicOrder
      .slice(from, from + limit)
      .map((arn) => copyOf(this.topics.get(arn)) as Topic);
  }

  putSubscription(subscription: Subscription): Subscription {
    let { id } = subscription;
    if (id === 0) {
      const taken = this.subscriptionIds.get(subscription.arn);
      if (taken !== undefined) {
        throw new HeraldError(
          'InternalError',
          `subscription ${subscription.arn} is already stored (id ${taken})`,
          { subscriptionArn: subscription.arn },
        );
      }
      id = this.ids.take();
    } else if (!this.subscriptions.has(id)) {
      // As in SQLite: updating a subscription that is not stored changes nothing.
      return subscription;
    }
    const key = catalogKeys.subscription(id);
    const entry = this.toEntry(subscriptionRecord({ ...subscription, id }));
    this.setSubscription(id, entry);
    this.bucket.put(key, entry.json);
    return copyOf(entry);
  }

  getSubscription(arn: string): Subscription | undefined {
    const id = this.subscriptionIds.get(arn);
    return id === undefined ? undefined : copyOf(this.subscriptions.get(id));
  }

  deleteSubscription(arn: string): void {
    const id = this.subscriptionIds.get(arn);
    if (id === undefined) return;
    this.removeSubscription(id);
    this.bucket.delete(catalogKeys.subscription(id));
  }

  listSubscriptions(afterId: number, limit: number, topicArn?: string): Subscription[] {
    this.subscriptionOrder ??= [...this.subscriptions.keys()].sort((a, b) => a - b);
    const order = this.subscriptionOrder;
    const found: Subscription[] = [];
    for (let i = firstAfter(order, afterId); i < order.length && found.length < limit; i++) {
      const entry = this.subscriptions.get(order[i] as number);
      if (!entry || (topicArn && entry.value.topicArn !== topicArn)) continue;
      found.push(copyOf(entry));
    }
    return found;
  }

  allSubscriptions(): Subscription[] {
    return this.listSubscriptions(0, Infinity);
  }

  putFunction(definition: FunctionDefinition): void {
    const key = catalogKeys.function(definition.name);
    const entry = this.toEntry(definition);
    this.functions.set(definition.name, entry);
    this.bucket.put(key, entry.json);
  }

  getFunction(name: string): FunctionDefinition | undefined {
    return copyOf(this.functions.get(name));
  }

  deleteFunction(name: string): void {
    if (!this.functions.delete(name)) return;
    this.bucket.delete(catalogKeys.function(name));
  }

  listFunctions(): FunctionDefinition[] {
    return [...this.functions.keys()]
      .sort(compare)
      .map((name) => copyOf(this.functions.get(name)) as FunctionDefinition);
  }

  putQueue(queue: Queue): void {
    const key = catalogKeys.queue(queue.name);
    // As in SQLite: creating a queue that exists changes nothing.
    if (this.queues.has(queue.name)) return;
    const entry = this.toEntry<StoredQueue>({ name: queue.name, createdAt: queue.createdAt });
    this.queues.set(queue.name, entry);
    this.bucket.put(key, entry.json);
  }

  getQueue(name: string): Queue | undefined {
    const entry = this.queues.get(name);
    return entry && toQueue(entry.value);
  }

  deleteQueue(name: string): void {
    if (!this.queues.delete(name)) return;
    this.bucket.delete(catalogKeys.queue(name));
  }

  listQueues(): Queue[] {
    return [...this.queues.keys()]
      .sort(compare)
      .map((name) => toQueue((this.queues.get(name) as Entry<StoredQueue>).value));
  }

  /**
   * The entry of a value to store; throws `InvalidParameter` when its JSON is larger than
   * NATS takes in one message, before anything is changed.
   */
  private toEntry<T>(value: T): Entry<T> {
    const json = JSON.stringify(value);
    const bytes = Buffer.byteLength(json);
    if (bytes > this.maxValueBytes) {
      throw invalidParameter(
        `The resource is too large to store: ${bytes} bytes, and the cluster's NATS ` +
          `takes at most ${this.maxValueBytes} per catalog entry`,
      );
    }
    return { value: JSON.parse(json) as T, json };
  }

  private subscriptionsOf(topicArn: string): Subscription[] {
    return [...this.subscriptions.values()]
      .map((entry) => entry.value)
      .filter((subscription) => subscription.topicArn === topicArn);
  }

  private setTopic(arn: string, entry: Entry<Topic>): void {
    if (!this.topics.has(arn)) this.topicOrder = undefined;
    this.topics.set(arn, entry);
  }

  private removeTopic(arn: string): void {
    if (this.topics.delete(arn)) this.topicOrder = undefined;
  }

  private setSubscription(id: number, entry: Entry<Subscription>): void {
    const previous = this.subscriptions.get(id);
    if (!previous) this.subscriptionOrder = undefined;
    else if (this.subscriptionIds.get(previous.value.arn) === id) {
      this.subscriptionIds.delete(previous.value.arn);
    }
    this.subscriptions.set(id, entry);
    this.subscriptionIds.set(entry.value.arn, id);
  }

  private removeSubscription(id: number): void {
    const previous = this.subscriptions.get(id);
    if (!previous) return;
    this.subscriptions.delete(id);
    this.subscriptionOrder = undefined;
    if (this.subscriptionIds.get(previous.value.arn) === id) {
      this.subscriptionIds.delete(previous.value.arn);
    }
  }

  /** Takes a change from the bucket into the replica and reports it if it changed anything. */
  private applyRemote(key: string, json: string | undefined): void {
    const target = parseCatalogKey(key);
    if (!target) return;
    let entry: Entry<never> | undefined;
    if (json !== undefined) {
      try {
        entry = { value: JSON.parse(json) as never, json };
      } catch (error) {
        this.logger.error({ err: error, key }, 'ignoring a catalog entry that is not JSON');
        return;
      }
    }
    switch (target.kind) {
      case 'topic':
        return this.remoteTopic(target.arn, entry);
      case 'subscription':
        return this.remoteSubscription(target.id, entry);
      case 'function':
        return this.remoteFunction(target.name, entry);
      case 'queue':
        return this.remoteQueue(target.name, entry);
    }
  }

  private remoteTopic(arn: string, entry: Entry<Topic> | undefined): void {
    const previous = this.topics.get(arn);
    if (previous?.json === entry?.json) return;
    if (entry) {
      this.setTopic(arn, entry);
    } else {
      // The deleting node removed the subscriptions it knew of; one made here (or seen
      // here) meanwhile is removed from the bucket too, so that none outlives its topic.
      for (const { id } of this.subscriptionsOf(arn)) {
        this.remoteSubscription(id, undefined);
        this.bucket.delete(catalogKeys.subscription(id));
      }
      this.removeTopic(arn);
    }
    this.emit({ kind: 'topic', key: arn, value: copyOf(entry), previous: previous?.value });
  }

  private remoteSubscription(id: number, entry: Entry<Subscription> | undefined): void {
    const previous = this.subscriptions.get(id);
    if (previous?.json === entry?.json) return;
    if (entry) this.setSubscription(id, entry);
    else this.removeSubscription(id);
    const arn = (entry ?? previous)?.value.arn ?? '';
    const change = { value: copyOf(entry), previous: previous?.value };
    this.emit({ kind: 'subscription', key: arn, ...change });
  }

  private remoteFunction(name: string, entry: Entry<FunctionDefinition> | undefined): void {
    const previous = this.functions.get(name);
    if (previous?.json === entry?.json) return;
    if (entry) this.functions.set(name, entry);
    else this.functions.delete(name);
    this.emit({ kind: 'function', key: name, value: copyOf(entry), previous: previous?.value });
  }

  private remoteQueue(name: string, entry: Entry<StoredQueue> | undefined): void {
    const previous = this.queues.get(name);
    if (previous?.json === entry?.json) return;
    if (entry) this.queues.set(name, entry);
    else this.queues.delete(name);
    const value = entry && toQueue(entry.value);
    this.emit({ kind: 'queue', key: name, value, previous: previous && toQueue(previous.value) });
  }

  private emit(change: CatalogChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (error) {
        this.logger.error({ err: error, kind: change.kind }, 'a catalog listener failed');
      }
    }
  }
}

/** A copy the caller may change without touching the replica. */
function copyOf<T>(entry: Entry<T>): T;
function copyOf<T>(entry: Entry<T> | undefined): T | undefined;
function copyOf<T>(entry: Entry<T> | undefined): T | undefined {
  return entry && (JSON.parse(entry.json) as T);
}

/** The stored fields of a subscription, in a fixed order so equal ones have equal JSON. */
function subscriptionRecord(s: Subscription): Subscription {
  const { id, arn, topicArn, protocol, endpoint, attributes, confirmed, createdAt } = s;
  return { id, arn, topicArn, protocol, endpoint, attributes, confirmed, createdAt };
}

function toQueue(stored: StoredQueue): Queue {
  return { name: stored.name, arn: '', createdAt: stored.createdAt };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The index of the first element of `sorted` greater than `after`. */
function firstAfter<T extends string | number>(sorted: readonly T[], after: T): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] as T) <= after) low = middle + 1;
    else high = middle;
  }
  return low;
}
