import type { PublishedMessage } from '../domain/message.js';

/** Where a notification's certificate and unsubscribe links point. */
export interface EnvelopeLinks {
  /** Herald's base URL as clients reach it, without a trailing slash. */
  baseUrl: string;
}

/**
 * The JSON notification SNS wraps a message in for SQS and HTTP subscribers (when raw
 * delivery is off). Signatures are not computed yet: `Signature` is empty.
 */
export function notificationEnvelope(
  message: PublishedMessage,
  subscriptionArn: string,
  links: EnvelopeLinks,
): string {
  const attributes: Record<string, { Type: string; Value: string }> = {};
  for (const name in message.attributes) {
    const attribute = message.attributes[name]!;
    attributes[name] = { Type: attribute.Type, Value: attribute.Value };
  }
  return JSON.stringify({
    Type: 'Notification',
    MessageId: message.messageId,
    TopicArn: message.topicArn,
    ...(message.subject === undefined ? {} : { Subject: message.subject }),
    Message: message.body,
    Timestamp: new Date(message.publishedAt).toISOString(),
    SignatureVersion: '1',
    Signature: '',
    SigningCertURL: `${links.baseUrl}/herald/v1/signing-cert.pem`,
    UnsubscribeURL: `${links.baseUrl}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(
      subscriptionArn,
    )}`,
    ...(Object.keys(attributes).length === 0 ? {} : { MessageAttributes: attributes }),
  });
}
