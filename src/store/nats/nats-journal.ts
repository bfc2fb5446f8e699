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
import { decodeMessage, encodeMessage } from './message-codec.js';
import { QueueStream } from './queue-stream.js';
import type { JournalNames } from './stream-names.js';
import { SubscriptionLeaser } from './subscription-leaser.js';

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

/** A delivery this node holds, by the seq its message was given here. */
interface Lease {
  message: JsMsg;
  leaser: SubscriptionLeaser;
}

/**
 * The shared journal on NATS JetStream. A published message becomes one stream message per
 * subscription it fans out to (subject `<prefix>.delivery.<subscriptionId>`, in a
 * work-queue stream), and Publish answers once JetStream has stored them all. Each node
 * leases deliveries through the subscription's durable consumer: an ack removes the
 * delivery; a retry gives it back with a delay (a negative acknowledgement), after which
 * any node may lease it again; a node that dies leaves its leases to expire after the ack
 * wait, and other nodes then take them over. Leases held here are kept alive while they
 * wait for a free execution.
 */
export class NatsJournal implements Journal {
  readonly shared = true;
  private readonly leases = new Map<number, Lease>();
  private readonly leasers = new Map<number, SubscriptionLeaser>();
  private readonly queues: QueueStream;
  private readonly heartbeat: NodeJS.Timeout;
  private seq = 0;

  private constructor(private readonly options: NatsJournalOptions) {
    this.queues = new QueueStream(options.js, options.jsm, options.names);
    this.heartbeat = setInterval(() => this.keepLeasesAlive(), options.ackWaitMs / 3);
    this.heartbeat.unref();
  }

  /** Creates the journal's streams when they do not exist yet. */
  static async open(options: NatsJournalOptions): Promise<NatsJournal> {
    const { jsm, names, replicas } = options;
    await ensureStream(jsm, {
      name: names.deliveries,
      subjects: [names.deliveriesSubjects],
      retention: RetentionPolicy.Workqueue,
      storage: StorageType.File,
      num_replicas: replicas,
    });
    await ensureStream(jsm, {
      name: names.queues,
      subjects: [names.queuesSubjects],
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      num_replicas: replicas,
      allow_direct: true,
    });
    return new NatsJournal(options);
  }

  async append(entries: JournalEntry[]): Promise<void> {
    const { js, names } = this.options;
    const stored: Promise<unknown>[] = [];
    for (const { message, subscriptionIds } of entries) {
      const data = encodeMessage(message);
      for (const id of subscriptionIds) stored.push(js.publish(names.deliverySubject(id), data));
    }
    try {
      await Promise.all(stored);
    } catch (error) {
      throw unavailable(error);
    }
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
    this.release(key.messageSeq)?.ack();
  }

  retry(delivery: PendingDelivery): void {
    this.release(delivery.messageSeq)?.nak(Math.max(0, delivery.dueAt - Date.now()));
  }

  deadLetter(key: DeliveryKey, _lastOfMessage: boolean, write: QueueWrite): void {
    const message = this.release(key.messageSeq);
    this.queues.put(write).then(
      () => message?.ack(),
      (error: unknown) => {
        this.options.logger.error(
          { queueName: write.queueName, err: error },
          'dead letter not stored: the delivery will be attempted again',
        );
        message?.nak();
      },
    );
  }

  async enqueue(write: QueueWrite): Promise<void> {
    try {
      await this.queues.put(write);
    } catch (error) {
      throw unavailable(error);
    }
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
    return this.queues.take(queueName, max);
  }

  peekQueue(queueName: string, max: number, afterId = 0): Promise<StoredQueueMessage[]> {
    return this.queues.peek(queueName, max, afterId);
  }

  removeFromQueue(ids: readonly number[]): Promise<void> {
    return this.queues.remove(ids);
  }

  purgeQueue(queueName: string): Promise<number> {
    return this.queues.purge(queueName);
  }

  queueDepth(queueName: string): Promise<number> {
    return this.queues.count(this.options.names.queueSubjects(queueName));
  }

  deadLetterCount(queueName: string): Promise<number> {
    return this.queues.count(this.options.names.deadLetterSubject(queueName));
  }

  /** Every write is stored by JetStream before its promise resolves: nothing waits here. */
  flush(): void {}

  /** Stops pulling and hands the deliveries still held back to the cluster at once. */
  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    await Promise.all([...this.leasers.values()].map((leaser) => leaser.stop()));
    this.leasers.clear();
    for (const { message } of this.leases.values()) message.nak();
    this.leases.clear();
  }

  private received(message: JsMsg, leaser: SubscriptionLeaser): void {
    const seq = ++this.seq;
    this.leases.set(seq, { message, leaser });
    let decoded: PublishedMessage;
    try {
      decoded = decodeMessage(message.data, seq);
    } catch (error) {
      this.options.logger.error(
        { subscriptionId: leaser.subscriptionId, err: error },
        'undecodable delivery: discarded',
      );
      this.release(seq)?.term();
      return;
    }
    const attempt = message.info.deliveryCount - 1;
    leaser.options.deliver({ message: decoded, subscriptionId: leaser.subscriptionId, attempt });
  }

  private release(seq: number): JsMsg | undefined {
    const lease = this.leases.get(seq);
    if (!lease) return undefined;
    this.leases.delete(seq);
    lease.leaser.released();
    return lease.message;
  }

  private keepLeasesAlive(): void {
    for (const { message } of this.leases.values()) message.working();
  }
}

async function ensureStream(
  jsm: JetStreamManager,
  config: Parameters<JetStreamManager['streams']['add']>[0],
): Promise<void> {
  try {
    await jsm.streams.info(config.name);
  } catch {
    await jsm.streams.add(config);
  }
}

function unavailable(error: unknown): HeraldError {
  const reason = error instanceof Error ? error.message : String(error);
  return new HeraldError('ServiceUnavailable', `The message store is unavailable: ${reason}`);
}
