/**
 * One message attribute as SNS carries it in events and envelopes: `Type` is the data
 * type (`String`, `Number`, `Binary`, `String.Array`, or one of those with a custom
 * suffix such as `Number.float`); `Value` is always text (base64 for Binary).
 */
export interface MessageAttribute {
  Type: string;
  Value: string;
}

/** A message's attributes by name. */
export type MessageAttributes = Record<string, MessageAttribute>;

/** A message accepted by Publish: what every delivery of it carries. */
export interface PublishedMessage {
  /** Herald's durable sequence number; orders messages within a store. */
  seq: number;
  /** The SNS MessageId (a UUID) returned to the publisher. */
  messageId: string;
  topicArn: string;
  subject?: string;
  body: string;
  attributes: MessageAttributes;
  /** Epoch milliseconds when Publish accepted the message. */
  publishedAt: number;
}
