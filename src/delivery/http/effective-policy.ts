import {
  DEFAULT_CONTENT_TYPE,
  parseSubscriptionDeliveryPolicy,
  parseTopicDeliveryPolicy,
  type SubscriptionDeliveryPolicy,
  type TopicDeliveryPolicy,
} from './delivery-policy.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy.js';

/** What governs deliveries to one HTTP(S) subscription, its topic's policy applied. */
export interface EffectiveDeliveryPolicy {
  retry: RetryPolicy;
  /** Deliveries per second the subscription accepts; undefined for no limit. */
  maxReceivesPerSecond?: number;
  headerContentType: string;
}

/**
 * The policy a subscription's deliveries follow: its own parts, unless its topic disables
 * subscription overrides, then the topic's defaults, then SNS's.
 */
export function effectiveDeliveryPolicy(
  topic: TopicDeliveryPolicy,
  subscription: SubscriptionDeliveryPolicy,
): EffectiveDeliveryPolicy {
  const own = topic.disableSubscriptionOverrides ? {} : subscription;
  const rate =
    own.throttlePolicy?.maxReceivesPerSecond ?? topic.defaultThrottlePolicy?.maxReceivesPerSecond;
  return {
    retry: own.healthyRetryPolicy ?? topic.defaultHealthyRetryPolicy ?? DEFAULT_RETRY_POLICY,
    ...(rate === undefined ? {} : { maxReceivesPerSecond: rate }),
    headerContentType:
      own.requestPolicy?.headerContentType ??
      topic.defaultRequestPolicy?.headerContentType ??
      DEFAULT_CONTENT_TYPE,
  };
}

/**
 * Resolves effective policies from the attribute texts, remembering the last parse of each
 * text: deliveries ask for every retry, and the texts rarely change.
 */
export class DeliveryPolicyCache {
  private readonly topics = new Map<string, TopicDeliveryPolicy>();
  private readonly subscriptions = new Map<string, SubscriptionDeliveryPolicy>();

  /** The effective policy from a topic's and a subscription's `DeliveryPolicy` texts. */
  resolve(topicText: string, subscriptionText: string): EffectiveDeliveryPolicy {
    let topic = this.topics.get(topicText);
    if (!topic) {
      topic = parseTopicDeliveryPolicy(topicText);
      this.topics.set(topicText, topic);
    }
    let subscription = this.subscriptions.get(subscriptionText);
    if (!subscription) {
      subscription = parseSubscriptionDeliveryPolicy(subscriptionText);
      this.subscriptions.set(subscriptionText, subscription);
    }
    return effectiveDeliveryPolicy(topic, subscription);
  }
}

/** A topic's `EffectiveDeliveryPolicy` attribute, as GetTopicAttributes reports it. */
export function topicEffectiveDeliveryPolicy(topicText: string): string {
  const topic = parseTopicDeliveryPolicy(topicText);
  return JSON.stringify({
    http: {
      defaultHealthyRetryPolicy: topic.defaultHealthyRetryPolicy ?? DEFAULT_RETRY_POLICY,
      disableSubscriptionOverrides: topic.disableSubscriptionOverrides,
      ...(topic.defaultThrottlePolicy
        ? { defaultThrottlePolicy: topic.defaultThrottlePolicy }
        : {}),
      defaultRequestPolicy: {
        headerContentType: topic.defaultRequestPolicy?.headerContentType ?? DEFAULT_CONTENT_TYPE,
      },
    },
  });
}

/** An HTTP(S) subscription's `EffectiveDeliveryPolicy` attribute, in SNS's shape. */
export function subscriptionEffectiveDeliveryPolicy(
  topicText: string,
  subscriptionText: string,
): string {
  const policy = effectiveDeliveryPolicy(
    parseTopicDeliveryPolicy(topicText),
    parseSubscriptionDeliveryPolicy(subscriptionText),
  );
  return JSON.stringify({
    healthyRetryPolicy: policy.retry,
    sicklyRetryPolicy: null,
    throttlePolicy:
      policy.maxReceivesPerSecond === undefined
        ? null
        : { maxReceivesPerSecond: policy.maxReceivesPerSecond },
    requestPolicy: { headerContentType: policy.headerContentType },
    guaranteed: false,
  });
}
