import { createHash } from 'node:crypto';
import type { Topic } from '../domain/topic.js';
import { invalidParameter } from '../errors/index.js';
import type { PublishInput } from './api.js';

/** MessageGroupId and MessageDeduplicationId: 1-128 letters, digits and punctuation. */
const FIFO_ID = /^[A-Za-z0-9!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]{1,128}$/;

/** The publish fields that order and deduplicate a FIFO message. */
export interface FifoFields {
  messageGroupId: string;
  deduplicationId: string;
  /** The deduplication scope: the message group under `FifoThroughputScope=MessageGroup`. */
  scope: string;
}

type FifoInput = Pick<PublishInput, 'message' | 'messageGroupId' | 'messageDeduplicationId'>;

/** True for a FIFO topic (CreateTopic makes sure only FIFO topics end with `.fifo`). */
export function isFifoTopic(topic: Topic): boolean {
  return topic.name.endsWith('.fifo');
}

/**
 * Checks a publish's MessageGroupId and MessageDeduplicationId as SNS does for the topic's
 * kind, and returns the FIFO fields of a FIFO topic's message (undefined for a standard
 * topic). A FIFO message needs a group, and a deduplication id unless the topic has
 * `ContentBasedDeduplication`, when it is the SHA-256 of the body. A standard topic accepts
 * a group (SNS forwards it to fair SQS queues; Herald's queues have no use for it) and
 * refuses a deduplication id.
 */
export function fifoFieldsOf(topic: Topic, input: FifoInput): FifoFields | undefined {
  const { messageGroupId, messageDeduplicationId } = input;
  if (messageGroupId !== undefined) checkFifoId('MessageGroupId', messageGroupId);
  if (!isFifoTopic(topic)) {
    if (messageDeduplicationId !== undefined) {
      throw invalidParameter(
        'MessageDeduplicationId Reason: The request includes MessageDeduplicationId ' +
          'parameter that is not valid for this topic type',
        { parameter: 'MessageDeduplicationId' },
      );
    }
    return undefined;
  }

  checkFifoPresence(topic, input);
  const group = messageGroupId as string;
  if (messageDeduplicationId !== undefined) {
    checkFifoId('MessageDeduplicationId', messageDeduplicationId);
  }
  const deduplicationId =
    messageDeduplicationId ?? createHash('sha256').update(input.message).digest('hex');
  const scope = topic.attributes.FifoThroughputScope === 'MessageGroup' ? group : '';
  return { messageGroupId: group, deduplicationId, scope };
}

/**
 * The fields every message to a FIFO topic needs; SNS refuses a whole PublishBatch when one
 * entry lacks them, so the batch is checked before any entry is accepted.
 */
export function checkFifoPresence(topic: Topic, input: Omit<FifoInput, 'message'>): void {
  if (!isFifoTopic(topic)) return;
  if (input.messageGroupId === undefined) {
    throw invalidParameter('The MessageGroupId parameter is required for FIFO topics', {
      parameter: 'MessageGroupId',
    });
  }
  if (
    input.messageDeduplicationId === undefined &&
    topic.attributes.ContentBasedDeduplication !== 'true'
  ) {
    throw invalidParameter(
      'The topic should either have ContentBasedDeduplication enabled or ' +
        'MessageDeduplicationId provided explicitly',
      { parameter: 'MessageDeduplicationId' },
    );
  }
}

function checkFifoId(name: string, value: string): void {
  if (!FIFO_ID.test(value)) {
    throw invalidParameter(
      `${name} Reason: ${name} can only include alphanumeric and punctuation characters. ` +
        '1 to 128 in length.',
      { parameter: name },
    );
  }
}
