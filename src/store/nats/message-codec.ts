import type { PublishedMessage } from '../../domain/message.js';
import type { DeadLetterOrigin, QueueWrite, StoredQueueMessage } from '../journal.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A message as the deliveries stream carries it: everything but the node-local seq. */
export type StreamedMessage = Omit<PublishedMessage, 'seq'>;

/** A message's JSON in a delivery batch; encode it once for all its subscriptions. */
export function messageJson(message: PublishedMessage): string {
  const { seq: _seq, ...streamed } = message;
  return JSON.stringify(streamed);
}

/** A delivery batch: the JSON array of its messages. */
export function encodeBatch(messagesJson: readonly string[]): Uint8Array {
  return encoder.encode(`[${messagesJson.join(',')}]`);
}

/** The messages of a delivery batch. */
export function decodeBatch(data: Uint8Array): StreamedMessage[] {
  const messages = JSON.parse(decoder.decode(data)) as unknown;
  if (!Array.isArray(messages)) throw new Error('a delivery batch is not an array');
  return messages as StreamedMessage[];
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
