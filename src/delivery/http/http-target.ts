import { bodyFor } from '../../domain/message.js';
import type { Subscription } from '../../domain/subscription.js';
import type { Delivery, DeliveryOutcome, DeliveryTarget } from '../delivery.js';
import { notificationEnvelope, type EnvelopeContext } from '../envelope.js';
import type { EffectiveDeliveryPolicy } from './effective-policy.js';
import type { HttpTransport } from './http-transport.js';
import { retryDelaySeconds } from './retry-policy.js';

/** The User-Agent SNS posts with; some receivers check it. */
export const SNS_USER_AGENT = 'Amazon Simple Notification Service Agent';

/** What the HTTP targets of one Herald share. */
export interface HttpTargetContext {
  transport: HttpTransport;
  envelopes: EnvelopeContext;
  /** The subscription's effective delivery policy, its topic's applied. */
  policyOf(subscription: Subscription): EffectiveDeliveryPolicy;
  /** Ms to wait before the next delivery to the subscription, by its throttle policy. */
  throttleDelayMs(subscription: Subscription, policy: EffectiveDeliveryPolicy): number;
  /** Multiplies delivery-policy delays (1 in production; smaller in tests). */
  timeScale: number;
  /** Most deliveries in flight to one origin. */
  concurrency: number;
}

/**
 * Delivers to the HTTP(S) endpoints of one origin (scheme, host and port): each delivery
 * is one POST of the signed notification (or the bare message with RawMessageDelivery),
 * retried by the subscription's delivery policy. One target per origin gives each origin
 * its own concurrency, so a slow or dead endpoint only holds up its own deliveries.
 */
export class HttpTarget implements DeliveryTarget {
  readonly key: string;
  readonly maxBatch = 1;

  constructor(
    origin: string,
    private readonly context: HttpTargetContext,
  ) {
    this.key = `http:${origin}`;
  }

  concurrency(): number {
    return this.context.concurrency;
  }

  maxAttempts(subscription: Subscription): number {
    return this.context.policyOf(subscription).retry.numRetries + 1;
  }

  retryDelayMs(attempt: number, subscription: Subscription): number {
    const seconds = retryDelaySeconds(attempt, this.context.policyOf(subscription).retry);
    return Math.round(seconds * 1000 * this.context.timeScale);
  }

  deliver(batch: readonly Delivery[]): Promise<DeliveryOutcome[]> {
    return Promise.all(batch.map((delivery) => this.deliverOne(delivery)));
  }

  private async deliverOne(delivery: Delivery): Promise<DeliveryOutcome> {
    const { subscription } = delivery;
    const policy = this.context.policyOf(subscription);
    const wait = this.context.throttleDelayMs(subscription, policy);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));

    const { headers, body } = this.request(delivery, policy);
    const startedAt = Date.now();
    const result = await this.context.transport.post(new URL(subscription.endpoint), headers, body);
    if (result.ok) return { ok: true, startedAt };
    return { ok: false, error: result.error, retryable: result.retryable };
  }

  /** The headers and body SNS posts for one delivery. */
  private request(delivery: Delivery, policy: EffectiveDeliveryPolicy) {
    const { message } = delivery.entry;
    const { subscription } = delivery;
    const raw = subscription.attributes.RawMessageDelivery?.toLowerCase() === 'true';
    const headers: Record<string, string> = {
      'x-amz-sns-message-type': 'Notification',
      'x-amz-sns-message-id': message.messageId,
      'x-amz-sns-topic-arn': message.topicArn,
      'x-amz-sns-subscription-arn': subscription.arn,
      'content-type': policy.headerContentType,
      'user-agent': SNS_USER_AGENT,
    };
    if (raw) headers['x-amz-sns-rawdelivery'] = 'true';
    const body = raw
      ? bodyFor(message, subscription.protocol)
      : notificationEnvelope(message, subscription, this.context.envelopes);
    return { headers, body };
  }
}
