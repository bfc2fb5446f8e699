import { join } from 'node:path';
import { DEFAULTS } from '../config/defaults.js';
import { functionNameOf, queueNameOf, type Partition } from '../domain/arn.js';
import type { FunctionDefinition } from '../domain/function.js';
import type { Queue, QueueMessage, QueueSummary } from '../domain/queue.js';
import type { Subscription } from '../domain/subscription.js';
import type { Topic } from '../domain/topic.js';
import type { DeliveryTarget } from '../delivery/delivery.js';
import { DeliveryEngine } from '../delivery/engine.js';
import { DeliveryMetrics } from '../delivery/metrics.js';
import type { BackoffPolicy } from '../delivery/retry-schedule.js';
import { FunctionTarget } from '../delivery/targets/function-target.js';
import { QueueTarget } from '../delivery/targets/queue-target.js';
import { BundleStore } from '../functions/bundle-store.js';
import { ConcurrencyGovernor } from '../functions/concurrency-governor.js';
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
  PublishResult,
  RedriveResult,
} from './api.js';
import { FunctionDestinations } from './function-destinations.js';
import { FunctionInvoker, type InvokeOptions, type InvokeResult } from './function-invoker.js';
import { governorOptionsOf } from './function-scaling.js';
import type { FunctionUpdate } from './function-settings.js';
import { FunctionService } from './functions.js';
import { heraldMetrics, type HeraldMetrics } from './herald-metrics.js';
import type { HeraldOptions } from './options.js';
import { Publisher } from './publisher.js';
import { QueueService } from './queues.js';
import { Registry } from './registry.js';
import { SubscriptionService } from './subscriptions.js';
import { ConfirmationService } from './confirmations.js';
import { HttpEndpoints, loadHttpEndpointFiles, type HttpEndpointFiles } from './http-endpoints.js';
import { SqliteSubscriptionTokens } from '../store/sqlite/sqlite-subscription-tokens.js';
import type { PermissionGrant } from './topic-permissions.js';
import { TopicResourceService } from './topic-resources.js';
import { TopicService } from './topics.js';

