import {
  RetentionPolicy,
  StorageType,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
} from '@nats-io/jetstream';
import type { PublishedMessage } from '../../domain/message.js';
import { HeraldError } from '../../errors/index.js';
import type { Logger } from '../../log/logger.js';
import type {
  DeduplicationRecord,
  DeliveryKey,
  Journal,
  JournalEntry,
  LeaseOptions,
  PendingDelivery,
  QueueWrite,
  StoredQueueMessage,
} from '../journal.js';
import { batchesOf, retryBatch, retryStateOf, type BatchWrite } from './delivery-batches.js';
import { GroupCommit } from './group-commit.js';
import { decodeBatch } from './message-codec.js';
import { QueueStream } from './queue-stream.js';
import type { JournalNames } from './stream-names.js';
import { SubscriptionLeaser } from './subscription-leaser.js';
import { isLeaderless, natsUnavailable } from './unavailable.js';

/** A stream to create, as JetStream's manager takes it. */
type StreamConfig = Parameters<JetStreamManager['streams']['add']>[0];

/** How long a publish waits for a stream without a leader to elect one. */
const LEADERLESS_PATIENCE_MS = 15_000;
/** The pause between the tries of such a publish. */
const LEADERLESS_PAUSE_MS = 250;

/** How long a batch whose dead letters or retries could not be stored waits to come back. */
const WRITE_FAILED_RETRY_MS = 1_000;

/** What the journal needs of the NATS connection. */
export interface NatsJournalOptions {
  js: JetStreamClient;
  jsm: JetStreamManager;
  names: JournalNames;
  replicas: number;
  /** How long a delivery leased by a node may go unacknowledged before another takes it. */
  ackWaitMs: number;
  logger: Logger;
}

/** A stream message (a batch of deliveries) this node holds until each is settled. */
interface Lease {
  message: JsMsg;
  leaser: SubscriptionLeaser;
  /** Deliveries in the batch. */
  size: number;
  /** Deliveries not settled yet. */
  remaining: number;
  /** Dead letters and retries to store before the batch may be acknowledged. */
  writes: Promise<unknown>[];
}

/** One delivery of a held batch, by the seq its message was given here. */
interface Held {
  lease: Lease;
  message: PublishedMessage;
}

/**
 * The shared journal on NATS JetStream. The deliveries of the messages committed in one
 * turn of the event loop are grouped per subscription into stream messages (subject
 * `<prefix>.delivery.<subscriptionId>`, a work-queue stream, up to 64 deliveries each), and
 * Publish answers once JetStream has stored them all. Each node leases batches through the
 * subscription's durable consumer and acknowledges one when every delivery in it is
 * settled: delivered, dead-lettered (once the dead letter is stored) or given back for a
 * retry (once a batch of that one delivery, due at its retry time, is stored; a node that
 * receives it early puts it back until then). A node that dies leaves its batches to
 * expire after the ack wait, and other nodes take them over. Batches held here are kept
 * alive while their deliveries wait for a free execution. An ordered (FIFO) subscription
 * keeps its retries in the engine, so that no later message overtakes them.
 */
export class NatsJournal implements Journal {
  readonly shared = true;
  private readonly leases = new Set<Lease>();
  private readonly held = new Map<number, Held>();
  private readonly leasers = new Map<number, SubscriptionLeaser>();
  private readonly queues: QueueStream;
  private readonly commits = new GroupCommit<JournalEntry>((entries) => this.commit(entries));
  private readonly heartbeat: NodeJS.Timeout;
  private seq = 0;

  private constructor(private readonly options: NatsJournalOptions) {
    this.queues = new QueueStream(options.js, options.jsm, options.names);
    this.heartbeat = setInterval(() => this.keepLeasesAlive(), options.ackWaitMs / 3);
    this.heartbeat.unref();
  }

  /** Creates the journal's streams when they do not exist yet. */
  static async open(options: NatsJournalOptions): Promise<NatsJournal> {
    const { jsm, names, replicas, logger } = options;
    const ensure = (config: StreamConfig) =>
      ensureStream(jsm, { storage: StorageType.File, num_replicas: replicas, ...config }, logger);
    await ensure({
      name: names.deliveries,
      subjects: [names.deliveriesSubjects],
      retention: RetentionPolicy.Workqueue,
    });
    await ensure({
      name: names.queues,
      subjects: [names.queuesSubjects],
      retention: RetentionPolicy.Limits,
      allow_direct: true,
    });
    return new NatsJournal(options);
  }

