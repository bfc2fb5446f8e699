import type { Protocol } from './subscription.js';

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

/**
 * The bodies a `MessageStructure=json` message gives particular protocols, beside its
 * `default` entry; a protocol without one gets the default body.
 */
export type ProtocolBodies = Partial<Record<Protocol, string>>;

/** A message accepted by Publish: what every delivery of it carries. */
export interface PublishedMessage {
  /** Herald's durable sequence number; orders messages within a store. */
  seq: number;
  /** The SNS MessageId (a UUID) returned to the publisher. */
  messageId: string;
  topicArn: string;
  subject?: string;
  /** The body every subscriber receives (the `default` entry of a structured message). */
  body: string;
  /** Per-protocol bodies of a `MessageStructure=json` message, when it has any. */
  protocolBodies?: ProtocolBodies;
  /** The MessageGroupId of a message published to a FIFO topic. */
  messageGroupId?: string;
  attributes: MessageAttributes;
  /** Epoch milliseconds when Publish accepted the message (a redrive keeps it). */
  publishedAt: number;
  /**
   * Epoch milliseconds when a dead letter was put back into the journal by a redrive. Held
   * in memory only: after a restart a redriven message counts from `publishedAt` again.
   */
  redrivenAt?: number;
}

/**
 * When Herald took the message on for delivery: its redrive, or else its publish. Latency
 * and a function's maximum event age count from here, so time spent in a dead-letter queue
 * counts toward neither.
 */
export function acceptedAt(message: PublishedMessage): number {
  return message.redrivenAt ?? message.publishedAt;
}

/** The body a subscriber of `protocol` receives: its own entry, else the default body. */
export function bodyFor(message: PublishedMessage, protocol: Protocol): string {
  return message.protocolBodies?.[protocol] ?? message.body;
}
