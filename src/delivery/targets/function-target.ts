import { randomUUID } from 'node:crypto';
import type { Subscription } from '../../domain/subscription.js';
import type { FunctionService } from '../../core/functions.js';
import type { FunctionPool, Invocation, InvocationOutcome } from '../../functions/pool.js';
import { snsDeliveryOf } from '../../functions/sns-event.js';
import type { Delivery, DeliveryOutcome, DeliveryTarget } from '../delivery.js';
import { backoffDelayMs, type BackoffPolicy } from '../retry-schedule.js';

/** Most invocations handed to the worker pool in one task. */
const MAX_BATCH = 256;

/**
 * Delivers to a function: each delivery becomes one invocation with one SNS record, and
 * the invocations of a batch travel to the worker pool together. A failed invocation is
 * retried as Lambda retries asynchronous invocations.
 */
export class FunctionTarget implements DeliveryTarget {
  readonly key: string;
  readonly maxBatch = MAX_BATCH;

  constructor(
    private readonly functionName: string,
    private readonly functions: FunctionService,
    private readonly pool: FunctionPool,
    private readonly backoff: BackoffPolicy,
  ) {
    this.key = `lambda:${functionName}`;
  }

  concurrency(): number {
    return this.functions.concurrency(this.functionName);
  }

  maxAttempts(_subscription: Subscription): number {
    return this.functions.maxAttempts(this.functionName);
  }

  retryDelayMs(attempt: number): number {
    return backoffDelayMs(attempt, this.backoff);
  }

  async deliver(batch: readonly Delivery[]): Promise<DeliveryOutcome[]> {
    const code = this.functions.code(this.functionName);
    if (!code) {
      const error = `function ${this.functionName} does not exist`;
      return batch.map(() => ({ ok: false, error }));
    }

    const invocations: Invocation[] = new Array(batch.length);
    for (let i = 0; i < batch.length; i++) {
      const delivery = batch[i]!;
      invocations[i] = {
        requestId: randomUUID(),
        sns: snsDeliveryOf(delivery.entry.message, delivery.subscription.arn),
      };
    }

    const outcomes = await this.pool.invoke(code, invocations);
    return outcomes.map(toDeliveryOutcome);
  }
}

function toDeliveryOutcome(outcome: InvocationOutcome): DeliveryOutcome {
  if (outcome.status === 'ok') return { ok: true, startedAt: outcome.startedAt };
  return { ok: false, error: `${outcome.errorType}: ${outcome.errorMessage}` };
}
