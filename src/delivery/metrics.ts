import hdr from 'hdr-histogram-js';
import type { Subscription } from '../domain/subscription.js';

/** Counters of one subscription since the server started. */
export interface SubscriptionCounters {
  topicArn: string;
  protocol: string;
  endpoint: string;
  /** Messages whose filter policy matched (deliveries created). */
  matched: number;
  /** Messages published to the topic that the filter policy turned away. */
  filteredOut: number;
  delivered: number;
  /** Attempts that failed (each one retried or dead-lettered). */
  failedAttempts: number;
  deadLettered: number;
  /** Deliveries waiting or in flight. */
  pending: number;
}

/** A snapshot of Herald's delivery metrics. */
export interface HeraldMetrics {
  published: number;
  subscriptions: Record<string, SubscriptionCounters>;
  /** Publish (or redrive) accepted → consumer invoked, in milliseconds. */
  latency: { count: number; p50Ms: number; p99Ms: number };
}

interface LiveCounters {
  subscription: Subscription;
  matched: number;
  delivered: number;
  failedAttempts: number;
  deadLettered: number;
  pending: number;
  /** Topic publish count when the subscription was first seen, to derive filteredOut. */
  publishedBefore: number;
}

/** Delivery counters and the publish-to-consumer latency histogram, in memory. */
export class DeliveryMetrics {
  private published = 0;
  private readonly publishedByTopic = new Map<string, number>();
  private readonly counters = new Map<number, LiveCounters>();
  private readonly latencyMicros = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 24 * 3600 * 1e6,
    numberOfSignificantValueDigits: 2,
  });

  /** The live counters of a subscription, created on first use. */
  for(subscription: Subscription): LiveCounters {
    let counters = this.counters.get(subscription.id);
    if (!counters) {
      counters = {
        subscription,
        matched: 0,
        delivered: 0,
        failedAttempts: 0,
        deadLettered: 0,
        pending: 0,
        publishedBefore: this.publishedByTopic.get(subscription.topicArn) ?? 0,
      };
      this.counters.set(subscription.id, counters);
    }
    return counters;
  }

  forget(subscriptionId: number): void {
    this.counters.delete(subscriptionId);
  }

  recordPublished(topicArn: string, count: number): void {
    this.published += count;
    this.publishedByTopic.set(topicArn, (this.publishedByTopic.get(topicArn) ?? 0) + count);
  }

  /** Records one delivery's latency: from when Herald accepted the message to its start. */
  recordLatency(acceptedAt: number, startedAt: number): void {
    const micros = Math.max(1, Math.round((startedAt - acceptedAt) * 1000));
    this.latencyMicros.recordValue(micros);
  }

  resetLatency(): void {
    this.latencyMicros.reset();
  }

  snapshot(): HeraldMetrics {
    const subscriptions: Record<string, SubscriptionCounters> = {};
    for (const live of this.counters.values()) {
      const { subscription } = live;
      const topicPublished = this.publishedByTopic.get(subscription.topicArn) ?? 0;
      subscriptions[subscription.arn] = {
        topicArn: subscription.topicArn,
        protocol: subscription.protocol,
        endpoint: subscription.endpoint,
        matched: live.matched,
        filteredOut: topicPublished - live.publishedBefore - live.matched,
        delivered: live.delivered,
        failedAttempts: live.failedAttempts,
        deadLettered: live.deadLettered,
        pending: live.pending,
      };
    }

    const latency = this.latencyMicros;
    return {
      published: this.published,
      subscriptions,
      latency: {
        count: latency.totalCount,
        p50Ms: latency.getValueAtPercentile(50) / 1000,
        p99Ms: latency.getValueAtPercentile(99) / 1000,
      },
    };
  }
}
