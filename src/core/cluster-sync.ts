import type { FunctionDefinition } from '../domain/function.js';
import type { Subscription } from '../domain/subscription.js';
import type { Topic } from '../domain/topic.js';
import type { Logger } from '../log/logger.js';
import type { CatalogChange } from '../store/stores.js';
import type { FunctionService } from './functions.js';
import type { QueueService } from './queues.js';
import type { Registry } from './registry.js';

/** What applying another node's changes touches on this node. */
export interface ClusterSyncPorts {
  registry: Registry;
  functions: FunctionService;
  queues: QueueService;
  /** Starts taking this node's share of a subscription's deliveries. */
  lease(subscription: Subscription): void;
  updateSubscription(subscription: Subscription): void;
  /** Drops a subscription another node deleted (its deliveries stay with that node). */
  forgetSubscription(id: number): void;
  logger: Logger;
}

/**
 * Keeps a cluster node's in-memory state in step with the shared catalog: the routes and
 * filter index the publish path reads, the functions it can run (fetching their code) and
 * the queues it knows. Each change arrives once the catalog replica holds it.
 */
export class ClusterSync {
  /** Function changes apply in order, each after its code is here. */
  private functionChanges: Promise<void> = Promise.resolve();

  constructor(private readonly ports: ClusterSyncPorts) {}

  apply(change: CatalogChange): void {
    switch (change.kind) {
      case 'topic':
        return this.topic(change.key, change.value);
      case 'subscription':
        return this.subscription(change.key, change.value ?? change.previous, !change.value);
      case 'function':
        return this.function(change.key, change.value);
      case 'queue':
        if (change.value) this.ports.queues.remember(change.value.name);
        else this.ports.queues.forget(change.key);
    }
  }

  private topic(arn: string, topic: Topic | undefined): void {
    const { registry } = this.ports;
    if (topic) {
      registry.putTopic(topic);
      return;
    }
    for (const removed of registry.removeTopic(arn)) this.ports.forgetSubscription(removed.id);
  }

  private subscription(arn: string, subscription: Subscription | undefined, deleted: boolean) {
    const { registry } = this.ports;
    if (subscription && !deleted) {
      registry.putSubscription(subscription);
      this.ports.updateSubscription(subscription);
      this.ports.lease(subscription);
      return;
    }
    const known = registry.subscription(arn) ?? subscription;
    if (!known) return;
    registry.removeSubscription(known);
    this.ports.forgetSubscription(known.id);
  }

  private function(name: string, definition: FunctionDefinition | undefined): void {
    const { functions, logger } = this.ports;
    this.functionChanges = this.functionChanges.then(async () => {
      try {
        if (definition) {
          const eventSubscription = await functions.adopt(definition);
          if (eventSubscription) this.ports.lease(eventSubscription);
        } else {
          const id = functions.definition(name)?.eventQueueId;
          await functions.release(name);
          if (id !== undefined) this.ports.forgetSubscription(id);
        }
      } catch (error) {
        logger.error({ functionName: name, err: error }, 'applying a function change');
      }
    });
  }
}