export type { HeraldOptions } from './options.js';
export type { HeraldMetrics } from './herald-metrics.js';

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
  private readonly governor: ConcurrencyGovernor;
  private readonly destinations: FunctionDestinations;
  private readonly invoker: FunctionInvoker;
  private readonly topics: TopicService;
  private readonly topicResources: TopicResourceService;
  private readonly subscriptions: SubscriptionService;
  private readonly http: HttpEndpoints;
  private readonly confirmations: ConfirmationService;
  private readonly functions: FunctionService;
  private readonly queues: QueueService;
  private readonly publisher: Publisher;
  private readonly targets = new Map<string, DeliveryTarget>();
  private readonly logger: Logger;
  private closing: Promise<void> | undefined;

  constructor(options: HeraldOptions, httpFiles: HttpEndpointFiles) {
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

    this.db = openDatabase(options.dataDir);
    const catalog = new SqliteCatalog(this.db);
    this.journal = new SqliteJournal(this.db);
    this.registry = Registry.load(catalog);
    this.http = new HttpEndpoints(
      options,
      httpFiles,
      this.registry,
      this.logger.child({ component: 'http' }),
    );
    this.pool = new FunctionPool({
      logger: this.logger,
      idleTimeoutMs: options.functionIdleReleaseMs ?? DEFAULTS.functionIdleReleaseMs,
      ...(options.maxThreadsPerFunction === undefined
        ? {}
        : { maxThreadsPerFunction: options.maxThreadsPerFunction }),
    });
    this.governor = new ConcurrencyGovernor(
      governorOptionsOf(options, (name) => this.functions.reservedConcurrency(name)),
    );

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
      this.governor,
    );
    this.engine = new DeliveryEngine({
      journal: this.journal,
      metrics: this.metricsState,
      logger: this.logger.child({ component: 'delivery' }),
      targetFor: (subscription) => this.targetFor(subscription, backoff),
      deadLetter: (delivery, reason) => this.destinations.deadLetter(delivery, reason),
    });
    this.topics = new TopicService(catalog, this.registry, this.partition, pageSize, (removed) => {
      for (const subscription of removed) this.engine.removeSubscription(subscription.id);
    });
    this.topicResources = new TopicResourceService(this.topics);
    this.subscriptions = new SubscriptionService(
      catalog,
      this.registry,
      this.topics,
      {
        hasFunction: (name) => this.functions.has(name),
        hasQueue: (name) => this.queues.has(name),
        allowPrivateEndpoints: options.allowPrivateEndpoints ?? false,
      },
      this.partition,
      pageSize,
      (subscription) => this.engine.updateSubscription(subscription),
      (subscription) => {
        this.engine.removeSubscription(subscription.id);
        this.http.delivery.forget(subscription.id);
      },
      {
        requested: (subscription) => this.confirmations.requested(subscription),
        unsubscribed: (subscription) => this.confirmations.unsubscribed(subscription),
      },
      (topicArn) => this.registry.topic(topicArn)?.attributes.DeliveryPolicy ?? '',
    );
    this.confirmations = new ConfirmationService(
      new SqliteSubscriptionTokens(this.db),
      this.subscriptions,
      this.http.confirmationSender,
      {
        tokenTtlMs: options.confirmationTokenTtlMs ?? DEFAULTS.confirmationTokenTtlMs,
        pendingSubscriptionTtlMs:
          options.pendingSubscriptionTtlMs ?? DEFAULTS.pendingSubscriptionTtlMs,
      },
    );
    this.publisher = new Publisher(
      this.registry,
      this.journal,
      this.engine,
      this.metricsState,
      options.maxMessageBytes ?? DEFAULTS.maxMessageBytes,
    );

    this.destinations = new FunctionDestinations({
      functions: this.functions,
      journal: this.journal,
      topicExists: (arn) => this.registry.topic(arn) !== undefined,
      queueExists: (name) => this.queues.has(name),
      publish: (topicArn, message) => this.publisher.publishNow({ topicArn, message }),
      deadLetter: (delivery, reason) => this.queues.deadLetter(delivery, reason),
      deadLetterQueueFor: (subscription) => this.queues.deadLetterQueueFor(subscription),
      logger: this.logger.child({ component: 'destinations' }),
    });
    this.invoker = new FunctionInvoker(
      this.functions,
      this.pool,
      this.governor,
      this.journal,
      this.engine,
    );

    for (const subscription of this.registry.subscriptionsById().values()) {
      this.engine.updateSubscription(subscription);
    }
    const { deliveries, messages } = this.journal.loadPending();
    const subscriptions = new Map([
      ...this.registry.subscriptionsById(),
      ...this.functions.eventSubscriptionsById(),
    ]);
    this.engine.restore(deliveries, messages, subscriptions);
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

  listTagsForResource(resourceArn: string): Promise<Record<string, string>> {
    return run(() => this.topicResources.tags(resourceArn));
  }

  tagResource(resourceArn: string, tags: Record<string, string>): Promise<void> {
    return run(() => this.topicResources.tag(resourceArn, tags));
  }

  untagResource(resourceArn: string, tagKeys: string[]): Promise<void> {
    return run(() => this.topicResources.untag(resourceArn, tagKeys));
  }

  addPermission(topicArn: string, grant: PermissionGrant): Promise<void> {
    return run(() => this.topicResources.addPermission(topicArn, grant));
  }

  removePermission(topicArn: string, label: string): Promise<void> {
    return run(() => this.topicResources.removePermission(topicArn, label));
  }

  getDataProtectionPolicy(resourceArn: string): Promise<string> {
    return run(() => this.topicResources.dataProtectionPolicy(resourceArn));
  }

  putDataProtectionPolicy(resourceArn: string, policy: string): Promise<void> {
    return run(() => this.topicResources.putDataProtectionPolicy(resourceArn, policy));
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

  publish(input: PublishInput): Promise<PublishResult> {
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

  updateFunction(name: string, update: FunctionUpdate): Promise<FunctionDefinition> {
    return this.functions.update(name, update);
  }

  invokeFunction(name: string, payload: string, options?: InvokeOptions): Promise<InvokeResult> {
    return this.invoker.invoke(name, payload, options);
  }

  invokeFunctionAsync(name: string, payload: string): Promise<{ requestId: string }> {
    return this.invoker.invokeAsync(name, payload);
  }

  dryRunInvoke(name: string, payload: string): Promise<void> {
    return run(() => this.invoker.dryRun(name, payload));
  }

  removeFunction(name: string): Promise<void> {
    return this.functions.remove(name);
  }

  createQueue(name: string): Promise<Queue> {
    return run(() => this.queues.create(name));
  }

  listQueues(): Promise<QueueSummary[]> {
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

  countDeadLetters(queueName?: string): Promise<number> {
    return run(() => this.queues.countDeadLetters(queueName));
  }

  redriveDeadLetters(queueName: string, max = 1000): Promise<RedriveResult> {
    return this.queues.redrive(
      queueName,
      max,
      (arn) => this.registry.subscription(arn),
      this.engine,
    );
  }

  confirmSubscription(topicArn: string, token: string): Promise<Subscription> {
    return run(() => this.confirmations.confirm(topicArn, token));
  }

  /** The PEM certificate SNS message signatures verify against (served at SigningCertURL). */
  signingCertificate(): string {
    return this.http.signingCertificate;
  }

  /** Points the URLs in envelopes (SubscribeURL, SigningCertURL, ...) at Herald's own URL. */
  usePublicUrl(url: string): void {
    this.http.usePublicUrl(url);
  }

  /** A snapshot of delivery counters and publish-to-consumer latency since start. */
  metrics(): HeraldMetrics {
    return heraldMetrics(this.metricsState.snapshot(), this.governor, this.pool);
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
      this.confirmations.close();
      await this.http.close();
      await this.pool.close();
      this.governor.close();
      this.journal.close();
      this.db.close();
    })();
    return this.closing;
  }

  private targetFor(subscription: Subscription, backoff: BackoffPolicy): DeliveryTarget {
    const key = `${subscription.protocol}:${subscription.endpoint}`;
    let target = this.targets.get(key);
    if (target) return target;

    if (subscription.protocol === 'http' || subscription.protocol === 'https') {
      target = this.http.delivery.targetFor(subscription);
    } else if (subscription.protocol === 'lambda') {
      const name = functionNameOf(subscription.endpoint) ?? subscription.endpoint;
      const { functions, pool, governor, destinations } = this;
      target = new FunctionTarget(name, { functions, pool, governor, destinations, backoff });
    } else {
      const name = queueNameOf(subscription.endpoint) ?? subscription.endpoint;
      target = new QueueTarget(
        name,
        this.journal,
        (queue) => this.queues.has(queue),
        this.http.envelopes,
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
  return new Herald(options, await loadHttpEndpointFiles(options));
}

/** Runs a synchronous service call, turning its throw into a rejected promise. */
async function run<T>(call: () => T): Promise<T> {
  return call();
}
