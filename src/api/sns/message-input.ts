import type { PublishInput } from '../../core/api.js';
import { invalidParameter } from '../../errors/index.js';
import { requireParam, type Params } from './form.js';
import { decodeMessageAttributes } from './message-attributes.js';

/** A message as Publish and each PublishBatch entry carry it, without its topic. */
export type MessageInput = Omit<PublishInput, 'topicArn'>;

/**
 * Decodes one message: `Message`, `Subject`, `MessageStructure`, `MessageAttributes.entry.N`,
 * `MessageGroupId` and `MessageDeduplicationId`, validating what the wire format decides
 * (attributes, the MessageStructure value). The size limit, the subject rules and the JSON
 * structure's entries are the publisher's.
 */
export function decodeMessage(params: Params): MessageInput {
  const body = requireParam(params, 'Message');
  if (body === '') throw invalidParameter('Empty message', { parameter: 'Message' });

  const attributes = decodeMessageAttributes(params);
  const subject = params.Subject;
  const input: MessageInput = { message: body };
  if (params.MessageStructure !== undefined) {
    input.messageStructure = messageStructure(params.MessageStructure);
  }
  if (subject !== undefined) input.subject = subject;
  if (attributes !== undefined) input.attributes = attributes;
  if (params.MessageGroupId !== undefined) input.messageGroupId = params.MessageGroupId;
  if (params.MessageDeduplicationId !== undefined) {
    input.messageDeduplicationId = params.MessageDeduplicationId;
  }
  return input;
}

/** `MessageStructure`: only `json` (a body per protocol) is defined. */
function messageStructure(value: string): 'json' {
  if (value !== 'json') {
    throw invalidParameter('MessageStructure Reason: the only supported value is json', {
      parameter: 'MessageStructure',
    });
  }
  return value;
}