  append(entries: JournalEntry[]): Promise<void> {
    return this.commits.add(entries);
  }

  /** FIFO deduplication records are kept by each node in memory on a shared journal. */
  loadDeduplication(): DeduplicationRecord[] {
    return [];
  }

  lease(subscriptionId: number, options: LeaseOptions): void {
    if (this.leasers.has(subscriptionId)) return;
    const leaser = new SubscriptionLeaser(subscriptionId, options, {
      ...this.options,
      received: (message, from) => this.received(message, from),
    });
    this.leasers.set(subscriptionId, leaser);
    leaser.start();
  }

  async stopLeasing(subscriptionId: number, deleted: boolean): Promise<void> {
    const leaser = this.leasers.get(subscriptionId);
    this.leasers.delete(subscriptionId);
    await leaser?.stop();
    if (!deleted) return;

    const { jsm, names } = this.options;
    await jsm.consumers
      .delete(names.deliveries, names.deliveryConsumer(subscriptionId))
      .catch(() => undefined);
    await jsm.streams
      .purge(names.deliveries, { filter: names.deliverySubject(subscriptionId) })
      .catch((error: unknown) =>
        this.options.logger.warn({ subscriptionId, err: error }, 'purging deliveries'),
      );
  }

  ack(key: DeliveryKey): void {
    this.settle(key.messageSeq);
  }

  retry(delivery: PendingDelivery): boolean {
    const held = this.held.get(delivery.messageSeq);
    if (!held) return true;
    const { lease, message } = held;
    if (lease.leaser.options.ordered) return false;

    const write = retryBatch(
      lease.leaser.subscriptionId,
      message,
      delivery.attempt,
      delivery.dueAt,
    );
    hold(lease, this.publish(write));
    this.settle(delivery.messageSeq);
    return true;
  }

  deadLetter(key: DeliveryKey, _lastOfMessage: boolean, write: QueueWrite): void {
    const held = this.held.get(key.messageSeq);
    if (held) hold(held.lease, this.queues.put(write));
    this.settle(key.messageSeq);
  }

  enqueue(write: QueueWrite): Promise<void> {
    return orUnavailable(this.queues.put(write));
  }

  /** A shared journal hands out deliveries through {@link lease}; none are loaded at start. */
  loadPending(): { deliveries: PendingDelivery[]; messages: Map<number, PublishedMessage> } {
    return { deliveries: [], messages: new Map() };
  }

  /** Numbers this node's messages and leases; the stream keeps the order of record. */
  nextSeq(): number {
    return ++this.seq;
  }

  takeFromQueue(queueName: string, max: number): Promise<StoredQueueMessage[]> {
    return orUnavailable(this.queues.take(queueName, max));
  }

  peekQueue(queueName: string, max: number, afterId = 0): Promise<StoredQueueMessage[]> {
    return orUnavailable(this.queues.peek(queueName, max, afterId));
  }

  removeFromQueue(ids: readonly number[]): Promise<number> {
    return orUnavailable(this.queues.remove(ids));
  }

  purgeQueue(queueName: string): Promise<number> {
    return orUnavailable(this.queues.purge(queueName));
  }

  queueDepth(queueName: string): Promise<number> {
    return orUnavailable(this.queues.count(this.options.names.queueSubjects(queueName)));
  }

  deadLetterCount(queueName: string): Promise<number> {
    return orUnavailable(this.queues.count(this.options.names.deadLetterSubject(queueName)));
  }

  /** Every write is stored by JetStream before its promise resolves: nothing waits here. */
  flush(): void {}

