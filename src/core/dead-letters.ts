import type { PublishedMessage } from '../domain/message.js';
import type { Delivery } from '../delivery/delivery.js';
import type { DeadLetterOrigin, Journal, StoredQueueMessage } from '../store/journal.js';
import type { DeadLetter } from './api.js';

/** How many queue messages one read takes: listings and redrives go through in chunks. */
const QUEUE_CHUNK = 1000;

/** What a dead letter keeps of an exhausted delivery: where it came from and why it failed. */
export function deadLetterOrigin(delivery: Delivery, reason: string): DeadLetterOrigin {
  const { message } = delivery.entry;
  return {
    subscriptionArn: delivery.subscription.arn,
    topicArn: message.topicArn,
    messageId: message.messageId,
    errorMessage: reason,
    attempts: delivery.attempt,
    deadLetteredAt: Date.now(),
    ...(message.subject === undefined ? {} : { subject: message.subject }),
    publishedAt: message.publishedAt,
  };
}

/**
 * The message a redrive puts back into the journal: the dead letter as first published
 * (MessageId, Subject, body, attributes, publish time), under a new sequence number.
 * A letter written before Herald kept the publish time gets the redrive time instead.
 */
export function redrivenMessage(
  letter: StoredQueueMessage,
  origin: DeadLetterOrigin,
  seq: number,
  redrivenAt: number,
): PublishedMessage {
  return {
    seq,
    messageId: origin.messageId,
    topicArn: origin.topicArn,
    ...(origin.subject === undefined ? {} : { subject: origin.subject }),
    body: letter.body,
    attributes: letter.attributes,
    publishedAt: origin.publishedAt ?? redrivenAt,
    redrivenAt,
  };
}

/** A queue message as `herald dlq list` shows it, with its origin when it has one. */
export function toDeadLetter(stored: StoredQueueMessage): DeadLetter {
  const { origin, ...message } = stored;
  if (!origin) return message;
  return {
    ...message,
    subscriptionArn: origin.subscriptionArn,
    topicArn: origin.topicArn,
    messageId: origin.messageId,
    errorMessage: origin.errorMessage,
  };
}

/** Reads a queue from its head without removing anything, one chunk per step. */
export async function* queueChunks(
  journal: Journal,
  queueName: string,
): AsyncGenerator<StoredQueueMessage[], void, undefined> {
  let afterId = 0;
  for (;;) {
    const chunk = await journal.peekQueue(queueName, QUEUE_CHUNK, afterId);
    const last = chunk.at(-1);
    if (last === undefined) return;
    yield chunk;
    afterId = last.id;
  }
}
