import { bodyFor } from '../../domain/message.js';
import type { Subscription } from '../../domain/subscription.js';
import type { Journal } from '../../store/journal.js';
import type { Delivery, DeliveryOutcome, DeliveryTarget } from '../delivery.js';
import { notificationEnvelope, type EnvelopeContext } from '../envelope.js';
import { backoffDelayMs, type BackoffPolicy } from '../retry-schedule.js';

/**
 * Delivers to a built-in queue: the SNS notification JSON, or the bare message with
 * `RawMessageDelivery`, as SNS delivers to SQS; a structured message's `sqs` body when it
 * has one.
 */
export class QueueTarget implements DeliveryTarget {
  readonly key: string;
  readonly maxBatch = 256;

  constructor(
    private readonly queueName: string,
    private readonly journal: Journal,
    private readonly queueExists: (name: string) => boolean,
    private readonly envelopes: EnvelopeContext,
    private readonly backoff: BackoffPolicy,
    private readonly attempts: number,
  ) {
    this.key = `sqs:${queueName}`;
  }

  concurrency(): number {
    return 1024;
  }

  maxAttempts(_subscription: Subscription): number {
    return this.attempts;
  }

  retryDelayMs(attempt: number): number {
    return backoffDelayMs(attempt, this.backoff);
  }

  async deliver(batch: readonly Delivery[]): Promise<DeliveryOutcome[]> {
    if (!this.queueExists(this.queueName)) {
      const error = `queue ${this.queueName} does not exist`;
      return batch.map(() => ({ ok: false, error }));
    }

    const writes = batch.map((delivery) => {
      const { message } = delivery.entry;
      const raw = delivery.subscription.attributes.RawMessageDelivery?.toLowerCase() === 'true';
      return this.journal.enqueue({
        queueName: this.queueName,
        body: raw
          ? bodyFor(message, 'sqs')
          : notificationEnvelope(message, delivery.subscription, this.envelopes),
        attributes: raw ? message.attributes : {},
      });
    });
    try {
      await Promise.all(writes);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return batch.map(() => ({ ok: false, error: reason }));
    }
    const now = Date.now();
    return batch.map(() => ({ ok: true, startedAt: now }));
  }
}
