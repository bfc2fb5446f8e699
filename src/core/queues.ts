import { queueArn, type Partition } from '../domain/arn.js';
import { bodyFor, type PublishedMessage } from '../domain/message.js';
import type { Queue, QueueMessage, QueueSummary } from '../domain/queue.js';
import type { Subscription } from '../domain/subscription.js';
import type { Delivery } from '../delivery/delivery.js';
import type { DeliveryEngine } from '../delivery/engine.js';
import { HeraldError, invalidParameter } from '../errors/index.js';
import type { Logger } from '../log/logger.js';
import type { Catalog } from '../store/catalog.js';
import type { Journal, StoredQueueMessage } from '../store/journal.js';
import type { SharedNames } from '../store/stores.js';
import type { DeadLetter, RedriveResult } from './api.js';
import { deadLetterOrigin, queueChunks, redrivenMessage, toDeadLetter } from './dead-letters.js';
import { deadLetterQueueOf } from './subscription-attributes.js';

/** SQS's rule: 1-80 letters, digits, hyphens, underscores, and a `.fifo` suffix allowed. */
const QUEUE_NAME = /^(?=.{1,80}$)[A-Za-z0-9_-]+(\.fifo)?$/;
const MAX_RECEIVE = 1000;

/** A dead letter on its way back: its queue message id, the message and its subscription. */
interface Redriven {
  id: number;
  message: PublishedMessage;
  subscription: Subscription;
}

/** Built-in queues, dead-lettering into them, and redrive out of them. */
export class QueueService {
  private readonly names = new Set<string>();

  constructor(
    private readonly catalog: Catalog,
    private readonly journal: Journal,
    private readonly partition: Partition,
    private readonly defaultDeadLetterQueue: string,
    private readonly logger: Logger,
    /** On a cluster: lets one node's redrive take each letter. */
    private readonly sharedNames?: SharedNames,
  ) {
    for (const queue of catalog.listQueues()) this.names.add(queue.name);
    this.create(defaultDeadLetterQueue);
  }

