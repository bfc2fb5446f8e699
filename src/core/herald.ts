import { join } from 'node:path';
import { DEFAULTS } from '../config/defaults.js';
import { functionNameOf, queueNameOf, type Partition } from '../domain/arn.js';
import type { FunctionDefinition } from '../domain/function.js';
import type { Queue, QueueMessage } from '../domain/queue.js';
import type { Subscription } from '../domain/subscription.js';
import type { Topic } from '../domain/topic.js';
import type { DeliveryTarget } from '../delivery/delivery.js';
import { DeliveryEngine } from '../delivery/engine.js';
import { DeliveryMetrics, type HeraldMetrics } from '../delivery/metrics.js';
import type { BackoffPolicy } from '../delivery/retry-schedule.js';
import { FunctionTarget } from '../delivery/targets/function-target.js';
import { QueueTarget } from '../delivery/targets/queue-target.js';
import { BundleStore } from '../functions/bundle-store.js';
import { FunctionPool } from '../functions/pool.js';
import { silentLogger, type Logger } from '../log/logger.js';
import { openDatabase, type SqliteDatabase } from '../store/sqlite/database.js';
import { SqliteCatalog } from '../store/sqlite/sqlite-catalog.js';
import { SqliteJournal } from '../store/sqlite/sqlite-journal.js';
import type {
  DeadLetter,
  DeployFunctionInput,
  HeraldApi,
  Page,
  PublishBatchEntry,
  PublishBatchResult,
  PublishInput,
} from './api.js';
import { FunctionService } from './functions.js';
import type { HeraldOptions } from './options.js';
import { Publisher } from './publisher.js';
import { QueueService } from './queues.js';
import { Registry } from './registry.js';
import { SubscriptionService } from './subscriptions.js';
import { TopicService } from './topics.js';

export type { HeraldOptions } from './options.js';
export type { HeraldMetrics } from '../delivery/metrics.js';

/**
 * An embedded Herald: the store, the delivery engine, the function pool and the services
 * every API calls. Create one with {@link createHerald}; `close()` drains and stops it.
 */
export class Herald implements HeraldApi {
  readonly partition: Partition;
  private readonly db: SqliteDatabase;
  private readonly journal: SqliteJournal;
  private readonly registry: Registry;
  private readonly metricsState = new DeliveryMetrics();
  private readonly engine: DeliveryEngine;
  private readonly pool: FunctionPool;
  private readonly topics: TopicService;
  private readonly subscriptions: SubscriptionService;
  private readonly functions: FunctionService;
  private readonly queues: QueueService;
  private readonly publisher: Publisher;
  private readonly targets = new Map<string, DeliveryTarget>();
  private readonly logger: Logger;
  private closing: Promise<void> | undefined;

  constructor(options: HeraldOptions) {
    this.logger = options.logger ?? silentLogger();
    this.partition = {
      region: options.region ?? DEFAULTS.region,
      accountId: options.accountId ?? DEFAULTS.accountId,
    };
    const pageSize = DEFAULTS.pageSize;
    const backoff: BackoffPolicy = {
      baseDelayMs: options.retryBaseDelayMs ?? DEFAULTS.retryBaseDelayMs,
      maxDelayMs: options.retryMaxDelayMs ?? DEFAULTS.retryMaxDelayMs,
    };
    const links = { baseUrl: options.publicUrl ?? `http://${DEFAULTS.host}:${DEFAULTS.port}` };

    this.db = openDatabase(options.dataDir);
    const catalog = new SqliteCatalog(this.db);
    this.journal = new SqliteJournal(this.db);
    this.registry = Registry.load(catalog);
    this.pool = new FunctionPool({
      logger: this.logger,
      ...(options.maxThreadsPerFunction === undefined
        ? {}
        : { maxThreadsPerFunction: options.maxThreadsPerFunction }),
    });

    this.queues = new QueueService(
      catalog,
      this.journal,
      this.partition,
      options.defaultDeadLetterQueue ?? DEFAULTS.defaultDeadLetterQueue,
      this.logger.child({ component: 'queues' }),
    );
    this.functions = new FunctionService(
      catalog,
      new BundleStore(join(options.dataDir, 'functions')),
      this.pool,
      this.partition,
      options.functionConcurrency ?? DEFAULTS.functionConcurrency,
    );
    this.engine = new DeliveryEngine({
      journal: this.journal,
      metrics: this.metricsState,
      logger: this.logger.child({ component: 'delivery' }),
      targetFor: (subscription) => this.targetFor(subscription, backoff, links),
      deadLetter: (delivery, reason) => this.queues.deadLetter(delivery, reason),
    });
    this.topics = new TopicService(catalog, this.registry, this.partition, pageSize, (removed) => {
      for (const subscription of removed) this.engine.removeSubscription(subscription.id);
    });
    this.subscriptions = new SubscriptionService(
      catalog,
      this.registry,
      this.topics,
      {
        hasFunction: (name) => this.functions.has(name),
        hasQueue: (name) => this.queues.has(name),
      },
      this.partition,
      pageSize,
      (subscription) => this.engine.updateSubscription(subscription),
      (subscription) => this.engine.removeSubscription(subscription.id),
    );
    this.publisher = new Publisher(
      this.registry,
      this.journal,
      this.engine,
      this.metricsState,
      options.maxMessageBytes ?? DEFAULTS.maxMessageBytes,
    );

    for (const subscription of this.registry.subscriptionsById().values()) {
      this.engine.updateSubscription(subscription);
    }
    const { deliveries, messages } = this.journal.loadPending();
    this.engine.restore(deliveries, messages, this.registry.subscriptionsById());
    if (deliveries.length > 0) {
      this.logger.info({ pending: deliveries.length }, 'resuming pending deliveries');
    }
  }

