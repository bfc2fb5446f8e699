import type { SNSEventRecord, SNSMessage } from 'aws-lambda';
import type { PublishedMessage } from '../domain/message.js';

/**
 * An SNS notification as SNS hands it to Lambda. Unlike `@types/aws-lambda`'s `SNSMessage`,
 * `Subject` is `null` when the message has none: that is what SNS sends.
 */
export type SnsNotification = Omit<SNSMessage, 'Subject' | 'Token'> & { Subject: string | null };

/** One record of an SNS event. */
export type SnsEventRecord = Omit<SNSEventRecord, 'Sns'> & { Sns: SnsNotification };

/** The event an SNS-triggered function receives: always exactly one record. */
export interface SnsEvent {
  Records: [SnsEventRecord];
}

/**
 * Herald does not sign function events yet: `Signature` carries this marker instead of a
 * base64 RSA signature, and `SigningCertUrl` is {@link UNSIGNED_CERT_URL}. Handlers that
 * verify signatures will reject Herald's events until a signer is added.
 */
export const UNSIGNED_SIGNATURE = 'UNSIGNED';

/** The `SigningCertUrl` of an unsigned event: there is no certificate. */
export const UNSIGNED_CERT_URL = '';

/** ISO 8601 timestamps by message: a message fanned out to many functions is formatted once. */
const timestamps = new WeakMap<PublishedMessage, string>();

/**
 * Builds the event SNS delivers to a Lambda subscriber for `message`. Runs per delivery,
 * so it builds objects directly; the message's attributes object is shared, not copied
 * (events reach handlers through structured clone, so handlers cannot alter it).
 */
export function buildSnsEvent(
  message: PublishedMessage,
  subscriptionArn: string,
  unsubscribeUrl = '',
): SnsEvent {
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: subscriptionArn,
        Sns: {
          Type: 'Notification',
          MessageId: message.messageId,
          TopicArn: message.topicArn,
          Subject: message.subject ?? null,
          Message: message.body,
          Timestamp: timestampOf(message),
          SignatureVersion: '1',
          Signature: UNSIGNED_SIGNATURE,
          SigningCertUrl: UNSIGNED_CERT_URL,
          UnsubscribeUrl: unsubscribeUrl,
          MessageAttributes: message.attributes,
        },
      },
    ],
  };
}

function timestampOf(message: PublishedMessage): string {
  let timestamp = timestamps.get(message);
  if (timestamp === undefined) {
    timestamp = new Date(message.publishedAt).toISOString();
    timestamps.set(message, timestamp);
  }
  return timestamp;
}
