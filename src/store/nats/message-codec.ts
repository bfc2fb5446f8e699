import type { PublishedMessage } from '../../domain/message.js';
import type { DeadLetterOrigin, QueueWrite, StoredQueueMessage } from '../journal.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A message as a delivery carries it in the stream: everything but the node-local seq. */
export function encodeMessage(message: PublishedMessage): Uint8Array {
  const { seq: _seq, ...rest } = message;
  return encoder.encode(JSON.stringify(rest));
}

/** The message a delivery carries, with `seq` naming its lease on this node. */
export function decodeMessage(data: Uint8Array, seq: number): PublishedMessage {
  const message = JSON.parse(decoder.decode(data)) as Omit<PublishedMessage, 'seq'>;
  return { ...message, seq };
}

/** A queue message as stored in the queue stream. */
interface QueueRecord {
  body: string;
  attributes: QueueWrite['attributes'];
  origin?: DeadLetterOrigin;
}

export function encodeQueueWrite(write: QueueWrite): Uint8Array {
  const record: QueueRecord = { body: write.body, attributes: write.attributes };
  if (write.origin) record.origin = write.origin;
  return encoder.encode(JSON.stringify(record));
}

/** A stored queue message; its id is its stream sequence number. */
export function decodeQueueMessage(
  queueName: string,
  seq: number,
  sentAt: number,
  data: Uint8Array,
): StoredQueueMessage {
  const record = JSON.parse(decoder.decode(data)) as QueueRecord;
  const message: StoredQueueMessage = {
    id: seq,
    queueName,
    body: record.body,
    attributes: record.attributes,
    receiveCount: 0,
    sentAt,
  };
  if (record.origin) message.origin = record.origin;
  return message;
}
