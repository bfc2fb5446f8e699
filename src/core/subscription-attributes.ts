import { invalidParameter } from '../errors/index.js';
import type { Protocol, Subscription } from '../domain/subscription.js';
import { queueNameOf } from '../domain/arn.js';
import { compileFilterPolicy, type FilterScope } from '../filter/index.js';
import { parseSubscriptionDeliveryPolicy } from '../delivery/http/delivery-policy.js';

/** Subscription attributes a client may set. */
const SETTABLE = new Set([
  'DeliveryPolicy',
  'FilterPolicy',
  'FilterPolicyScope',
  'RawMessageDelivery',
  'RedrivePolicy',
  'SubscriptionRoleArn',
  'ReplayPolicy',
]);

const SCOPES = new Set(['MessageAttributes', 'MessageBody']);

/** The protocols that can deliver a message raw, without the JSON envelope (as on AWS). */
const RAW_PROTOCOLS: ReadonlySet<Protocol> = new Set(['sqs', 'http', 'https']);

/**
 * Validates a subscription's attributes as they will be after a change, so that a
 * FilterPolicy is checked against the scope it will run under, and RawMessageDelivery
 * against the subscription's protocol. Returns the queue a RedrivePolicy names, if any, for
 * the caller to check that it exists.
 */
export function validateSubscriptionAttributes(
  protocol: Protocol,
  attributes: Record<string, string>,
  changed: string[],
): { deadLetterQueue?: string } {
  for (const name of changed) {
    if (!SETTABLE.has(name)) throw invalidParameter('AttributeName', { parameter: name });
  }

  const scope = attributes.FilterPolicyScope ?? 'MessageAttributes';
  if (!SCOPES.has(scope)) {
    throw invalidParameter(
      `FilterPolicyScope: Invalid value [${scope}]. ` +
        'Please use either MessageBody or MessageAttributes',
    );
  }
  const policy = attributes.FilterPolicy;
  if (policy !== undefined && policy !== '') compileFilterPolicy(policy, scope as FilterScope);

  const raw = attributes.RawMessageDelivery;
  if (raw !== undefined && !['true', 'false'].includes(raw.toLowerCase())) {
    throw invalidParameter(`RawMessageDelivery: Invalid value [${raw}]. Must be true or false.`);
  }
  const rawChanged = changed.includes('RawMessageDelivery');
  if (rawChanged && raw?.toLowerCase() === 'true' && !RAW_PROTOCOLS.has(protocol)) {
    throw invalidParameter(
      `Attributes Reason: Delivery protocol [${protocol}] does not support raw message delivery.`,
      { parameter: 'RawMessageDelivery' },
    );
  }

  const replay = attributes.ReplayPolicy;
  if (replay !== undefined && replay !== '') parseJsonAttribute('ReplayPolicy', replay);
  const delivery = attributes.DeliveryPolicy;
  if (delivery !== undefined) parseSubscriptionDeliveryPolicy(delivery);

  const redrive = attributes.RedrivePolicy;
  if (redrive === undefined || redrive === '') return {};
  return { deadLetterQueue: deadLetterQueueOf(redrive) };
}

/** The queue name a RedrivePolicy's deadLetterTargetArn points at. */
export function deadLetterQueueOf(redrivePolicy: string): string {
  const parsed = parseJsonAttribute('RedrivePolicy', redrivePolicy);
  const target =
    typeof parsed === 'object' && parsed !== null
      ? (parsed as Record<string, unknown>).deadLetterTargetArn
      : undefined;
  if (typeof target !== 'string') {
    throw invalidParameter('RedrivePolicy: deadLetterTargetArn is missing');
  }
  const queue = queueNameOf(target);
  if (!queue) {
    throw invalidParameter(`RedrivePolicy: deadLetterTargetArn is an invalid arn: ${target}`);
  }
  return queue;
}

/** Everything GetSubscriptionAttributes reports. */
export function describeSubscription(
  subscription: Subscription,
  accountId: string,
): Record<string, string> {
  return {
    Owner: accountId,
    RawMessageDelivery: 'false',
    TopicArn: subscription.topicArn,
    Endpoint: subscription.endpoint,
    Protocol: subscription.protocol,
    PendingConfirmation: subscription.confirmed ? 'false' : 'true',
    ConfirmationWasAuthenticated: subscription.confirmed ? 'true' : 'false',
    SubscriptionArn: subscription.arn,
    ...(subscription.attributes.FilterPolicy ? { FilterPolicyScope: 'MessageAttributes' } : {}),
    ...subscription.attributes,
  };
}

function parseJsonAttribute(name: string, value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    throw invalidParameter(`${name}: failed to parse JSON`);
  }
}
