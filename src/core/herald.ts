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
import type { Journal } from '../store/journal.js';
import type { HeraldStores } from '../store/stores.js';
import { ClusterSync } from './cluster-sync.js';
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
import { isFifoTopic } from './fifo-rules.js';
import { SubscriptionUniqueness } from './subscription-uniqueness.js';
import { openStores } from './open-stores.js';
import { Publisher } from './publisher.js';
import { QueueService } from './queues.js';
import { Registry } from './registry.js';
import { SubscriptionService } from './subscriptions.js';
import { ConfirmationService } from './confirmations.js';
import { HttpEndpoints, loadHttpEndpointFiles, type HttpEndpointFiles } from './http-endpoints.js';
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
  private readonly stores: HeraldStores;
  private readonly journal: Journal;
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
  private readonly uniqueness: SubscriptionUniqueness;
  private readonly targets = new Map<string, DeliveryTarget>();
  private readonly logger: Logger;
  private closing: Promise<void> | undefined;

  constructor(options: HeraldOptions, httpFiles: HttpEndpointFiles, stores: HeraldStores) {
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

    this.stores = stores;
    const { catalog } = stores;
    this.journal = stores.journal;
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
      stores.names,
    );
    this.functions = new FunctionService(
      catalog,
      new BundleStore(join(options.dataDir, 'functions')),
      this.pool,
      this.partition,
      this.governor,
      stores.bundles,
    );
    this.engine = new DeliveryEngine({
      journal: this.journal,
      metrics: this.metricsState,
      logger: this.logger.child({ component: 'delivery' }),
      targetFor: (subscription) => this.targetFor(subscription, backoff),
      deadLetter: (delivery, reason) => this.destinations.deadLetter(delivery, reason),
    });
    this.topics = new TopicService(catalog, this.registry, this.partition, pageSize, (removed) => {
      for (const subscription of removed) this.forgetSubscription(subscription.id, true);
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
      (subscription) => {
        this.engine.updateSubscription(subscription);
        this.lease(subscription);
      },
      (subscription) => this.forgetSubscription(subscription.id, true),
      {
        requested: (subscription) => this.confirmations.requested(subscription),
        unsubscribed: (subscription) => this.confirmations.unsubscribed(subscription),
      },
      (topicArn) => this.registry.topic(topicArn)?.attributes.DeliveryPolicy ?? '',
    );
    this.confirmations = new ConfirmationService(
      stores.tokens,
      this.subscriptions,
      this.http.confirmationSender,
      {
        tokenTtlMs: options.confirmationTokenTtlMs ?? DEFAULTS.confirmationTokenTtlMs,
        pendingSubscriptionTtlMs:
          options.pendingSubscriptionTtlMs ?? DEFAULTS.pendingSubscriptionTtlMs,
      },
    );
    this.uniqueness = new SubscriptionUniqueness(stores.names, this.registry);
    this.publisher = new Publisher(
      this.registry,
      this.journal,
      this.engine,
      this.metricsState,
      options.maxMessageBytes ?? DEFAULTS.maxMessageBytes,
      stores.deduplication,
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
      this.lease(subscription);
    }
    for (const subscription of this.functions.eventSubscriptionsById().values()) {
      this.lease(subscription);
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

    const sync = new ClusterSync({
      registry: this.registry,
      functions: this.functions,
      queues: this.queues,
      lease: (subscription) => this.lease(subscription),
      updateSubscription: (subscription) => this.engine.updateSubscription(subscription),
      forgetSubscription: (id) => this.forgetSubscription(id, false),
      logger: this.logger.child({ component: 'cluster' }),
    });
    stores.watch?.((change) => sync.apply(change));
  }

  createTopic(
    name: string,
    attributes?: Record<string, string>,
    tags?: Record<string, string>,
  ): Promise<Topic> {
    return this.run(() => this.topics.create(name, attributes, tags));
  }

  async deleteTopic(topicArn: string): Promise<void> {
    const subscriptions = this.registry.subscriptionsOf(topicArn);
    await this.run(() => this.topics.delete(topicArn));
    await this.uniqueness.released(subscriptions);
  }

  listTopics(nextToken?: string): Promise<Page<Topic>> {
    return this.run(() => this.topics.list(nextToken));
  }

  getTopicAttributes(topicArn: string): Promise<Record<string, string>> {
    return this.run(() => this.topics.attributes(topicArn));
  }

  setTopicAttribute(topicArn: string, name: string, value: string): Promise<void> {
    return this.run(() => this.topics.setAttribute(topicArn, name, value));
  }

  listTagsForResource(resourceArn: string): Promise<Record<string, string>> {
    return this.run(() => this.topicResources.tags(resourceArn));
  }

  tagResource(resourceArn: string, tags: Record<string, string>): Promise<void> {
    return this.run(() => this.topicResources.tag(resourceArn, tags));
  }

  untagResource(resourceArn: string, tagKeys: string[]): Promise<void> {
    return this.run(() => this.topicResources.untag(resourceArn, tagKeys));
  }

  addPermission(topicArn: string, grant: PermissionGrant): Promise<void> {
    return this.run(() => this.topicResources.addPermission(topicArn, grant));
  }

  removePermission(topicArn: string, label: string): Promise<void> {
    return this.run(() => this.topicResources.removePermission(topicArn, label));
  }

  getDataProtectionPolicy(resourceArn: string): Promise<string> {
    return this.run(() => this.topicResources.dataProtectionPolicy(resourceArn));
  }

  putDataProtectionPolicy(resourceArn: string, policy: string): Promise<void> {
    return this.run(() => this.topicResources.putDataProtectionPolicy(resourceArn, policy));
  }

  async subscribe(
    topicArn: string,
    protocol: string,
    endpoint: string,
    attributes?: Record<string, string>,
  ): Promise<Subscription> {
    await this.uniqueness.beforeSubscribe(topicArn, protocol, endpoint);
    return this.run(() => this.subscriptions.subscribe(topicArn, protocol, endpoint, attributes));
  }

  async unsubscribe(subscriptionArn: string): Promise<void> {
    const subscription = this.registry.subscription(subscriptionArn);
    await this.run(() => this.subscriptions.unsubscribe(subscriptionArn));
    if (subscription) await this.uniqueness.released([subscription]);
  }

  listSubscriptions(nextToken?: string): Promise<Page<Subscription>> {
    return this.run(() => this.subscriptions.list(nextToken));
  }

  listSubscriptionsByTopic(topicArn: string, nextToken?: string): Promise<Page<Subscription>> {
    return this.run(() => this.subscriptions.list(nextToken, topicArn));
  }

  getSubscriptionAttributes(subscriptionArn: string): Promise<Record<string, string>> {
    return this.run(() => this.subscriptions.attributes(subscriptionArn));
  }

  setSubscriptionAttribute(subscriptionArn: string, name: string, value: string): Promise<void> {
    return this.run(() => this.subscriptions.setAttribute(subscriptionArn, name, value));
  }

  publish(input: PublishInput): Promise<PublishResult> {
    return this.publisher.publish(input);
  }

  publishBatch(topicArn: string, entries: PublishBatchEntry[]): Promise<PublishBatchResult> {
    return this.publisher.publishBatch(topicArn, entries);
  }

  deployFunction(input: DeployFunctionInput): Promise<FunctionDefinition> {
    return this.run(async () => {
      const definition = await this.functions.deploy(input);
      this.leaseEventsOf(definition.name);
      return definition;
    });
  }

  getFunction(name: string): Promise<FunctionDefinition> {
    return this.run(() => this.functions.get(name));
  }

  listFunctions(): Promise<FunctionDefinition[]> {
    return this.run(() => this.functions.list());
  }

  updateFunction(name: string, update: FunctionUpdate): Promise<FunctionDefinition> {
    return this.run(() => this.functions.update(name, update));
  }

  invokeFunction(name: string, payload: string, options?: InvokeOptions): Promise<InvokeResult> {
    return this.invoker.invoke(name, payload, options);
  }

  invokeFunctionAsync(name: string, payload: string): Promise<{ requestId: string }> {
    return this.invoker.invokeAsync(name, payload);
  }

  dryRunInvoke(name: string, payload: string): Promise<void> {
    return this.run(() => this.invoker.dryRun(name, payload));
  }

  removeFunction(name: string): Promise<void> {
    return this.run(async () => {
      const { eventQueueId } = this.functions.get(name);
      await this.functions.remove(name);
      if (eventQueueId !== undefined) await this.journal.stopLeasing(eventQueueId, true);
    });
  }

  createQueue(name: string): Promise<Queue> {
    return this.run(() => this.queues.create(name));
  }

  listQueues(): Promise<QueueSummary[]> {
    return this.run(() => this.queues.list());
  }

  deleteQueue(name: string): Promise<void> {
    return this.run(() => this.queues.delete(name));
  }

  receiveMessages(queueName: string, max: number): Promise<QueueMessage[]> {
    return this.run(() => this.queues.receive(queueName, max));
  }

  purgeQueue(queueName: string): Promise<number> {
    return this.run(() => this.queues.purge(queueName));
  }

  listDeadLetters(queueName?: string, max = 100): Promise<DeadLetter[]> {
    return this.run(() => this.queues.listDeadLetters(queueName, max));
  }

  countDeadLetters(queueName?: string): Promise<number> {
    return this.run(() => this.queues.countDeadLetters(queueName));
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
    return this.run(() => this.confirmations.confirm(topicArn, token));
  }

  /** Fetches the code of functions deployed through other nodes (shared stores only). */
  fetchMissingCode(): Promise<void> {
    return this.functions.fetchMissingCode();
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

  unhealthy(): string | undefined {
    return this.stores.unhealthy?.();
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
   * Stops delivering, waits up to `drainTimeoutMs` for in-flight deliveries, then ends
   * the invocations still running, commits what is waiting and closes the store. Pending
   * deliveries, those ended included, resume at the next start.
   */
  close(drainTimeoutMs: number = DEFAULTS.drainTimeoutMs): Promise<void> {
    this.closing ??= (async () => {
      const deadline = Date.now() + drainTimeoutMs;
      await this.engine.drain(drainTimeoutMs);
      this.confirmations.close();
      await this.http.close();
      await this.pool.close(Math.max(0, deadline - Date.now()));
      this.governor.close();
      await this.stores.close();
    })();
    return this.closing;
  }

  /**
   * Runs a service call and waits until what it wrote to the catalog is durable, turning a
   * throw into a rejected promise.
   */
  private async run<T>(call: () => T | Promise<T>): Promise<T> {
    const result = await call();
    await Promise.all([this.stores.catalog.settled(), this.stores.tokens.settled()]);
    return result;
  }

  /** Takes this node's share of a subscription's deliveries from a shared journal. */
  private lease(subscription: Subscription): void {
    if (!this.journal.shared) return;
    const topic = this.registry.topic(subscription.topicArn);
    const ordered = topic !== undefined && isFifoTopic(topic);
    this.journal.lease(subscription.id, {
      maxDeliveries: ordered ? 1 : DEFAULTS.leasedDeliveriesPerSubscription,
      ordered,
      deliver: (lease) => {
        const current =
          this.registry.subscriptionsById().get(lease.subscriptionId) ??
          this.functions.eventSubscriptionsById().get(lease.subscriptionId);
        if (current) this.engine.admitLeased(lease, current);
        else this.journal.ack({ messageSeq: lease.message.seq, subscriptionId: 0 }, true);
      },
    });
  }

  private leaseEventsOf(name: string): void {
    const { eventQueueId } = this.functions.get(name);
    const subscription =
      eventQueueId === undefined
        ? undefined
        : this.functions.eventSubscriptionsById().get(eventQueueId);
    if (subscription) this.lease(subscription);
  }

  /**
   * Drops a deleted subscription's pending deliveries on this node; `here` when it was
   * deleted through this node, which then also discards them from a shared journal.
   */
  private forgetSubscription(id: number, here: boolean): void {
    this.engine.removeSubscription(id);
    this.http.delivery.forget(id);
    this.journal.stopLeasing(id, here).catch((error: unknown) => {
      this.logger.warn({ subscriptionId: id, err: error }, 'stopping deliveries');
    });
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

/**
 * Opens (or creates) a Herald: embedded in `options.dataDir`, or a node of the cluster
 * sharing the NATS store `options.store` names.
 */
export async function createHerald(options: HeraldOptions): Promise<Herald> {
  const httpFiles = await loadHttpEndpointFiles(options);
  const stores = await openStores(options);
  try {
    const herald = new Herald(options, httpFiles, stores);
    await herald.fetchMissingCode();
    return herald;
  } catch (error) {
    await stores.close();
    throw error;
  }
}
