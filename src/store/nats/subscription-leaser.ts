import {
  AckPolicy,
  DeliverPolicy,
  type Consumer,
  type ConsumerInfo,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import type { Logger } from '../../log/logger.js';
import type { LeaseOptions } from '../journal.js';
import { MAX_BATCH_DELIVERIES } from './delivery-batches.js';
import type { JournalNames } from './stream-names.js';

/** How long one pull request waits for deliveries before the next is sent, ms. */
const PULL_EXPIRES_MS = 5_000;
/** How long to wait before pulling again after an error, ms. */
const ERROR_PAUSE_MS = 1_000;
/** Deliveries of one subscription the whole cluster may hold unacknowledged. */
const MAX_ACK_PENDING = 10_000;

/** What a leaser needs from its journal. */
export interface LeaserPorts {
  js: JetStreamClient;
  jsm: JetStreamManager;
  names: JournalNames;
  ackWaitMs: number;
  logger: Logger;
  /** Called for each delivery pulled; the journal records the lease and passes it on. */
  received(message: JsMsg, leaser: SubscriptionLeaser): void;
}

/**
 * Pulls one subscription's deliveries from its durable consumer for this node, holding
 * about `maxDeliveries` at once: a node takes work only while it has room for it, so the
 * rest stays in the stream for other nodes. An ordered subscription's consumer lets one
 * delivery out at a time across the cluster.
 */
export class SubscriptionLeaser {
  /** Deliveries this node holds now (a batch counts as one until it is opened). */
  held = 0;
  private stopped = false;
  private room: (() => void) | undefined;
  private pulling: Promise<void> | undefined;
  private batch: { stop(): void } | undefined;

  constructor(
    readonly subscriptionId: number,
    readonly options: LeaseOptions,
    private readonly ports: LeaserPorts,
  ) {}

  start(): void {
    this.pulling = this.pull();
  }

  /** A batch received holds `deliveries` deliveries, not the one it was counted as. */
  opened(deliveries: number): void {
    this.held += deliveries - 1;
  }

  /** A batch was settled (or given back): its deliveries make room for others. */
  released(deliveries = 1): void {
    this.held -= deliveries;
    this.wake();
  }

  /** Stops pulling; deliveries already held stay leased until settled. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.batch?.stop();
    this.wake();
    await this.pulling;
  }

  private wake(): void {
    const room = this.room;
    this.room = undefined;
    room?.();
  }

  private async pull(): Promise<void> {
    const { logger } = this.ports;
    let consumer: Consumer | undefined;
    while (!this.stopped) {
      try {
        consumer ??= await this.consumer();
        const free = this.options.maxDeliveries - this.held;
        if (free <= 0) {
          await new Promise<void>((resolve) => (this.room = resolve));
          continue;
        }
        // Batches hold up to MAX_BATCH_DELIVERIES each: ask for as many as surely fit, and
        // for one when fewer than a full one is free (a node may go over by one batch).
        const batches = Math.max(1, Math.floor(free / MAX_BATCH_DELIVERIES));
        const batch = await consumer.fetch({ max_messages: batches, expires: PULL_EXPIRES_MS });
        this.batch = batch;
        if (this.stopped) batch.stop();
        for await (const message of batch) {
          this.held++;
          this.ports.received(message, this);
        }
      } catch (error) {
        if (this.stopped) return;
        consumer = undefined;
        logger.warn({ subscriptionId: this.subscriptionId, err: error }, 'pulling deliveries');
        await new Promise((resolve) => setTimeout(resolve, ERROR_PAUSE_MS));
      }
    }
  }

  /**
   * The subscription's durable consumer, created when it does not exist yet. One made with
   * another ack wait (an earlier start with another `--ack-wait`) takes this node's, so the
   * renewals this node sends, every third of its ack wait, keep its deliveries leased.
   */
  private async consumer(): Promise<Consumer> {
    const { js, jsm, names, ackWaitMs, logger } = this.ports;
    const name = names.deliveryConsumer(this.subscriptionId);
    const ackWait = nanos(ackWaitMs);
    let info: ConsumerInfo | undefined;
    try {
      info = await jsm.consumers.info(names.deliveries, name);
    } catch {
      info = undefined;
    }
    if (info && info.config.ack_wait !== ackWait) {
      const was = Math.round((info.config.ack_wait ?? 0) / 1e6);
      logger.warn(
        { subscriptionId: this.subscriptionId, ackWaitMs, previousAckWaitMs: was },
        'the deliveries consumer had another ack wait: setting this node’s',
      );
      await jsm.consumers.update(names.deliveries, name, { ack_wait: ackWait });
    }
    if (!info) {
      await jsm.consumers.add(names.deliveries, {
        durable_name: name,
        filter_subject: names.deliverySubject(this.subscriptionId),
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        ack_wait: ackWait,
        max_deliver: -1,
        max_ack_pending: this.options.ordered ? 1 : MAX_ACK_PENDING,
      });
    }
    return js.consumers.get(names.deliveries, name);
  }
}
