import type { PublishInput } from '../../core/api.js';
import { invalidParameter } from '../../errors/index.js';
import { requireParam, type Params } from './form.js';
import { decodeMessageAttributes } from './message-attributes.js';

/** A message as Publish and each PublishBatch entry carry it, without its topic. */
export type MessageInput = Omit<PublishInput, 'topicArn'>;

/** A decoded message and the bytes it counts toward the size limit. */
export interface DecodedMessage {
  input: MessageInput;
  bytes: number;
}

const MAX_SUBJECT_LENGTH = 100;
const CONTROL_CHARACTER = /\p{Cc}/u;

/**
 * Decodes and validates one message: `Message`, `Subject`, `MessageStructure`,
 * `MessageAttributes.entry.N`, `MessageGroupId` and `MessageDeduplicationId`. The size
 * counted against `maxMessageBytes` is the body plus every attribute's name, type and value.
 */
export function decodeMessage(params: Params, maxMessageBytes: number): DecodedMessage {
  const body = requireParam(params, 'Message');
  if (body === '') throw invalidParameter('Empty message', { parameter: 'Message' });

  const { attributes, bytes: attributeBytes } = decodeMessageAttributes(params);
  const bytes = Buffer.byteLength(body) + attributeBytes;
  if (bytes > maxMessageBytes) throw invalidParameter('Message too long', { parameter: 'Message' });

  const subject = params.Subject;
  if (subject !== undefined) validateSubject(subject);

  const input: MessageInput = { message: structuredBody(body, params.MessageStructure) };
  if (subject !== undefined) input.subject = subject;
  if (attributes !== undefined) input.attributes = attributes;
  if (params.MessageGroupId !== undefined) input.messageGroupId = params.MessageGroupId;
  if (params.MessageDeduplicationId !== undefined) {
    input.messageDeduplicationId = params.MessageDeduplicationId;
  }
  return { input, bytes };
}

function validateSubject(subject: string): void {
  if (subject === '' || subject.length > MAX_SUBJECT_LENGTH || CONTROL_CHARACTER.test(subject)) {
    throw invalidParameter('Subject', { parameter: 'Subject' });
  }
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
