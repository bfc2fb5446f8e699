import type { Logger } from '../log/logger.js';
import { acceptedAt, type PublishedMessage } from '../domain/message.js';
import type { Subscription } from '../domain/subscription.js';
import type { Journal, LeasedDelivery, PendingDelivery } from '../store/journal.js';
import type { Delivery, DeliveryOutcome, DeliveryTarget, MessageEntry } from './delivery.js';
import { DueQueue } from './due-queue.js';
import { Fifo } from './fifo.js';
import { MessageGroups } from './message-groups.js';
import type { DeliveryMetrics } from './metrics.js';

/** What the engine needs from the rest of Herald. */
export interface DeliveryEngineOptions {
  journal: Journal;
  metrics: DeliveryMetrics;
  logger: Logger;
  /** The endpoint a subscription delivers to. */
  targetFor(subscription: Subscription): DeliveryTarget;
  /** Moves an exhausted delivery to its dead-letter queue (durably, through the journal). */
  deadLetter(delivery: Delivery, reason: string): void;
}

/** A subscription's deliveries that are ready now. */
interface Lane {
  subscription: Subscription;
  ready: Fifo<Delivery>;
  /** The target its deliveries go to, resolved on first use. */
  state?: TargetState;
  /** True while the lane sits in its target's round-robin list. */
  queued: boolean;
  removed: boolean;
}

/** A target with the lanes that have work for it. */
interface TargetState {
  target: DeliveryTarget;
  inFlight: number;
  /** Deliveries in its lanes' ready queues. */
  waiting: number;
  lanes: Fifo<Lane>;
  pumpScheduled: boolean;
}

/**
 * The delivery engine: holds every pending delivery in memory, hands ready ones to their
 * targets in batches within each target's concurrency, and settles the outcomes: ack,
 * retry after backoff, or dead-letter. The journal makes each step durable; after a crash
 * the engine is rebuilt from it, so a delivery is attempted at least once. Deliveries of a
 * FIFO message group go to each subscription one at a time, in order ({@link MessageGroups}).
 */
export class DeliveryEngine {
  private readonly options: DeliveryEngineOptions;
  private readonly lanes = new Map<number, Lane>();
  private readonly targets = new Map<string, TargetState>();
  private readonly removedSubscriptions = new Set<number>();
  private readonly due = new DueQueue();
  private readonly groups = new MessageGroups();
  private dueTimer: NodeJS.Timeout | undefined;
  private dueTimerAt = Infinity;
  private pending = 0;
  private inFlight = 0;
  private idleWaiters: Array<() => void> = [];
  private stopped = false;

  /** One debug line per successful delivery; decided once, it is on the hot path. */
  private readonly logSuccess: boolean;

  constructor(options: DeliveryEngineOptions) {
    this.options = options;
    this.logSuccess = options.logger.isLevelEnabled('debug');
  }

  /** Deliveries waiting, scheduled for retry or in flight. */
  get pendingCount(): number {
    return this.pending;
  }

  /**
   * Starts delivering newly committed messages to the given subscriptions. A shared journal
   * hands out the deliveries of committed messages itself ({@link admitLeased}), so with
   * one this does nothing.
   */
  enqueue(message: PublishedMessage, subscriptions: readonly Subscription[]): void {
    if (this.options.journal.shared) return;
    const entry: MessageEntry = { message, remaining: subscriptions.length };
    for (const subscription of subscriptions) {
      if (this.removedSubscriptions.has(subscription.id)) {
        this.discard(entry, message.seq, subscription.id);
        continue;
      }
      this.options.metrics.for(subscription).matched++;
      this.admit({ entry, subscription, attempt: 0, dueAt: acceptedAt(message) });
    }
  }

  /** Rebuilds the pending deliveries found in the journal after a restart. */
  restore(
    pending: PendingDelivery[],
    messages: Map<number, PublishedMessage>,
    subscriptions: Map<number, Subscription>,
  ): void {
    const entries = new Map<number, MessageEntry>();
    for (const row of pending) {
      const message = messages.get(row.messageSeq);
      if (!message) continue;
      const entry = entries.get(row.messageSeq);
      if (entry) entry.remaining++;
      else entries.set(row.messageSeq, { message, remaining: 1 });
    }

    for (const row of pending) {
      const entry = entries.get(row.messageSeq);
      if (!entry) continue;
      const subscription = subscriptions.get(row.subscriptionId);
      if (!subscription) {
        this.discard(entry, row.messageSeq, row.subscriptionId);
        continue;
      }
      this.admit({
        entry,
        subscription,
        attempt: row.attempt,
        dueAt: row.dueAt,
        ...(row.lastError === undefined ? {} : { lastError: row.lastError }),
      });
    }
  }