  createTopic(
    name: string,
    attributes?: Record<string, string>,
    tags?: Record<string, string>,
  ): Promise<Topic> {
    return run(() => this.topics.create(name, attributes, tags));
  }

  deleteTopic(topicArn: string): Promise<void> {
    return run(() => this.topics.delete(topicArn));
  }

  listTopics(nextToken?: string): Promise<Page<Topic>> {
    return run(() => this.topics.list(nextToken));
  }

  getTopicAttributes(topicArn: string): Promise<Record<string, string>> {
    return run(() => this.topics.attributes(topicArn));
  }

  setTopicAttribute(topicArn: string, name: string, value: string): Promise<void> {
    return run(() => this.topics.setAttribute(topicArn, name, value));
  }

  subscribe(
    topicArn: string,
    protocol: string,
    endpoint: string,
    attributes?: Record<string, string>,
  ): Promise<Subscription> {
    return run(() => this.subscriptions.subscribe(topicArn, protocol, endpoint, attributes));
  }

  unsubscribe(subscriptionArn: string): Promise<void> {
    return run(() => this.subscriptions.unsubscribe(subscriptionArn));
  }

  listSubscriptions(nextToken?: string): Promise<Page<Subscription>> {
    return run(() => this.subscriptions.list(nextToken));
  }

  listSubscriptionsByTopic(topicArn: string, nextToken?: string): Promise<Page<Subscription>> {
    return run(() => this.subscriptions.list(nextToken, topicArn));
  }

  getSubscriptionAttributes(subscriptionArn: string): Promise<Record<string, string>> {
    return run(() => this.subscriptions.attributes(subscriptionArn));
  }

  setSubscriptionAttribute(subscriptionArn: string, name: string, value: string): Promise<void> {
    return run(() => this.subscriptions.setAttribute(subscriptionArn, name, value));
  }

  publish(input: PublishInput): Promise<{ messageId: string }> {
    return this.publisher.publish(input);
  }

  publishBatch(topicArn: string, entries: PublishBatchEntry[]): Promise<PublishBatchResult> {
    return this.publisher.publishBatch(topicArn, entries);
  }

  deployFunction(input: DeployFunctionInput): Promise<FunctionDefinition> {
    return this.functions.deploy(input);
  }

  getFunction(name: string): Promise<FunctionDefinition> {
    return run(() => this.functions.get(name));
  }

  listFunctions(): Promise<FunctionDefinition[]> {
    return run(() => this.functions.list());
  }

  removeFunction(name: string): Promise<void> {
    return this.functions.remove(name);
  }

  createQueue(name: string): Promise<Queue> {
    return run(() => this.queues.create(name));
  }

  listQueues(): Promise<Queue[]> {
    return run(() => this.queues.list());
  }

  deleteQueue(name: string): Promise<void> {
    return run(() => this.queues.delete(name));
  }

  receiveMessages(queueName: string, max: number): Promise<QueueMessage[]> {
    return run(() => this.queues.receive(queueName, max));
  }

  purgeQueue(queueName: string): Promise<number> {
    return run(() => this.queues.purge(queueName));
  }

  listDeadLetters(queueName?: string, max = 100): Promise<DeadLetter[]> {
    return run(() => this.queues.listDeadLetters(queueName, max));
  }

  redriveDeadLetters(queueName: string, max = 1000): Promise<number> {
    return this.queues.redrive(
      queueName,
      max,
      (arn) => this.registry.subscription(arn),
      this.engine,
    );
  }

  /** A snapshot of delivery counters and publish-to-consumer latency since start. */
  metrics(): HeraldMetrics {
    return this.metricsState.snapshot();
  }

  /** Forgets the latency measured so far (benchmarks measure one phase at a time). */
  resetLatency(): void {
    this.metricsState.resetLatency();
  }

  /** Resolves once no delivery is pending or in flight, retries included. */
  idle(): Promise<void> {
    return this.engine.idle();
  }

  /**
   * Stops delivering, waits up to `drainTimeoutMs` for in-flight deliveries, commits what
   * is waiting and closes the store. Pending deliveries resume at the next start.
   */
  close(drainTimeoutMs: number = DEFAULTS.drainTimeoutMs): Promise<void> {
    this.closing ??= (async () => {
      await this.engine.drain(drainTimeoutMs);
      await this.pool.close();
      this.journal.close();
      this.db.close();
    })();
    return this.closing;
  }

  private targetFor(
    subscription: Subscription,
    backoff: BackoffPolicy,
    links: { baseUrl: string },
  ): DeliveryTarget {
    const key = `${subscription.protocol}:${subscription.endpoint}`;
    let target = this.targets.get(key);
    if (target) return target;

    if (subscription.protocol === 'lambda') {
      const name = functionNameOf(subscription.endpoint) ?? subscription.endpoint;
      target = new FunctionTarget(name, this.functions, this.pool, backoff);
    } else {
      const name = queueNameOf(subscription.endpoint) ?? subscription.endpoint;
      target = new QueueTarget(
        name,
        this.journal,
        (queue) => this.queues.has(queue),
        links,
        backoff,
        DEFAULTS.queueMaxAttempts,
      );
    }
    this.targets.set(key, target);
    return target;
  }
}

/** Opens (or creates) an embedded Herald in `options.dataDir`. */
export async function createHerald(options: HeraldOptions): Promise<Herald> {
  return new Herald(options);
}

/** Runs a synchronous service call, turning its throw into a rejected promise. */
async function run<T>(call: () => T): Promise<T> {
  return call();
}
