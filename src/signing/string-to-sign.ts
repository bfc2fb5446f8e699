/** The message types SNS signs, by the `Type` field of their JSON. */
export type SignedMessageType =
  'Notification' | 'SubscriptionConfirmation' | 'UnsubscribeConfirmation';

/** The fields of a message that its signature covers (others are ignored). */
export type SignedFields = { Type: SignedMessageType } & Record<string, string | undefined>;

/** The keys a notification's signature covers, in order; Subject only when present. */
const NOTIFICATION_KEYS = ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'];

/** The keys a (un)subscribe confirmation's signature covers, in order. */
const CONFIRMATION_KEYS = [
  'Message',
  'MessageId',
  'SubscribeURL',
  'Timestamp',
  'Token',
  'TopicArn',
  'Type',
];

/**
 * The canonical text SNS signs: each covered key present in the message, in the documented
 * order, as `Key\nValue\n`. Receivers rebuild it the same way to verify a signature.
 */
export function stringToSign(fields: SignedFields): string {
  const keys = fields.Type === 'Notification' ? NOTIFICATION_KEYS : CONFIRMATION_KEYS;
  let text = '';
  for (const key of keys) {
    const value = fields[key];
    if (value !== undefined) text += `${key}\n${value}\n`;
  }
  return text;
}