  /** Takes on a delivery that a shared journal leased to this node. */
  admitLeased(lease: LeasedDelivery, subscription: Subscription): void {
    const { message } = lease;
    const entry: MessageEntry = { message, remaining: 1 };
    if (this.removedSubscriptions.has(subscription.id)) {
      this.discard(entry, message.seq, subscription.id);
      return;
    }
    if (lease.attempt === 0) this.options.metrics.for(subscription).matched++;
    const dueAt = lease.attempt === 0 ? acceptedAt(message) : Date.now();
    this.admit({ entry, subscription, attempt: lease.attempt, dueAt });
  }

  /** Starts counting a new subscription, or replaces the one deliveries use. */
  updateSubscription(subscription: Subscription): void {
    this.options.metrics.for(subscription).subscription = subscription;
    const lane = this.lanes.get(subscription.id);
    if (lane) lane.subscription = subscription;
  }

  /** Drops a deleted subscription's pending deliveries, as SNS does on Unsubscribe. */
  removeSubscription(subscriptionId: number): void {
    this.removedSubscriptions.add(subscriptionId);
    for (const delivery of this.groups.removeSubscription(subscriptionId)) this.drop(delivery);
    const lane = this.lanes.get(subscriptionId);
    if (lane) {
      lane.removed = true;
      this.lanes.delete(subscriptionId);
      const cleared = lane.ready.clear();
      if (lane.state) lane.state.waiting -= cleared.length;
      for (const delivery of cleared) this.drop(delivery);
    }
    this.options.metrics.forget(subscriptionId);
  }

