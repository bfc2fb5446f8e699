import type { MessageAttributes, ProtocolBodies, PublishedMessage } from '../../domain/message.js';
import type { DeadLetterOrigin, StoredQueueMessage } from '../journal.js';

/** A row of `messages`. */
export interface MessageRow {
  seq: number;
  message_id: string;
  topic_arn: string;
  subject: string | null;
  body: string;
  attributes: string | null;
  published_at: number;
  fanout: string;
  protocol_bodies: string | null;
  message_group_id: string | null;
}

/** A row of `queue_messages`. */
export interface QueueRow {
  id: number;
  queue_name: string;
  body: string;
  attributes: string;
  origin: string | null;
  receive_count: number;
  sent_at: number;
}

export function toMessage(row: MessageRow): PublishedMessage {
  return {
    seq: row.seq,
    messageId: row.message_id,
    topicArn: row.topic_arn,
    ...(row.subject === null ? {} : { subject: row.subject }),
    body: row.body,
    ...(row.protocol_bodies === null
      ? {}
      : { protocolBodies: JSON.parse(row.protocol_bodies) as ProtocolBodies }),
    ...(row.message_group_id === null ? {} : { messageGroupId: row.message_group_id }),
    attributes: row.attributes ? (JSON.parse(row.attributes) as MessageAttributes) : {},
    publishedAt: row.published_at,
  };
}

export function toQueueMessage(row: QueueRow): StoredQueueMessage {
  return {
    id: row.id,
    queueName: row.queue_name,
    body: row.body,
    attributes: JSON.parse(row.attributes) as MessageAttributes,
    receiveCount: row.receive_count,
    sentAt: row.sent_at,
    ...(row.origin ? { origin: JSON.parse(row.origin) as DeadLetterOrigin } : {}),
  };
}

/** Parses a comma-separated list of subscription ids. */
export function parseIds(text: string): number[] {
  return text === '' ? [] : text.split(',').map(Number);
}
