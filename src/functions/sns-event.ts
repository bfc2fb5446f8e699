import { bodyFor, type PublishedMessage } from '../domain/message.js';
import { snsEventOf, type SnsDelivery, type SnsEvent } from './worker/sns-event.mjs';

export type {
  SnsDelivery,
  SnsEvent,
  SnsEventRecord,
  SnsNotification,
} from './worker/sns-event.mjs';
export { UNSIGNED_CERT_URL, UNSIGNED_SIGNATURE } from './worker/sns-event.mjs';

/**
 * The flat fields of one delivery of `message` to a Lambda subscriber: the `lambda` body of
 * a structured message when it has one. The message's attributes object is shared, not
 * copied (it reaches handlers through structured clone).
 */
export function snsDeliveryOf(
  message: PublishedMessage,
  subscriptionArn: string,
  unsubscribeUrl = '',
): SnsDelivery {
  return {
    subscriptionArn,
    messageId: message.messageId,
    topicArn: message.topicArn,
    subject: message.subject ?? null,
    message: bodyFor(message, 'lambda'),
    timestamp: new Date(message.publishedAt).toISOString(),
    unsubscribeUrl,
    messageAttributes: message.attributes,
  };
}

/** Builds the event SNS delivers to a Lambda subscriber for `message`. */
export function buildSnsEvent(
  message: PublishedMessage,
  subscriptionArn: string,
  unsubscribeUrl = '',
): SnsEvent {
  return snsEventOf(snsDeliveryOf(message, subscriptionArn, unsubscribeUrl));
}
