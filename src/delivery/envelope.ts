import type { PublishedMessage } from '../domain/message.js';
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
 * delivery is off), signed with Herald's key by the topic's signature version.
 */
export function notificationEnvelope(
  message: PublishedMessage,
  subscriptionArn: string,
  context: EnvelopeContext,
): string {
  const attributes: Record<string, { Type: string; Value: string }> = {};
  for (const name in message.attributes) {
    const attribute = message.attributes[name]!;
    attributes[name] = { Type: attribute.Type, Value: attribute.Value };
  }
  const version = context.signatureVersionOf(message.topicArn);

  return JSON.stringify({
    Type: 'Notification',
    MessageId: message.messageId,
    TopicArn: message.topicArn,
    ...(message.subject === undefined ? {} : { Subject: message.subject }),
    Message: message.body,
    Timestamp: new Date(message.publishedAt).toISOString(),
    SignatureVersion: version,
    Signature: context.signer.notificationSignature(message, version),
    SigningCertURL: signingCertUrl(context),
    UnsubscribeURL: `${context.baseUrl}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(
      subscriptionArn,
    )}`,
    ...(Object.keys(attributes).length === 0 ? {} : { MessageAttributes: attributes }),
  });
}
