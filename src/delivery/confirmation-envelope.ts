import { randomUUID } from 'node:crypto';
import { signingCertUrl, type EnvelopeContext } from './envelope.js';

/** What a (un)subscribe confirmation is about. */
export interface ConfirmationRequest {
  type: 'SubscriptionConfirmation' | 'UnsubscribeConfirmation';
  topicArn: string;
  subscriptionArn: string;
  /** The token ConfirmSubscription takes. */
  token: string;
}

/**
 * The signed JSON SNS posts to an HTTP(S) endpoint to confirm a subscription, or, after an
 * unsubscribe, to offer restoring it: both carry a SubscribeURL that confirms the token.
 */
export function confirmationEnvelope(
  request: ConfirmationRequest,
  context: EnvelopeContext,
): { messageId: string; body: string } {
  const subscribeUrl =
    `${context.baseUrl}/?Action=ConfirmSubscription` +
    `&TopicArn=${encodeURIComponent(request.topicArn)}&Token=${request.token}`;
  const message =
    request.type === 'SubscriptionConfirmation'
      ? `You have chosen to subscribe to the topic ${request.topicArn}.\n` +
        'To confirm the subscription, visit the SubscribeURL included in this message.'
      : `You have chosen to deactivate subscription ${request.subscriptionArn}.\n` +
        'To cancel this operation and restore the subscription, visit the SubscribeURL ' +
        'included in this message.';

  const fields = {
    Type: request.type,
    MessageId: randomUUID(),
    Token: request.token,
    TopicArn: request.topicArn,
    Message: message,
    SubscribeURL: subscribeUrl,
    Timestamp: new Date().toISOString(),
  };
  const version = context.signatureVersionOf(request.topicArn);
  const body = JSON.stringify({
    ...fields,
    SignatureVersion: version,
    Signature: context.signer.sign(fields, version),
    SigningCertURL: signingCertUrl(context),
  });
  return { messageId: fields.MessageId, body };
}
