import type { FunctionDefinition } from '../domain/function.js';
import type { Queue } from '../domain/queue.js';
import type { Subscription } from '../domain/subscription.js';
import type { Topic } from '../domain/topic.js';

/**
 * The catalog: Herald's small, read-mostly configuration (topics, subscriptions,
 * functions, queues). Reads and writes are synchronous; a write is durable once
 * {@link Catalog.settled} resolves (at once for the embedded catalog, after the shared
 * store has stored it for a cluster). Listings are ordered and paged by key so that
 * NextToken can resume after the last key seen.
 */
export interface Catalog {
  putTopic(topic: Topic): void;
  getTopic(arn: string): Topic | undefined;
  deleteTopic(arn: string): void;
  listTopics(afterArn: string | undefined, limit: number): Topic[];

  /** Stores a subscription; `id` 0 asks the store to assign one. Returns the stored one. */
  putSubscription(subscription: Subscription): Subscription;
  getSubscription(arn: string): Subscription | undefined;
  deleteSubscription(arn: string): void;
  listSubscriptions(afterId: number, limit: number, topicArn?: string): Subscription[];
  allSubscriptions(): Subscription[];

  putFunction(definition: FunctionDefinition): void;
  getFunction(name: string): FunctionDefinition | undefined;
  deleteFunction(name: string): void;
  listFunctions(): FunctionDefinition[];

  putQueue(queue: Queue): void;
  getQueue(name: string): Queue | undefined;
  deleteQueue(name: string): void;
  listQueues(): Queue[];

  /** A new id for a function's internal event subscription: negative, never used before. */
  newEventQueueId(): number;
  /**
   * Resolves once every write made so far is durable; rejects with `ServiceUnavailable`
   * when one failed. An embedded catalog's writes are durable when they return.
   */
  settled(): Promise<void>;
}
