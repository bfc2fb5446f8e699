import type { ActionHandler } from './action.js';
import { booleanParam, requireParam } from './form.js';
import { actionResponse } from './xml.js';

/**
 * ConfirmSubscription: confirms a pending HTTP(S) subscription with the token its endpoint
 * received. Receivers usually reach it through the SubscribeURL, a GET on `/` with the
 * action in the query string. AuthenticateOnUnsubscribe is checked and accepted; Herald
 * does not restrict who may unsubscribe.
 */
const confirmSubscription: ActionHandler = async ({ herald, params, requestId }) => {
  const topicArn = requireParam(params, 'TopicArn');
  const token = requireParam(params, 'Token');
  booleanParam(params, 'AuthenticateOnUnsubscribe');

  const subscription = await herald.confirmSubscription(topicArn, token);
  return actionResponse('ConfirmSubscription', requestId, { SubscriptionArn: subscription.arn });
};

/** The confirmation actions by their `Action` name. */
export const confirmationActions: Record<string, ActionHandler> = {
  ConfirmSubscription: confirmSubscription,
};