  /** Resolves when nothing is pending: every delivery acked or dead-lettered. */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Stops handing out deliveries and waits (up to `timeoutMs`) for those in flight to
   * settle. What is still pending stays in the journal for the next start.
   */
  async drain(timeoutMs: number): Promise<void> {
    this.stopped = true;
    if (this.dueTimer) clearTimeout(this.dueTimer);
    const deadline = Date.now() + timeoutMs;
    while (this.inFlight > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  private admit(delivery: Delivery): void {
    this.pending++;
    this.options.metrics.for(delivery.subscription).pending++;
    if (this.groups.claim(delivery)) this.schedule(delivery);
  }

  /** Makes a delivery ready, or parks it in the retry heap until it is due. */
  private schedule(delivery: Delivery): void {
    if (delivery.dueAt > Date.now() + 1) {
      this.due.push(delivery);
      this.armDueTimer();
      return;
    }
    this.makeReady(delivery);
  }

  private makeReady(delivery: Delivery): void {
    const lane = this.laneFor(delivery.subscription);
    lane.ready.push(delivery);
    const state = (lane.state ??= this.targetStateFor(lane.subscription));
    state.waiting++;
    if (!lane.queued) {
      lane.queued = true;
      state.lanes.push(lane);
    }
    this.schedulePump(state);
  }

  /**
   * Pumps on the next turn of the event loop, so that the deliveries of every message
   * committed in this turn travel together in as few batches as possible.
   */
  private schedulePump(state: TargetState): void {
    if (state.pumpScheduled) return;
    state.pumpScheduled = true;
    setImmediate(() => {
      state.pumpScheduled = false;
      this.pump(state);
    });
  }

  private laneFor(subscription: Subscription): Lane {
    let lane = this.lanes.get(subscription.id);
    if (!lane) {
      lane = { subscription, ready: new Fifo(), queued: false, removed: false };
      this.lanes.set(subscription.id, lane);
    }
    return lane;
  }

  private targetStateFor(subscription: Subscription): TargetState {
    const target = this.options.targetFor(subscription);
    let state = this.targets.get(target.key);
    if (!state) {
      const created: TargetState = {
        target,
        inFlight: 0,
        waiting: 0,
        lanes: new Fifo(),
        pumpScheduled: false,
      };
      target.watchCapacity?.(() => this.schedulePump(created));
      state = created;
      this.targets.set(target.key, state);
    }
    return state;
  }

  private pump(state: TargetState): void {
    if (this.stopped) return;
    const { target } = state;
    const concurrency = target.concurrency();

    while (state.inFlight < concurrency && state.lanes.length > 0) {
      const [lane] = state.lanes.take(1) as [Lane];
      if (lane.removed || lane.ready.length === 0) {
        lane.queued = false;
        continue;
      }

      const size = Math.min(target.maxBatch, concurrency - state.inFlight);
      const batch = lane.ready.take(size);
      state.waiting -= batch.length;
      for (const delivery of batch) delivery.subscription = lane.subscription;
      if (lane.ready.length > 0) state.lanes.push(lane);
      else lane.queued = false;

      state.inFlight += batch.length;
      this.inFlight += batch.length;
      void target.deliver(batch).then(
        (outcomes) => this.settle(state, batch, outcomes),
        (error: unknown) =>
          this.settle(
            state,
            batch,
            batch.map(() => failure(error)),
          ),
      );
    }
    target.reportBacklog?.(state.waiting);
  }

  private settle(state: TargetState, batch: Delivery[], outcomes: DeliveryOutcome[]): void {
    state.inFlight -= batch.length;
    this.inFlight -= batch.length;

    for (let i = 0; i < batch.length; i++) {
      const delivery = batch[i] as Delivery;
      const outcome = outcomes[i] ?? failure('no outcome reported');
      if (outcome.ok) this.succeeded(delivery, outcome.startedAt);
      // A shutdown ended it: not an attempt. It stays pending in the journal as it was.
      else if (this.stopped) continue;
      else this.failed(state.target, delivery, outcome.error, outcome.retryable !== false);
    }

    this.pump(state);
  }

  private succeeded(delivery: Delivery, startedAt: number | undefined): void {
    const { metrics, journal } = this.options;
    if (!this.removedSubscriptions.has(delivery.subscription.id)) {
      metrics.for(delivery.subscription).delivered++;
      if (startedAt !== undefined) {
        metrics.recordLatency(acceptedAt(delivery.entry.message), startedAt);
      }
    }

    journal.ack(this.keyOf(delivery), --delivery.entry.remaining === 0);
    this.finished(delivery);

    if (this.logSuccess) {
      this.options.logger.debug(
        {
          subscriptionArn: delivery.subscription.arn,
          messageId: delivery.entry.message.messageId,
          attempt: delivery.attempt + 1,
          latencyMs:
            startedAt === undefined ? undefined : startedAt - acceptedAt(delivery.entry.message),
        },
        'delivered',
      );
    }
  }

  private failed(target: DeliveryTarget, delivery: Delivery, error: string, retryable: boolean) {
    const { metrics, journal, logger } = this.options;
    const { subscription } = delivery;
    if (this.removedSubscriptions.has(subscription.id)) {
      this.drop(delivery);
      return;
    }
    metrics.for(subscription).failedAttempts++;
    delivery.attempt++;
    delivery.lastError = error;

    const maxAttempts = target.maxAttempts(subscription);
    const log = {
      subscriptionArn: subscription.arn,
      messageId: delivery.entry.message.messageId,
      attempt: delivery.attempt,
      maxAttempts,
      error,
    };
    if (!retryable || delivery.attempt >= maxAttempts) {
      logger.warn(log, 'delivery failed for good: dead-lettering');
      metrics.for(subscription).deadLettered++;
      delivery.entry.remaining--;
      this.options.deadLetter(delivery, error);
      this.finished(delivery);
      return;
    }

    delivery.dueAt = Date.now() + target.retryDelayMs(delivery.attempt, subscription);
    logger.info({ ...log, retryAt: new Date(delivery.dueAt).toISOString() }, 'delivery failed');
    const takenBack = journal.retry({
      ...this.keyOf(delivery),
      attempt: delivery.attempt,
      dueAt: delivery.dueAt,
      lastError: error,
    });
    if (takenBack) {
      this.finished(delivery);
      return;
    }
    this.due.push(delivery);
    this.armDueTimer();
  }

  private finished(delivery: Delivery): void {
    if (!this.removedSubscriptions.has(delivery.subscription.id)) {
      this.options.metrics.for(delivery.subscription).pending--;
    }
    const next = this.groups.release(delivery);
    if (next) this.schedule(next);
    this.pending--;
    if (this.pending === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  private discard(entry: MessageEntry, messageSeq: number, subscriptionId: number): void {
    this.options.journal.ack({ messageSeq, subscriptionId }, --entry.remaining === 0);
  }

  /** Ends a pending delivery of a deleted subscription without delivering it. */
  private drop(delivery: Delivery): void {
    this.discard(delivery.entry, delivery.entry.message.seq, delivery.subscription.id);
    this.finished(delivery);
  }

  private keyOf(delivery: Delivery) {
    return { messageSeq: delivery.entry.message.seq, subscriptionId: delivery.subscription.id };
  }

  private armDueTimer(): void {
    const next = this.due.peekDueAt();
    if (next === undefined || next >= this.dueTimerAt || this.stopped) return;
    if (this.dueTimer) clearTimeout(this.dueTimer);
    this.dueTimerAt = next;
    this.dueTimer = setTimeout(() => this.releaseDue(), Math.max(0, next - Date.now()));
  }

  private releaseDue(): void {
    this.dueTimer = undefined;
    this.dueTimerAt = Infinity;
    for (const delivery of this.due.takeDue(Date.now())) {
      if (this.removedSubscriptions.has(delivery.subscription.id)) this.drop(delivery);
      else this.makeReady(delivery);
    }
    this.armDueTimer();
  }
}

function failure(error: unknown): DeliveryOutcome {
  return { ok: false, error: error instanceof Error ? error.message : String(error) };
}
