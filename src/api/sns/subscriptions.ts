import type { Page } from '../../core/api.js';
import { parseArn } from '../../domain/arn.js';
import type { Subscription } from '../../domain/subscription.js';
import { invalidParameter } from '../../errors/index.js';
import type { ActionHandler } from './action.js';
import { authorizeTopicAction } from './topic-authorization.js';
import { booleanParam, requireParam, stringMap } from './form.js';
import { actionResponse, attributeEntries, members, type XmlElement } from './xml.js';

/** What Subscribe answers for an unconfirmed subscription unless ReturnSubscriptionArn. */
const PENDING_CONFIRMATION = 'pending confirmation';

/** What the listings show as the ARN of an unconfirmed subscription. */
const LISTED_PENDING = 'PendingConfirmation';

/** One `<member>` of ListSubscriptions / ListSubscriptionsByTopic. */
function subscriptionMember(subscription: Subscription): XmlElement {
  return {
    SubscriptionArn: subscription.confirmed ? subscription.arn : LISTED_PENDING,
    Owner: parseArn(subscription.topicArn)?.accountId ?? '',
    Protocol: subscription.protocol,
    Endpoint: subscription.endpoint,
    TopicArn: subscription.topicArn,
  };
}

function subscriptionPage(page: Page<Subscription>): XmlElement {
  return {
    Subscriptions: members(page.items.map(subscriptionMember)),
    NextToken: page.nextToken,
  };
}

/** Subscribe: answers the ARN, or "pending confirmation" for an unconfirmed endpoint. */
const subscribe: ActionHandler = async (request) => {
  const { herald, params, requestId } = request;
  const topicArn = requireParam(params, 'TopicArn');
  await authorizeTopicAction(request, topicArn, 'Subscribe');
  const protocol = requireParam(params, 'Protocol');
  const endpoint = params.Endpoint;
  if (endpoint === undefined || endpoint === '') {
    throw invalidParameter('Endpoint Reason: no value for required parameter', {
      parameter: 'Endpoint',
    });
  }
  const attributes = stringMap(params, 'Attributes.entry');
  const returnArn = booleanParam(params, 'ReturnSubscriptionArn') ?? false;

  const subscription = await herald.subscribe(topicArn, protocol, endpoint, attributes);
  const arn = subscription.confirmed || returnArn ? subscription.arn : PENDING_CONFIRMATION;
  return actionResponse('Subscribe', requestId, { SubscriptionArn: arn });
};

/** Unsubscribe. */
const unsubscribe: ActionHandler = async ({ herald, params, requestId }) => {
  await herald.unsubscribe(requireParam(params, 'SubscriptionArn'));
  return actionResponse('Unsubscribe', requestId);
};

/** ListSubscriptions: one page across all topics. */
const listSubscriptions: ActionHandler = async ({ herald, params, requestId }) => {
  const page = await herald.listSubscriptions(params.NextToken);
  return actionResponse('ListSubscriptions', requestId, subscriptionPage(page));
};

/** ListSubscriptionsByTopic: one page of one topic's subscriptions. */
const listSubscriptionsByTopic: ActionHandler = async ({ herald, params, requestId }) => {
  const topicArn = requireParam(params, 'TopicArn');
  const page = await herald.listSubscriptionsByTopic(topicArn, params.NextToken);
  return actionResponse('ListSubscriptionsByTopic', requestId, subscriptionPage(page));
};

/** GetSubscriptionAttributes. */
const getSubscriptionAttributes: ActionHandler = async ({ herald, params, requestId }) => {
  const subscriptionArn = requireParam(params, 'SubscriptionArn');
  const attributes = await herald.getSubscriptionAttributes(subscriptionArn);
  return actionResponse('GetSubscriptionAttributes', requestId, {
    Attributes: attributeEntries(attributes),
  });
};

/** SetSubscriptionAttributes: one attribute; an absent `AttributeValue` sets it empty. */
const setSubscriptionAttributes: ActionHandler = async ({ herald, params, requestId }) => {
  const subscriptionArn = requireParam(params, 'SubscriptionArn');
  const name = requireParam(params, 'AttributeName');

  await herald.setSubscriptionAttribute(subscriptionArn, name, params.AttributeValue ?? '');
  return actionResponse('SetSubscriptionAttributes', requestId);
};

/** The subscription actions by their `Action` name. */
export const subscriptionActions: Record<string, ActionHandler> = {
  Subscribe: subscribe,
  Unsubscribe: unsubscribe,
  ListSubscriptions: listSubscriptions,
  ListSubscriptionsByTopic: listSubscriptionsByTopic,
  GetSubscriptionAttributes: getSubscriptionAttributes,
  SetSubscriptionAttributes: setSubscriptionAttributes,
};
