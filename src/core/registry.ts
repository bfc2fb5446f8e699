import type { Subscription } from '../domain/subscription.js';
import type { Topic } from '../domain/topic.js';
import {
  compileFilterPolicy,
  PolicyIndex,
  type FilterInput,
  type FilterScope,
} from '../filter/index.js';
import type { Catalog } from '../store/catalog.js';

/** A topic with its subscriptions and their filter-policy index. */
interface TopicRoute {
  topic: Topic;
  subscriptions: Map<number, Subscription>;
  index: PolicyIndex<number>;
}

/**
 * The in-memory view of the catalog that the publish path reads: topics, subscriptions
 * and, per topic, the compiled filter policies indexed for matching. Writes go to the
 * catalog first, then here.
 */
export class Registry {
  private readonly routes = new Map<string, TopicRoute>();
  private readonly subscriptionsByArn = new Map<string, Subscription>();
  private readonly byId = new Map<number, Subscription>();

  /** Loads every topic and subscription from the catalog. */
  static load(catalog: Catalog): Registry {
    const registry = new Registry();
    let after: string | undefined;
    for (;;) {
      const topics = catalog.listTopics(after, 1000);
      for (const topic of topics) registry.putTopic(topic);
      if (topics.length < 1000) break;
      after = topics[topics.length - 1]?.arn;
    }
    for (const subscription of catalog.allSubscriptions()) registry.putSubscription(subscription);
    return registry;
  }

  topic(arn: string): Topic | undefined {
    return this.routes.get(arn)?.topic;
  }

  putTopic(topic: Topic): void {
    const route = this.routes.get(topic.arn);
    if (route) route.topic = topic;
    else this.routes.set(topic.arn, { topic, subscriptions: new Map(), index: new PolicyIndex() });
  }

  removeTopic(arn: string): Subscription[] {
    const route = this.routes.get(arn);
    if (!route) return [];
    const removed = [...route.subscriptions.values()];
    for (const subscription of removed) this.removeSubscription(subscription);
    this.routes.delete(arn);
    return removed;
  }

  subscription(arn: string): Subscription | undefined {
    return this.subscriptionsByArn.get(arn);
  }

  subscriptionsById(): Map<number, Subscription> {
    return this.byId;
  }

  subscriptionsOf(topicArn: string): Subscription[] {
    return [...(this.routes.get(topicArn)?.subscriptions.values() ?? [])];
  }

  /** Adds or replaces a subscription, compiling its filter policy into the topic's index. */
  putSubscription(subscription: Subscription): void {
    const route = this.routes.get(subscription.topicArn);
    if (!route) return;
    this.subscriptionsByArn.set(subscription.arn, subscription);
    this.byId.set(subscription.id, subscription);
    route.subscriptions.set(subscription.id, subscription);

    if (subscription.confirmed) route.index.set(subscription.id, policyOf(subscription));
    else route.index.delete(subscription.id);
  }

  removeSubscription(subscription: Subscription): void {
    this.subscriptionsByArn.delete(subscription.arn);
    this.byId.delete(subscription.id);
    const route = this.routes.get(subscription.topicArn);
    route?.subscriptions.delete(subscription.id);
    route?.index.delete(subscription.id);
  }

  /** The confirmed subscriptions of a topic whose filter policy accepts the message. */
  match(topicArn: string, input: FilterInput): Subscription[] {
    const route = this.routes.get(topicArn);
    if (!route || route.index.size === 0) return [];
    const ids = route.index.match(input);
    const matched: Subscription[] = [];
    for (const id of ids) {
      const subscription = route.subscriptions.get(id);
      if (subscription) matched.push(subscription);
    }
    return matched;
  }
}

function policyOf(subscription: Subscription) {
  const text = subscription.attributes.FilterPolicy;
  if (text === undefined || text === '') return undefined;
  const scope = (subscription.attributes.FilterPolicyScope ?? 'MessageAttributes') as FilterScope;
  return compileFilterPolicy(text, scope);
}
