import type { Subscription } from '../../domain/subscription.js';
import type { EnvelopeContext } from '../envelope.js';
import { DeliveryPolicyCache, type EffectiveDeliveryPolicy } from './effective-policy.js';
import { HttpTarget } from './http-target.js';
import type { HttpTransport } from './http-transport.js';
import { TokenBucket } from './token-bucket.js';

/** What HTTP(S) delivery is built from. */
export interface HttpDeliveryOptions {
  transport: HttpTransport;
  envelopes: EnvelopeContext;
  /** A topic's `DeliveryPolicy` attribute ('' when unset). */
  topicDeliveryPolicy(topicArn: string): string;
  timeScale: number;
  concurrencyPerOrigin: number;
}

/**
 * HTTP(S) delivery for one Herald: one {@link HttpTarget} per endpoint origin, the parsed
 * delivery policies, and one throttle (token bucket) per subscription that has a
 * `maxReceivesPerSecond`.
 */
export class HttpDelivery {
  private readonly targets = new Map<string, HttpTarget>();
  private readonly throttles = new Map<number, TokenBucket>();
  private readonly policies = new DeliveryPolicyCache();

  constructor(private readonly options: HttpDeliveryOptions) {}

  /** The target of an HTTP(S) subscription's endpoint origin. */
  targetFor(subscription: Subscription): HttpTarget {
    const origin = new URL(subscription.endpoint).origin;
    let target = this.targets.get(origin);
    if (!target) {
      target = new HttpTarget(origin, {
        transport: this.options.transport,
        envelopes: this.options.envelopes,
        policyOf: (s) => this.policyOf(s),
        throttleDelayMs: (s, policy) => this.throttleDelayMs(s, policy),
        timeScale: this.options.timeScale,
        concurrency: this.options.concurrencyPerOrigin,
      });
      this.targets.set(origin, target);
    }
    return target;
  }

  /** The policy a subscription's deliveries follow now. */
  policyOf(subscription: Subscription): EffectiveDeliveryPolicy {
    return this.policies.resolve(
      this.options.topicDeliveryPolicy(subscription.topicArn),
      subscription.attributes.DeliveryPolicy ?? '',
    );
  }

  /** Forgets a deleted subscription's throttle. */
  forget(subscriptionId: number): void {
    this.throttles.delete(subscriptionId);
  }

  private throttleDelayMs(subscription: Subscription, policy: EffectiveDeliveryPolicy): number {
    const rate = policy.maxReceivesPerSecond;
    if (rate === undefined) return 0;
    let bucket = this.throttles.get(subscription.id);
    if (!bucket || bucket.ratePerSecond !== rate) {
      bucket = new TokenBucket(rate);
      this.throttles.set(subscription.id, bucket);
    }
    return bucket.reserve();
  }
}
