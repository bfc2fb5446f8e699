import { randomUUID } from 'node:crypto';
import { acceptedAt } from '../../domain/message.js';
import type { Subscription } from '../../domain/subscription.js';
import type { FunctionDestinations } from '../../core/function-destinations.js';
import { parsePayload } from '../../core/function-destinations.js';
import type { FunctionService } from '../../core/functions.js';
import type { ConcurrencyGovernor } from '../../functions/concurrency-governor.js';
import { isEventInvocation } from '../../functions/event-queue.js';
import type { FunctionPool, Invocation, InvocationOutcome } from '../../functions/pool.js';
import { snsDeliveryOf } from '../../functions/sns-event.js';
import type { Delivery, DeliveryOutcome, DeliveryTarget } from '../delivery.js';
import { backoffDelayMs, type BackoffPolicy } from '../retry-schedule.js';

/** Most invocations handed to the worker pool in one task. */
const MAX_BATCH = 256;

/** What a function target works with. */
export interface FunctionTargetPorts {
  functions: FunctionService;
  pool: FunctionPool;
  governor: ConcurrencyGovernor;
  destinations: FunctionDestinations;
  backoff: BackoffPolicy;
}

/**
 * Delivers to a function: each delivery becomes one invocation (one SNS record, or the
 * payload of an Event invocation), and the invocations of a batch travel to the worker
 * pool together. Its concurrency follows the function's backlog through the governor. A
 * failed invocation is retried as Lambda retries asynchronous invocations; an event older
 * than the function's MaximumEventAgeInSeconds goes to failure handling unattempted.
 */
export class FunctionTarget implements DeliveryTarget {
  readonly key: string;
  readonly maxBatch = MAX_BATCH;
  readonly #name: string;
  readonly #ports: FunctionTargetPorts;

  constructor(functionName: string, ports: FunctionTargetPorts) {
    this.key = `lambda:${functionName}`;
    this.#name = functionName;
    this.#ports = ports;
  }

  concurrency(): number {
    return this.#ports.governor.limitOf(this.#name);
  }

  reportBacklog(waiting: number): void {
    this.#ports.governor.backlog(this.#name, waiting);
  }

  watchCapacity(wake: () => void): void {
    this.#ports.governor.onCapacity(this.#name, wake);
  }

  maxAttempts(_subscription: Subscription): number {
    return this.#ports.functions.maxAttempts(this.#name);
  }

  retryDelayMs(attempt: number): number {
    return backoffDelayMs(attempt, this.#ports.backoff);
  }

  async deliver(batch: readonly Delivery[]): Promise<DeliveryOutcome[]> {
    const { functions, pool, governor } = this.#ports;
    const code = functions.code(this.#name);
    if (!code) {
      const error = `function ${this.#name} does not exist`;
      return batch.map(() => ({ ok: false, error }));
    }

    const results: Array<DeliveryOutcome | undefined> = new Array(batch.length);
    const invoked: number[] = [];
    const invocations: Invocation[] = [];
    const oldest = this.#oldestAcceptedAt();
    for (let i = 0; i < batch.length; i++) {
      const delivery = batch[i]!;
      if (acceptedAt(delivery.entry.message) < oldest) {
        results[i] = this.#expired(delivery);
        continue;
      }
      invoked.push(i);
      invocations.push(invocationOf(delivery));
    }

    governor.started(this.#name, invocations.length);
    try {
      const outcomes = await pool.invoke(code, invocations);
      for (let j = 0; j < invoked.length; j++) {
        const index = invoked[j]!;
        results[index] = this.#settle(batch[index]!, outcomes[j]);
      }
    } finally {
      governor.finished(this.#name, invocations.length);
    }
    return results.map((result) => result ?? { ok: false, error: 'no outcome reported' });
  }

  /** Epoch ms before which an event is too old to invoke (0 without a maximum age). */
  #oldestAcceptedAt(): number {
    const maxAge = this.#ports.functions.eventInvokeConfig(this.#name)?.maximumEventAgeInSeconds;
    return maxAge === undefined ? 0 : Date.now() - maxAge * 1000;
  }

  #expired(delivery: Delivery): DeliveryOutcome {
    this.#ports.destinations.noteFailure(delivery, { condition: 'EventAgeExceeded' });
    return { ok: false, retryable: false, error: 'EventAgeExceeded: the event is too old' };
  }

  #settle(delivery: Delivery, outcome: InvocationOutcome | undefined): DeliveryOutcome {
    const { destinations } = this.#ports;
    if (!outcome) return { ok: false, error: 'no outcome reported' };
    if (outcome.status === 'ok') {
      destinations.succeeded(this.#name, delivery, outcome);
      return { ok: true, startedAt: outcome.startedAt };
    }
    const error = `${outcome.errorType}: ${outcome.errorMessage}`;
    // The handler never saw an event Herald could not hand over, and never will.
    if (outcome.kind === 'handoff') return { ok: false, retryable: false, error };
    if (destinations.wantsFailures(this.#name)) {
      const { requestId } = outcome;
      destinations.noteFailure(delivery, { requestId, outcome, condition: 'RetriesExhausted' });
    }
    return { ok: false, error };
  }
}

/** The invocation of one delivery: an Event invocation keeps its request id across retries. */
function invocationOf(delivery: Delivery): Invocation {
  const { message } = delivery.entry;
  if (isEventInvocation(delivery.subscription)) {
    return { requestId: message.messageId, payload: parsePayload(message.body) };
  }
  return { requestId: randomUUID(), sns: snsDeliveryOf(message, delivery.subscription.arn) };
}
