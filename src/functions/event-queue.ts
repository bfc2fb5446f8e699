import type { FunctionDefinition } from '../domain/function.js';
import type { Subscription } from '../domain/subscription.js';

/** The suffix of the subscription ARN that stands for a function's Event invocations. */
const EVENT_QUEUE_SUFFIX = ':$event-invocations';

/**
 * The internal subscription that carries a function's Event invocations (Lambda API,
 * `X-Amz-Invocation-Type: Event`) through the journal and the delivery engine, so they get
 * the same durability, retries and concurrency as SNS deliveries to the function. Its id is
 * negative (the function's `eventQueueId`) and its topic ARN is the function's own ARN; it
 * never appears in the catalog or in SNS listings.
 */
export function eventSubscriptionOf(definition: FunctionDefinition, id: number): Subscription {
  return {
    id,
    arn: `${definition.arn}${EVENT_QUEUE_SUFFIX}`,
    topicArn: definition.arn,
    protocol: 'lambda',
    endpoint: definition.arn,
    attributes: {},
    confirmed: true,
    createdAt: definition.lastModified,
  };
}

/** True for a delivery of an Event invocation rather than of an SNS message. */
export function isEventInvocation(subscription: Subscription): boolean {
  return subscription.id < 0;
}
