/**
 * The SNS event a Lambda subscriber receives, built from the flat fields of one delivery.
 * Workers build it, so that the pool sends them flat records (cheap to copy between
 * threads) instead of nested event objects. Types live in sns-event.d.mts.
 */

/**
 * Herald does not sign function events yet: `Signature` carries this marker instead of a
 * base64 RSA signature, and `SigningCertUrl` is empty.
 */
export const UNSIGNED_SIGNATURE = 'UNSIGNED';

/** The `SigningCertUrl` of an unsigned event: there is no certificate. */
export const UNSIGNED_CERT_URL = '';

/**
 * Builds the event, always with exactly one record, as SNS invokes Lambda.
 * @param {import('./sns-event.d.mts').SnsDelivery} d
 * @returns {import('./sns-event.d.mts').SnsEvent}
 */
export function snsEventOf(d) {
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: d.subscriptionArn,
        Sns: {
          Type: 'Notification',
          MessageId: d.messageId,
          TopicArn: d.topicArn,
          Subject: d.subject,
          Message: d.message,
          Timestamp: d.timestamp,
          SignatureVersion: '1',
          Signature: UNSIGNED_SIGNATURE,
          SigningCertUrl: UNSIGNED_CERT_URL,
          UnsubscribeUrl: d.unsubscribeUrl,
          MessageAttributes: d.messageAttributes,
        },
      },
    ],
  };
}
