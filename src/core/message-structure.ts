import { PROTOCOLS, type Protocol } from '../domain/subscription.js';
import type { ProtocolBodies } from '../domain/message.js';
import { invalidParameter } from '../errors/index.js';

/** A `MessageStructure=json` message taken apart. */
export interface StructuredMessage {
  /** The `default` entry: what every protocol without its own entry receives. */
  body: string;
  /** The entries of Herald's protocols, when the message has any. */
  protocolBodies?: ProtocolBodies;
}

/**
 * Takes apart a message published with `MessageStructure=json`, as SNS does: the text must
 * be a JSON object with a string `default` entry. Entries whose value is not a string are
 * ignored, as are keys of protocols Herald does not deliver to (email, sms, ...).
 */
export function parseMessageStructure(text: string): StructuredMessage {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw structureError('JSON message body failed to parse');
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw structureError('JSON message body failed to parse');
  }

  const entries = document as Record<string, unknown>;
  const body = entries.default;
  if (typeof body !== 'string') throw structureError('No default entry in JSON message body');

  const protocolBodies: ProtocolBodies = {};
  let found = false;
  for (const protocol of PROTOCOLS) {
    const value = entries[protocol];
    if (typeof value !== 'string') continue;
    protocolBodies[protocol as Protocol] = value;
    found = true;
  }
  return found ? { body, protocolBodies } : { body };
}

function structureError(reason: string) {
  return invalidParameter(`Message Structure - ${reason}`, { parameter: 'Message' });
}
