import { randomUUID } from 'node:crypto';
import {
  functionNameOf,
  parseArn,
  queueNameOf,
  subscriptionArn as buildSubscriptionArn,
  type Partition,
} from '../domain/arn.js';
import { PROTOCOLS, type Protocol, type Subscription } from '../domain/subscription.js';
import { checkLiteralHost, PrivateEndpointError } from '../delivery/http/endpoint-guard.js';
import { invalidParameter, notFound } from '../errors/index.js';
import type { Catalog } from '../store/catalog.js';
import type { Page } from './api.js';
import { isFifoTopic } from './fifo-rules.js';
import { decodePageToken, encodePageToken } from './page-token.js';
import type { Registry } from './registry.js';
import { describeSubscription, validateSubscriptionAttributes } from './subscription-attributes.js';
import type { TopicService } from './topics.js';
import { subscriptionEffectiveDeliveryPolicy } from '../delivery/http/effective-policy.js';

/** What subscriptions need to know about the endpoints they point at. */
export interface EndpointDirectory {
  hasFunction(name: string): boolean;
  hasQueue(name: string): boolean;
  /** False unless the operator lets Herald deliver to loopback and private addresses. */
  allowPrivateEndpoints: boolean;
}

/** What happens around an HTTP(S) subscription's confirmation handshake. */
export interface ConfirmationHooks {
  /** A pending subscription was created, or subscribed again: ask its endpoint to confirm. */
  requested(subscription: Subscription): void;
  /** A confirmed subscription was deleted: tell its endpoint, offering to restore it. */
  unsubscribed(subscription: Subscription): void;
}

/** Subscription lifecycle: subscribe (idempotent), attributes, listing, unsubscribe. */
export class SubscriptionService {
  constructor(
    private readonly catalog: Catalog,
    private readonly registry: Registry,
    private readonly topics: TopicService,
    private readonly endpoints: EndpointDirectory,
    private readonly partition: Partition,
    private readonly pageSize: number,
    private readonly onChanged: (subscription: Subscription) => void,
    private readonly onRemoved: (subscription: Subscription) => void,
    private readonly confirmations: ConfirmationHooks,
    private readonly topicDeliveryPolicy: (topicArn: string) => string,
  ) {}

  subscribe(
    topicArn: string,
    protocol: string,
    endpoint: string,
    attributes: Record<string, string> = {},
  ): Subscription {
    const topic = this.topics.get(topicArn);
    const kind = checkProtocol(protocol);
    if (isFifoTopic(topic) && kind !== 'sqs') {
      // A FIFO topic delivers in order to SQS queues only, as on AWS.
      throw invalidParameter(`Invalid protocol type: ${protocol}`, { parameter: 'Protocol' });
    }
    this.checkEndpoint(kind, endpoint);
    this.checkAttributes(kind, attributes, Object.keys(attributes));

    const existing = this.registry
      .subscriptionsOf(topicArn)
      .find((s) => s.protocol === kind && s.endpoint === endpoint);
    if (existing) {
      if (!sameAttributes(existing.attributes, attributes)) {
        throw invalidParameter('Attributes: Subscription already exists with different attributes');
      }
      if (!existing.confirmed) this.confirmations.requested(existing);
      return existing;
    }

    const draft: Subscription = {
      id: 0,
      arn: buildSubscriptionArn(this.partition, topic.name, randomUUID()),
      topicArn,
      protocol: kind,
      endpoint,
      attributes: { ...attributes },
      confirmed: kind === 'lambda' || kind === 'sqs',
      createdAt: Date.now(),
    };
    const subscription = this.catalog.putSubscription(draft);
    this.registry.putSubscription(subscription);
    this.onChanged(subscription);
    if (!subscription.confirmed) this.confirmations.requested(subscription);
    return subscription;
  }

  unsubscribe(arn: string): void {
    checkSubscriptionArn(arn);
    const subscription = this.registry.subscription(arn);
    if (!subscription) return;
    this.catalog.deleteSubscription(arn);
    this.registry.removeSubscription(subscription);
    this.onRemoved(subscription);
    if (isHttp(subscription.protocol) && subscription.confirmed) {
      this.confirmations.unsubscribed(subscription);
    }
  }

  /** Marks a pending subscription confirmed: from now on it receives messages. */
  confirm(subscription: Subscription): Subscription {
    if (subscription.confirmed) return subscription;
    const confirmed = this.catalog.putSubscription({ ...subscription, confirmed: true });
    this.registry.putSubscription(confirmed);
    this.onChanged(confirmed);
    return confirmed;
  }

  /** Deletes the subscriptions still pending that were created before `createdBefore`. */
  deletePendingBefore(createdBefore: number): void {
    for (const subscription of [...this.registry.subscriptionsById().values()]) {
      if (!subscription.confirmed && subscription.createdAt < createdBefore) {
        this.unsubscribe(subscription.arn);
      }
    }
  }

  get(arn: string): Subscription {
    checkSubscriptionArn(arn);
    const subscription = this.registry.subscription(arn);
    if (!subscription) throw notFound('Subscription', { subscriptionArn: arn });
    return subscription;
  }

