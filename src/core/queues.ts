import { queueArn, type Partition } from '../domain/arn.js';
import type { PublishedMessage } from '../domain/message.js';
import type { Queue, QueueMessage } from '../domain/queue.js';
import type { Subscription } from '../domain/subscription.js';
import type { Delivery } from '../delivery/delivery.js';
import type { DeliveryEngine } from '../delivery/engine.js';
import { HeraldError, invalidParameter } from '../errors/index.js';
import type { Logger } from '../log/logger.js';
import type { Catalog } from '../store/catalog.js';
import type { Journal, StoredQueueMessage } from '../store/journal.js';
import type { DeadLetter } from './api.js';
import { deadLetterQueueOf } from './subscription-attributes.js';

const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;
const MAX_RECEIVE = 1000;

/** Built-in queues, dead-lettering into them, and redrive out of them. */
export class QueueService {
  private readonly names = new Set<string>();

  constructor(
    private readonly catalog: Catalog,
    private readonly journal: Journal,
    private readonly partition: Partition,
    private readonly defaultDeadLetterQueue: string,
    private readonly logger: Logger,
  ) {
    for (const queue of catalog.listQueues()) this.names.add(queue.name);
  }

  create(name: string): Queue {
    if (!QUEUE_NAME.test(name)) {
      throw invalidParameter('QueueName: must be 1 to 80 letters, digits, hyphens or underscores', {
        queueName: name,
      });
    }
    const createdAt = Date.now();
    if (!this.names.has(name)) {
      this.catalog.putQueue({ name, arn: '', createdAt });
      this.names.add(name);
    }
    return this.describe(name);
  }

  has(name: string): boolean {
    return this.names.has(name);
  }

  list(): Queue[] {
    return this.catalog.listQueues().map((queue) => this.withArn(queue));
  }

  delete(name: string): void {
    this.require(name);
    this.catalog.deleteQueue(name);
    this.names.delete(name);
  }

  receive(name: string, max: number): QueueMessage[] {
    this.require(name);
    return this.journal.takeFromQueue(name, clampMax(max)).map(stripOrigin);
  }

  purge(name: string): number {
    this.require(name);
    return this.journal.purgeQueue(name);
  }

  /**
   * Moves an exhausted delivery to its subscription's dead-letter queue (or the default
   * one when it names none or its queue is gone), keeping the message, its attributes and
   * why it failed.
   */
  deadLetter(delivery: Delivery, reason: string): void {
    const { message } = delivery.entry;
    const queueName = this.deadLetterQueueFor(delivery.subscription);
    this.journal.deadLetter(
      { messageSeq: message.seq, subscriptionId: delivery.subscription.id },
      delivery.entry.remaining === 0,
      {
        queueName,
        body: message.body,
        attributes: message.attributes,
        origin: {
          subscriptionArn: delivery.subscription.arn,
          topicArn: message.topicArn,
          messageId: message.messageId,
          errorMessage: reason,
          attempts: delivery.attempt,
          deadLetteredAt: Date.now(),
        },
      },
    );
  }

  /** Dead letters in one queue, or in every queue that holds some. */
  listDeadLetters(queueName: string | undefined, max: number): DeadLetter[] {
    const names = queueName === undefined ? [...this.names] : [this.require(queueName)];
    const letters: DeadLetter[] = [];
    for (const name of names) {
      for (const stored of this.journal.peekQueue(name, clampMax(max) - letters.length)) {
        if (stored.origin || queueName !== undefined) letters.push(toDeadLetter(stored));
      }
      if (letters.length >= max) break;
    }
    return letters;
  }

  /**
   * Delivers a queue's dead letters again to the subscriptions they came from. Each goes
   * into the journal before it leaves the queue, so a crash between the two repeats a
   * delivery rather than losing one. Letters whose subscription is gone stay put.
   */
  async redrive(
    queueName: string,
    max: number,
    subscriptions: (arn: string) => Subscription | undefined,
    engine: DeliveryEngine,
  ): Promise<number> {
    this.require(queueName);
    const letters = this.journal.peekQueue(queueName, clampMax(max));
    const moved: Array<{ id: number; message: PublishedMessage; subscription: Subscription }> = [];

    for (const letter of letters) {
      const subscription = letter.origin && subscriptions(letter.origin.subscriptionArn);
      if (!letter.origin || !subscription) continue;
      const message: PublishedMessage = {
        seq: this.journal.nextSeq(),
        messageId: letter.origin.messageId,
        topicArn: letter.origin.topicArn,
        body: letter.body,
        attributes: letter.attributes,
        publishedAt: Date.now(),
      };
      moved.push({ id: letter.id, message, subscription });
    }
    if (moved.length === 0) return 0;

    await this.journal.append(
      moved.map(({ message, subscription }) => ({ message, subscriptionIds: [subscription.id] })),
    );
    this.journal.removeFromQueue(moved.map((one) => one.id));
    for (const { message, subscription } of moved) engine.enqueue(message, [subscription]);

    this.logger.info({ queueName, redriven: moved.length }, 'dead letters redriven');
    return moved.length;
  }

  private deadLetterQueueFor(subscription: Subscription): string {
    const policy = subscription.attributes.RedrivePolicy;
    if (policy) {
      const name = deadLetterQueueOf(policy);
      if (this.names.has(name)) return name;
      this.logger.warn(
        { subscriptionArn: subscription.arn, queueName: name },
        'dead-letter queue is gone: using the default one',
      );
    }
    this.create(this.defaultDeadLetterQueue);
    return this.defaultDeadLetterQueue;
  }

  private require(name: string): string {
    if (!this.names.has(name)) {
      throw new HeraldError('NotFound', `Queue ${name} does not exist`, { queueName: name });
    }
    return name;
  }

  private describe(name: string): Queue {
    const queue = this.catalog.getQueue(name);
    if (!queue) throw new HeraldError('NotFound', `Queue ${name} does not exist`);
    return this.withArn(queue);
  }

  private withArn(queue: Queue): Queue {
    return { ...queue, arn: queueArn(this.partition, queue.name) };
  }
}

function clampMax(max: number): number {
  return Math.max(1, Math.min(MAX_RECEIVE, Math.floor(max)));
}

function stripOrigin(stored: StoredQueueMessage): QueueMessage {
  const { origin: _origin, ...message } = stored;
  return message;
}

function toDeadLetter(stored: StoredQueueMessage): DeadLetter {
  const { origin, ...message } = stored;
  if (!origin) return message;
  return {
    ...message,
    subscriptionArn: origin.subscriptionArn,
    topicArn: origin.topicArn,
    messageId: origin.messageId,
    errorMessage: origin.errorMessage,
  };
}
