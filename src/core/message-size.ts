import type { MessageAttributes } from '../domain/message.js';

/**
 * The bytes a message counts toward SNS's size limit: the body plus, for each attribute, its
 * name, its data type and its value, all as UTF-8 ("all parts of the message attribute,
 * including name, type, and value, are included in the message size restriction"). A Binary
 * value counts its decoded bytes, as SDKs send it, not the base64 text Herald carries.
 */
export function messageSize(body: string, attributes: MessageAttributes | undefined): number {
  let size = Buffer.byteLength(body);
  if (attributes === undefined) return size;

  for (const [name, { Type: type, Value: value }] of Object.entries(attributes)) {
    const valueBytes = type.startsWith('Binary')
      ? Buffer.byteLength(value, 'base64')
      : Buffer.byteLength(value);
    size += Buffer.byteLength(name) + Buffer.byteLength(type) + valueBytes;
  }
  return size;
}