  create(name: string): Queue {
    if (!QUEUE_NAME.test(name)) {
      const rule =
        'must be 1 to 80 letters, digits, hyphens or underscores, optionally ending in .fifo';
      throw invalidParameter(`QueueName: ${rule}`, {
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

  /** Knows a queue another node created. */
  remember(name: string): void {
    this.names.add(name);
  }

  /** Forgets a queue another node deleted. */
  forget(name: string): void {
    this.names.delete(name);
  }

  async list(): Promise<QueueSummary[]> {
    const queues = this.catalog.listQueues();
    const depths = await Promise.all(queues.map((queue) => this.journal.queueDepth(queue.name)));
    return queues.map((queue, i) => ({ ...this.withArn(queue), depth: depths[i] ?? 0 }));
  }

  delete(name: string): void {
    this.require(name);
    this.catalog.deleteQueue(name);
    this.names.delete(name);
  }

  async receive(name: string, max: number): Promise<QueueMessage[]> {
    this.require(name);
    return (await this.journal.takeFromQueue(name, clampMax(max))).map(stripOrigin);
  }

  purge(name: string): Promise<number> {
    this.require(name);
    return this.journal.purgeQueue(name);
  }

  /**
   * Moves an exhausted delivery to its subscription's dead-letter queue (or the default
   * one when it names none or its queue is gone), keeping the body the subscription was to
   * receive, the attributes and why it failed.
   */
  deadLetter(delivery: Delivery, reason: string): void {
    const { message } = delivery.entry;
    const queueName = this.deadLetterQueueFor(delivery.subscription);
    this.journal.deadLetter(
      { messageSeq: message.seq, subscriptionId: delivery.subscription.id },
      delivery.entry.remaining === 0,
      {
        queueName,
        body: bodyFor(message, delivery.subscription.protocol),
        attributes: message.attributes,
        origin: deadLetterOrigin(delivery, reason),
      },
    );
  }

  /**
   * Up to `max` dead letters of one queue (all its messages), or of every queue (the
   * messages that carry an origin), oldest first.
   */
  async listDeadLetters(queueName: string | undefined, max: number): Promise<DeadLetter[]> {
    const names = queueName === undefined ? [...this.names] : [this.require(queueName)];
    const letters: DeadLetter[] = [];
    for (const name of names) {
      if (queueName === undefined && (await this.journal.deadLetterCount(name)) === 0) continue;
      for await (const chunk of queueChunks(this.journal, name)) {
        for (const stored of chunk) {
          if (letters.length >= max) return letters;
          if (stored.origin || queueName !== undefined) letters.push(toDeadLetter(stored));
        }
      }
    }
    return letters;
  }

  /** How many dead letters {@link listDeadLetters} would find without a maximum. */
  async countDeadLetters(queueName: string | undefined): Promise<number> {
    if (queueName !== undefined) return this.journal.queueDepth(this.require(queueName));
    let count = 0;
    for (const name of this.names) count += await this.journal.deadLetterCount(name);
    return count;
  }

  /**
   * Delivers up to `max` of a queue's dead letters again to the subscriptions they came
   * from, as first published, a chunk at a time. Each goes into the journal before it
   * leaves the queue, so a crash between the two repeats a delivery rather than losing one.
   * Letters whose subscription is gone stay put, and so do letters that arrive meanwhile
   * (a redriven message failing again comes back behind the others).
   */
  async redrive(
    queueName: string,
    max: number,
    subscriptions: (arn: string) => Subscription | undefined,
    engine: DeliveryEngine,
  ): Promise<RedriveResult> {
    this.require(queueName);
    const redrivenAt = Date.now();
    let unseen = await this.journal.queueDepth(queueName);
    let redriven = 0;
    for await (const chunk of queueChunks(this.journal, queueName)) {
      const letters = chunk.slice(0, unseen);
      unseen -= letters.length;
      const moved: Redriven[] = [];
      for (const letter of letters) {
        if (redriven + moved.length >= max) break;
        const subscription = letter.origin && subscriptions(letter.origin.subscriptionArn);
        if (!letter.origin || !subscription) continue;
        if (!(await this.claimLetter(queueName, letter.id))) continue;
        const seq = this.journal.nextSeq();
        const message = redrivenMessage(letter, letter.origin, seq, redrivenAt);
        moved.push({ id: letter.id, message, subscription });
      }
      redriven += await this.putBack(queueName, moved, engine);
      if (redriven >= max || unseen <= 0) break;
    }

    if (redriven > 0) this.logger.info({ queueName, redriven }, 'dead letters redriven');
    return { redriven, remaining: await this.journal.queueDepth(queueName) };
  }

  /**
   * Journals redriven letters, then takes them off their queue and schedules them; resolves
   * to how many it took off. A letter leaves its queue only once it is journaled, so none
   * is lost. A letter taken by someone else meanwhile (a queue receive) is not counted,
   * though it was journaled: it is delivered twice, as at least once allows.
   */
  private async putBack(
    queueName: string,
    moved: readonly Redriven[],
    engine: DeliveryEngine,
  ): Promise<number> {
    if (moved.length === 0) return 0;
    const entries = moved.map(({ message, subscription }) => ({
      message,
      subscriptionIds: [subscription.id],
    }));
    try {
      await this.journal.append(entries);
    } catch (error) {
      await this.releaseLetters(queueName, moved);
      throw error;
    }
    const removed = await this.journal.removeFromQueue(moved.map((one) => one.id));
    for (const { message, subscription } of moved) engine.enqueue(message, [subscription]);
    return removed;
  }

  /**
   * On a cluster, claims a letter for this node's redrive, so that two redrives of one
   * queue at once deliver it once. A claim outlives a node that dies before redriving the
   * letter by a few minutes; the letter stays on its queue meanwhile.
   */
  private async claimLetter(queueName: string, id: number): Promise<boolean> {
    if (!this.sharedNames) return true;
    return this.sharedNames.claimName(letterName(queueName, id));
  }

  /** Gives up the claims of letters a redrive could not journal, for the next redrive. */
  private async releaseLetters(queueName: string, moved: readonly Redriven[]): Promise<void> {
    const names = this.sharedNames;
    if (!names) return;
    await Promise.allSettled(moved.map(({ id }) => names.releaseName(letterName(queueName, id))));
  }

  /**
   * The queue a subscription's dead letters go to: its RedrivePolicy queue, or the default
   * one (created when missing) when it names none or its queue is gone.
   */
  deadLetterQueueFor(subscription: Subscription): string {
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

/** The name a dead letter is claimed under for a redrive. */
function letterName(queueName: string, id: number): string {
  return `dead letter\n${queueName}\n${id}`;
}
