import type { FunctionDefinition } from '../../domain/function.js';
import type { Queue } from '../../domain/queue.js';
import type { Subscription } from '../../domain/subscription.js';
import type { Topic } from '../../domain/topic.js';

/** One kind of catalog entry and its key: the ARN of topics and subscriptions, else the name. */
interface Change<K extends string, T> {
  kind: K;
  key: string;
  /** The entry as it is now; undefined when it was deleted. */
  value?: T;
  /** The entry as this node had it before; undefined when it is new here. */
  previous?: T;
}

/**
 * A change another node made to the shared catalog, reported after this node's replica
 * took it. `key` is the topic ARN, the subscription ARN, the function name or the queue
 * name. When another node deletes a topic, the replica also drops that topic's
 * subscriptions: each is reported as a subscription change (deleted) before the topic's.
 */
export type CatalogChange =
  | Change<'topic', Topic>
  | Change<'subscription', Subscription>
  | Change<'function', FunctionDefinition>
  | Change<'queue', Queue>;

/** Called with each change another node made to the catalog. */
export type CatalogListener = (change: CatalogChange) => void;
