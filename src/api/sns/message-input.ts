import type { PublishInput } from '../../core/api.js';
import { invalidParameter } from '../../errors/index.js';
import { requireParam, type Params } from './form.js';
import { decodeMessageAttributes } from './message-attributes.js';

/** A message as Publish and each PublishBatch entry carry it, without its topic. */
export type MessageInput = Omit<PublishInput, 'topicArn'>;

/**
 * Decodes one message: `Message`, `Subject`, `MessageStructure`, `MessageAttributes.entry.N`,
 * `MessageGroupId` and `MessageDeduplicationId`, validating what the wire format decides
 * (attributes, the JSON structure). The size limit and the subject rules are the publisher's.
 */
export function decodeMessage(params: Params): MessageInput {
  const body = requireParam(params, 'Message');
  if (body === '') throw invalidParameter('Empty message', { parameter: 'Message' });

  const attributes = decodeMessageAttributes(params);
  const subject = params.Subject;
  const input: MessageInput = { message: structuredBody(body, params.MessageStructure) };
  if (subject !== undefined) input.subject = subject;
  if (attributes !== undefined) input.attributes = attributes;
  if (params.MessageGroupId !== undefined) input.messageGroupId = params.MessageGroupId;
  if (params.MessageDeduplicationId !== undefined) {
    input.messageDeduplicationId = params.MessageDeduplicationId;
  }
  return input;
}

/**
 * The body subscribers receive. With `MessageStructure=json` the message is a JSON object of
 * per-protocol bodies; Herald's protocols all take the `default` entry, which must be text.
 */
function structuredBody(body: string, structure: string | undefined): string {
  if (structure === undefined) return body;
  if (structure !== 'json') {
    throw invalidParameter('MessageStructure Reason: the only supported value is json', {
      parameter: 'MessageStructure',
    });
  }

  let document: unknown;
  try {
    document = JSON.parse(body);
  } catch {
    throw invalidParameter('Message Structure - JSON message body failed to parse', {
      parameter: 'Message',
    });
  }

  const fallback = isRecord(document) ? document.default : undefined;
  if (typeof fallback !== 'string') {
    throw invalidParameter('Message Structure - No default entry in JSON message body', {
      parameter: 'Message',
    });
  }
  return fallback;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