  list(nextToken?: string, topicArn?: string): Page<Subscription> {
    if (topicArn !== undefined) this.topics.get(topicArn);
    const after = nextToken === undefined ? 0 : decodePageToken<number>(nextToken, 'number');
    const items = this.catalog.listSubscriptions(after, this.pageSize + 1, topicArn);
    if (items.length <= this.pageSize) return { items };
    const page = items.slice(0, this.pageSize);
    return { items: page, nextToken: encodePageToken(page[page.length - 1]!.id) };
  }

  attributes(arn: string): Record<string, string> {
    const subscription = this.get(arn);
    const attributes = describeSubscription(subscription, this.partition.accountId);
    if (!isHttp(subscription.protocol)) return attributes;
    return {
      ...attributes,
      EffectiveDeliveryPolicy: subscriptionEffectiveDeliveryPolicy(
        this.topicDeliveryPolicy(subscription.topicArn),
        subscription.attributes.DeliveryPolicy ?? '',
      ),
    };
  }

  setAttribute(arn: string, name: string, value: string): void {
    const subscription = this.get(arn);
    const attributes = { ...subscription.attributes, [name]: value };
    if (value === '' && name !== 'FilterPolicy') delete attributes[name];
    this.checkAttributes(subscription.protocol, attributes, [name]);

    const updated = this.catalog.putSubscription({ ...subscription, attributes });
    this.registry.putSubscription(updated);
    this.onChanged(updated);
  }

  private checkAttributes(
    protocol: Protocol,
    attributes: Record<string, string>,
    changed: string[],
  ): void {
    const { deadLetterQueue } = validateSubscriptionAttributes(protocol, attributes, changed);
    if (deadLetterQueue !== undefined && !this.endpoints.hasQueue(deadLetterQueue)) {
      throw invalidParameter(
        `RedrivePolicy: dead-letter queue ${deadLetterQueue} does not exist;` +
          ` create it first (herald queue create ${deadLetterQueue})`,
      );
    }
  }

  private checkEndpoint(protocol: Protocol, endpoint: string): void {
    if (protocol === 'lambda') {
      const name = functionNameOf(endpoint);
      if (!name) throw invalidParameter('Endpoint: not a Lambda function ARN');
      if (!this.endpoints.hasFunction(name)) {
        throw invalidParameter(
          `Endpoint: function ${name} does not exist; deploy it first (herald function deploy)`,
        );
      }
      return;
    }
    if (protocol === 'sqs') {
      const name = queueNameOf(endpoint);
      if (!name) throw invalidParameter('Endpoint: not an SQS queue ARN');
      if (!this.endpoints.hasQueue(name)) {
        throw invalidParameter(
          `Endpoint: queue ${name} does not exist; create it first (herald queue create ${name})`,
        );
      }
      return;
    }
    checkHttpEndpoint(protocol, endpoint, this.endpoints.allowPrivateEndpoints);
  }
}

function isHttp(protocol: Protocol): boolean {
  return protocol === 'http' || protocol === 'https';
}

/** An HTTP(S) endpoint must be an absolute URL of the subscription's protocol. */
function checkHttpEndpoint(protocol: Protocol, endpoint: string, allowPrivate: boolean): void {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw invalidParameter(`Endpoint: ${endpoint} is not a URL`, { parameter: 'Endpoint' });
  }
  if (url.protocol !== `${protocol}:`) {
    throw invalidParameter(`Endpoint: must start with ${protocol}:// for protocol ${protocol}`, {
      parameter: 'Endpoint',
    });
  }
  if (!allowPrivate) refusePrivateLiteral(url);
}

/**
 * Refuses at once an endpoint whose host is a private IP literal or `localhost`, which
 * could never be delivered to. Other host names are judged when they are resolved.
 */
function refusePrivateLiteral(url: URL): void {
  try {
    if (url.hostname.toLowerCase() === 'localhost') throw new PrivateEndpointError('localhost', '');
    checkLiteralHost(url);
  } catch (error) {
    if (!(error instanceof PrivateEndpointError)) throw error;
    throw invalidParameter(
      `Endpoint: ${url.host} is a loopback or private address; start Herald with ` +
        '--allow-private-endpoints to deliver there',
      { parameter: 'Endpoint' },
    );
  }
}

function checkProtocol(protocol: string): Protocol {
  const normalized = protocol.toLowerCase();
  if ((PROTOCOLS as readonly string[]).includes(normalized)) return normalized as Protocol;
  throw invalidParameter(`Invalid protocol type: ${protocol}`, { parameter: 'Protocol' });
}

function checkSubscriptionArn(arn: string): void {
  const parsed = parseArn(arn);
  if (!parsed || parsed.service !== 'sns' || !parsed.resource.includes(':')) {
    throw invalidParameter('SubscriptionArn', { subscriptionArn: arn });
  }
}

function sameAttributes(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) if ((a[key] ?? '') !== (b[key] ?? '')) return false;
  return true;
}
