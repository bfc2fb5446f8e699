import { functionNameOf, parseArn, queueNameOf } from '../domain/arn.js';
import type { Subscription } from '../domain/subscription.js';
import type { Delivery } from '../delivery/delivery.js';
import { isEventInvocation } from '../functions/event-queue.js';
import {
  destinationRecord,
  type DestinationCondition,
  type RecordInput,
} from '../functions/destination-record.js';
import type { InvocationOutcome } from '../functions/invocation.js';
import { buildSnsEvent } from '../functions/sns-event.js';
import type { Logger } from '../log/logger.js';
import type { DeliveryKey, Journal } from '../store/journal.js';
import type { FunctionService } from './functions.js';

/** What sending destination records needs from the rest of Herald. */
export interface DestinationPorts {
  functions: FunctionService;
  journal: Journal;
  topicExists(topicArn: string): boolean;
  queueExists(queueName: string): boolean;
  /**
   * Publishes to a topic: throws at once when the publish is refused, else its journal write
   * is queued before this returns (so it joins the commit that ends the delivery).
   */
  publish(topicArn: string, message: string): Promise<unknown>;
  /** The ordinary dead-lettering (RedrivePolicy or the default queue). */
  deadLetter(delivery: Delivery, reason: string): void;
  /** The queue the ordinary dead-lettering of a subscription writes to. */
  deadLetterQueueFor(subscription: Subscription): string;
  logger: Logger;
}

/** The last failed attempt of a delivery, kept for its destination record. */
interface LastAttempt {
  requestId?: string;
  outcome?: InvocationOutcome;
  condition: DestinationCondition;
}

/**
 * Lambda's asynchronous-invocation destinations for deliveries to functions (Event
 * invocations and SNS deliveries alike): a record of each success goes to the function's
 * on-success destination, and a delivery that fails for good goes to its on-failure
 * destination instead of the dead-letter queue. Nothing accepted is dropped: when a
 * destination is gone or refuses a record, a failed delivery is dead-lettered as usual
 * and a success record goes to the subscription's dead-letter queue, in the commit that
 * ends the delivery.
 */
export class FunctionDestinations {
  readonly #ports: DestinationPorts;
  readonly #lastAttempts = new WeakMap<Delivery, LastAttempt>();

  constructor(ports: DestinationPorts) {
    this.#ports = ports;
  }

  /** True when the function sends failure records (so attempts are worth remembering). */
  wantsFailures(functionName: string): boolean {
    return this.#ports.functions.eventInvokeConfig(functionName)?.onFailure !== undefined;
  }

  /** Remembers a failed attempt (or an expired event) for the failure record. */
  noteFailure(delivery: Delivery, attempt: LastAttempt): void {
    this.#lastAttempts.set(delivery, attempt);
  }

  /**
   * Sends the success record of a delivery, when the function has an on-success
   * destination; a record the destination cannot take goes to the subscription's
   * dead-letter queue (as a plain queue message: it is no delivery to redrive).
   */
  succeeded(functionName: string, delivery: Delivery, outcome: InvocationOutcome): void {
    const destination = this.#ports.functions.eventInvokeConfig(functionName)?.onSuccess;
    if (destination === undefined) return;

    const record = this.#record(functionName, delivery, {
      requestId: outcome.requestId,
      outcome,
      condition: 'Success',
    });
    const body = JSON.stringify(record);
    const refusal = this.#send(destination, body);
    if (refusal === undefined) return;

    const queueName = this.#ports.deadLetterQueueFor(delivery.subscription);
    this.#ports.logger.warn(
      { destination, queueName, reason: refusal },
      'on-success destination refused a record: kept in the dead-letter queue',
    );
    this.#ports.journal.enqueue({ queueName, body, attributes: {} }).catch((error: unknown) => {
      this.#ports.logger.error({ err: error, queueName }, 'could not keep a success record');
    });
  }

  /**
   * Ends a delivery whose attempts are exhausted: into the function's on-failure
   * destination when it takes the record, else into the dead-letter queue.
   */
  deadLetter(delivery: Delivery, reason: string): void {
    const { subscription } = delivery;
    const functionName =
      subscription.protocol === 'lambda' ? functionNameOf(subscription.endpoint) : undefined;
    const destination =
      functionName === undefined
        ? undefined
        : this.#ports.functions.eventInvokeConfig(functionName)?.onFailure;
    if (functionName === undefined || destination === undefined) {
      this.#ports.deadLetter(delivery, reason);
      return;
    }

    const attempt = this.#lastAttempts.get(delivery) ?? { condition: 'RetriesExhausted' };
    const body = JSON.stringify(this.#record(functionName, delivery, attempt));
    const key: DeliveryKey = {
      messageSeq: delivery.entry.message.seq,
      subscriptionId: subscription.id,
    };
    const last = delivery.entry.remaining === 0;
    const queueName = queueNameOf(destination);
    if (queueName && this.#ports.queueExists(queueName)) {
      this.#ports.journal.deadLetter(key, last, { queueName, body, attributes: {} });
      return;
    }

    const refusal = this.#send(destination, body);
    if (refusal === undefined) {
      this.#ports.journal.ack(key, last);
      return;
    }
    this.#ports.logger.warn(
      { destination, reason: refusal },
      'on-failure destination refused a record: dead-lettering the delivery',
    );
    this.#ports.deadLetter(delivery, `${reason} (on-failure destination: ${refusal})`);
  }

  /**
   * Hands a record to a destination, its write queued in the current commit; answers why
   * the destination cannot take it, or undefined once it has.
   */
  #send(destination: string, body: string): string | undefined {
    const queueName = queueNameOf(destination);
    if (queueName) {
      if (!this.#ports.queueExists(queueName)) return `queue ${queueName} does not exist`;
      this.#ports.journal.enqueue({ queueName, body, attributes: {} }).catch((error: unknown) => {
        this.#ports.logger.error({ err: error, destination }, 'could not send a record');
      });
      return undefined;
    }
    if (parseArn(destination)?.service !== 'sns' || !this.#ports.topicExists(destination)) {
      return `topic ${destination} does not exist`;
    }
    try {
      this.#ports.publish(destination, body).catch((error: unknown) => {
        this.#ports.logger.error({ err: error, destination }, 'could not send a record');
      });
      return undefined;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }

  #record(functionName: string, delivery: Delivery, attempt: LastAttempt) {
    const { message } = delivery.entry;
    const event = isEventInvocation(delivery.subscription);
    const input: RecordInput = {
      functionArn: delivery.subscription.endpoint,
      requestId: attempt.requestId ?? (event ? message.messageId : functionName),
      condition: attempt.condition,
      invokeCount: invokeCountOf(delivery.attempt, attempt.condition),
      requestPayload: event
        ? parsePayload(message.body)
        : buildSnsEvent(message, delivery.subscription.arn),
    };
    if (attempt.outcome) input.outcome = attempt.outcome;
    return destinationRecord(input);
  }
}

/**
 * Attempts made, from the engine's count of failed attempts: a success adds its own, an
 * expired event's last "failure" was no attempt.
 */
function invokeCountOf(failedAttempts: number, condition: DestinationCondition): number {
  if (condition === 'Success') return failedAttempts + 1;
  if (condition === 'EventAgeExceeded') return failedAttempts - 1;
  return failedAttempts;
}

/** An Event invocation's payload as its handler saw it. */
export function parsePayload(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}
