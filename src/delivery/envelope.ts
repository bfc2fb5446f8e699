import { bodyFor, type PublishedMessage } from '../domain/message.js';
import type { Subscription } from '../domain/subscription.js';
import type { MessageSigner, SignatureVersion } from '../signing/message-signer.js';

/** Where the admin API serves the signing certificate, under Herald's base URL. */
export const SIGNING_CERT_PATH = '/herald/v1/signing-cert.pem';

/** What envelopes need beyond the message: Herald's URL and its signing key. */
export interface EnvelopeContext {
  /** Herald's base URL as clients reach it, without a trailing slash. */
  baseUrl: string;
  signer: MessageSigner;
  /** The topic's `SignatureVersion` attribute ('1' unless set). */
  signatureVersionOf(topicArn: string): SignatureVersion;
}

/** The URL a receiver fetches the signing certificate from. */
export function signingCertUrl(context: EnvelopeContext): string {
  return `${context.baseUrl}${SIGNING_CERT_PATH}`;
}

/**
 * The JSON notification SNS wraps a message in for SQS and HTTP subscribers (when raw
 * delivery is off), signed with Herald's key by the topic's signature version. `Message`
 * is the body of the subscription's protocol.
 */
export function notificationEnvelope(
  message: PublishedMessage,
  subscription: Pick<Subscription, 'arn' | 'protocol'>,
  context: EnvelopeContext,
): string {
  const { protocol } = subscription;
  // No prototype: an attribute named `__proto__` stays an attribute.
  const attributes = Object.create(null) as Record<string, { Type: string; Value: string }>;
  for (const [name, attribute] of Object.entries(message.attributes)) {
    attributes[name] = { Type: attribute.Type, Value: attribute.Value };
  }
  const version = context.signatureVersionOf(message.topicArn);

  return JSON.stringify({
    Type: 'Notification',
    MessageId: message.messageId,
    TopicArn: message.topicArn,
    ...(message.subject === undefined ? {} : { Subject: message.subject }),
    Message: bodyFor(message, protocol),
    Timestamp: new Date(message.publishedAt).toISOString(),
    SignatureVersion: version,
    Signature: context.signer.notificationSignature(message, version, protocol),
    SigningCertURL: signingCertUrl(context),
    UnsubscribeURL: `${context.baseUrl}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(
      subscription.arn,
    )}`,
    ...(Object.keys(attributes).length === 0 ? {} : { MessageAttributes: attributes }),
  });
}