  /** Stops pulling and hands the batches still held back to the cluster at once. */
  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    await Promise.all([...this.leasers.values()].map((leaser) => leaser.stop()));
    this.leasers.clear();
    for (const { message } of this.leases) message.nak();
    this.leases.clear();
    this.held.clear();
  }

  /** Stores one group of appended messages: per subscription, batches of deliveries. */
  private async commit(entries: JournalEntry[]): Promise<void> {
    await orUnavailable(Promise.all(batchesOf(entries).map((write) => this.publish(write))));
  }

  /**
   * Publishes a batch. While the stream has no leader (JetStream answers that it is off, or
   * nobody answers), nothing was stored, so the publish is tried again for a while: a
   * publisher then sees a leader election as a pause, not an error. A timeout is not tried
   * again, since the batch may have been stored.
   */
  private async publish({ subscriptionId, data, headers }: BatchWrite): Promise<unknown> {
    const subject = this.options.names.deliverySubject(subscriptionId);
    const deadline = Date.now() + LEADERLESS_PATIENCE_MS;
    for (;;) {
      try {
        return await this.options.js.publish(subject, data, headers ? { headers } : undefined);
      } catch (error) {
        if (!isLeaderless(error) || Date.now() >= deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, LEADERLESS_PAUSE_MS));
      }
    }
  }

  private received(message: JsMsg, leaser: SubscriptionLeaser): void {
    const { attempt, dueAt } = retryStateOf(message.headers);
    const early = dueAt - Date.now();
    if (early > 0) {
      message.nak(early);
      leaser.released();
      return;
    }

    let batch: ReturnType<typeof decodeBatch>;
    try {
      batch = decodeBatch(message.data);
    } catch (error) {
      this.options.logger.error(
        { subscriptionId: leaser.subscriptionId, err: error },
        'undecodable delivery batch: discarded',
      );
      message.term();
      leaser.released();
      return;
    }

    if (batch.length === 0) {
      message.ack();
      leaser.released();
      return;
    }
    leaser.opened(batch.length);
    const lease: Lease = {
      message,
      leaser,
      size: batch.length,
      remaining: batch.length,
      writes: [],
    };
    this.leases.add(lease);
    const { subscriptionId } = leaser;
    for (const streamed of batch) {
      const seq = ++this.seq;
      const published: PublishedMessage = { ...streamed, seq };
      this.held.set(seq, { lease, message: published });
      leaser.options.deliver({ message: published, subscriptionId, attempt });
    }
  }

  /** Ends one delivery of a held batch; the last one acknowledges the batch. */
  private settle(seq: number): void {
    const held = this.held.get(seq);
    if (!held) return;
    this.held.delete(seq);
    const { lease } = held;
    if (--lease.remaining > 0) return;

    this.leases.delete(lease);
    lease.leaser.released(lease.size);
    Promise.all(lease.writes).then(
      () => lease.message.ack(),
      (error: unknown) => {
        this.options.logger.error(
          { subscriptionId: lease.leaser.subscriptionId, err: error },
          'a dead letter or retry was not stored: the batch will be delivered again',
        );
        lease.message.nak(WRITE_FAILED_RETRY_MS);
      },
    );
  }

  private keepLeasesAlive(): void {
    for (const { message } of this.leases) message.working();
  }
}

/**
 * Keeps a write the batch must wait for. It is marked handled at once: the batch may stay
 * held long after the write failed, and the failure is dealt with when the batch settles.
 */
function hold(lease: Lease, write: Promise<unknown>): void {
  write.catch(() => undefined);
  lease.writes.push(write);
}

/**
 * Creates a stream when it does not exist yet. An existing one keeps its replicas: a node
 * asking for another count logs that it runs on the stream as it is.
 */
async function ensureStream(
  jsm: JetStreamManager,
  config: StreamConfig,
  logger: Logger,
): Promise<void> {
  let replicas: number;
  try {
    replicas = (await jsm.streams.info(config.name)).config.num_replicas;
  } catch {
    await jsm.streams.add(config);
    return;
  }
  if (replicas !== config.num_replicas) {
    logger.warn(
      { stream: config.name, replicas, asked: config.num_replicas },
      'the stream exists with another replica count: it keeps its own',
    );
  }
}

function unavailable(error: unknown): HeraldError {
  return natsUnavailable('The message store is unavailable', error);
}

/** A queue read or write whose NATS failure answers `ServiceUnavailable` (503). */
async function orUnavailable<T>(operation: Promise<T>): Promise<T> {
  try {
    return await operation;
  } catch (error) {
    throw unavailable(error);
  }
}
