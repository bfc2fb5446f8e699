import type { MessageAttributes, PublishedMessage } from '../domain/message.js';
import type { QueueMessage } from '../domain/queue.js';

/** A message on its way into the journal, with the subscriptions it fans out to. */
export interface JournalEntry {
  message: PublishedMessage;
  subscriptionIds: readonly number[];
}

/**
 * A message published to a FIFO topic, remembered for deduplication until `expiresAt`:
 * a later publish with the same id is answered with this one's MessageId.
 */
export interface DeduplicationRecord {
  topicArn: string;
  /** The message group under `FifoThroughputScope=MessageGroup`; '' for the whole topic. */
  scope: string;
  deduplicationId: string;
  messageId: string;
  sequenceNumber: number;
  expiresAt: number;
}

/** Identifies one delivery: one message to one subscription. */
export interface DeliveryKey {
  messageSeq: number;
  subscriptionId: number;
}

/** A delivery that has not succeeded yet, as recovered from the journal. */
export interface PendingDelivery extends DeliveryKey {
  /** Failed attempts so far. */
  attempt: number;
  /** Epoch ms before which it must not be attempted again. */
  dueAt: number;
  lastError?: string;
}

/** Where a dead letter came from and why it failed: kept beside it in the queue. */
export interface DeadLetterOrigin {
  subscriptionArn: string;
  topicArn: string;
  messageId: string;
  errorMessage: string;
  attempts: number;
  deadLetteredAt: number;
  /** The message's Subject, when it had one; a redrive delivers it again. */
  subject?: string;
  /**
   * When the message was first published (epoch ms): a redrive keeps it as the Timestamp.
   * Absent from dead letters written before Herald kept it.
   */
  publishedAt?: number;
}

/** A message to put on a queue. */
export interface QueueWrite {
  queueName: string;
  body: string;
  attributes: MessageAttributes;
  origin?: DeadLetterOrigin;
}

/** A queue message with the origin of a dead letter, when it is one. */
export interface StoredQueueMessage extends QueueMessage {
  origin?: DeadLetterOrigin;
}

/**
 * A delivery handed to this node by a shared journal. The journal holds it for this node
 * until it is acked, retried or dead-lettered; if the node dies first, the journal gives it
 * to another node once the lease expires.
 */
export interface LeasedDelivery {
  /** The message, with `seq` set to a number that names this lease on this node. */
  message: PublishedMessage;
  subscriptionId: number;
  /** Failed attempts so far, as the journal counted them. */
  attempt: number;
}

/**
 * The journal: every accepted message and the state of each of its deliveries, plus the
 * contents of queues. Writes are grouped: callers enqueue them and get a promise that
 * settles once the group they joined is committed, so many concurrent publishes share one
 * commit.
 *
 * An embedded journal (`shared` false) belongs to one process: the delivery engine keeps
 * leases and retry schedules in memory and rebuilds them from `loadPending` at start. A
 * shared journal (`shared` true) is used by many nodes at once: it keeps leases and retry
 * schedules itself and hands each node its share of deliveries through `lease`.
 */
export interface Journal {
  /** True when many nodes share this journal and it hands out deliveries itself. */
  readonly shared: boolean;
  /**
   * Starts handing this node the deliveries of a subscription (a shared journal only; an
   * embedded one ignores it). Calling it again for the same subscription changes nothing.
   */
  lease(subscriptionId: number, options: LeaseOptions): void;
  /** Stops handing out a subscription's deliveries; `deleted` also discards them. */
  stopLeasing(subscriptionId: number, deleted: boolean): Promise<void>;
  /**
   * Records messages and their pending deliveries, and the deduplication records of FIFO
   * publishes (expired ones are pruned); resolves once they are durable.
   */
  append(entries: JournalEntry[], deduplication?: readonly DeduplicationRecord[]): Promise<void>;
  /** The deduplication records that have not expired at `now`, oldest first. */
  loadDeduplication(now: number): DeduplicationRecord[];
  /** Marks deliveries done; the message row goes once none of its deliveries remain. */
  ack(key: DeliveryKey, lastOfMessage: boolean): void;
  /**
   * Records a failed attempt and when to try again. Returns true when the journal took the
   * delivery back and hands it out again when it is due (a shared journal, to any node);
   * false when the engine keeps it until it is due.
   */
  retry(delivery: PendingDelivery): boolean;
  /** Ends a delivery by moving the message to a queue, in one commit. */
  deadLetter(key: DeliveryKey, lastOfMessage: boolean, write: QueueWrite): void;
  /** Puts a message on a queue; resolves once durable. */
  enqueue(write: QueueWrite): Promise<void>;
  /** Every pending delivery with its message, in publish order. */
  loadPending(): { deliveries: PendingDelivery[]; messages: Map<number, PublishedMessage> };
  /** The next sequence number to assign to a message. */
  nextSeq(): number;

  /** Removes and returns up to `max` messages from the head of a queue. */
  takeFromQueue(queueName: string, max: number): Promise<StoredQueueMessage[]>;
  /** Reads up to `max` messages without removing them, from the first with an id above `afterId`. */
  peekQueue(queueName: string, max: number, afterId?: number): Promise<StoredQueueMessage[]>;
  /**
   * Deletes queue messages by id, durably; resolves to how many it deleted (on a shared
   * journal, another node may have taken some first).
   */
  removeFromQueue(ids: readonly number[]): Promise<number>;
  /** Deletes every message of a queue; resolves to how many there were. */
  purgeQueue(queueName: string): Promise<number>;
  queueDepth(queueName: string): Promise<number>;
  /** How many of a queue's messages are dead letters (carry an origin). */
  deadLetterCount(queueName: string): Promise<number>;

  /** Commits what is waiting now. */
  flush(): void;
  close(): Promise<void>;
}

/** How a node takes its share of one subscription's deliveries from a shared journal. */
export interface LeaseOptions {
  /** Hands a leased delivery to this node's delivery engine. */
  deliver(delivery: LeasedDelivery): void;
  /**
   * Deliveries of the subscription this node may hold at once (it may go over by one
   * batch); the rest stay in the journal for other nodes.
   */
  maxDeliveries: number;
  /** One delivery at a time across the cluster (FIFO topics keep their order). */
  ordered: boolean;
}
