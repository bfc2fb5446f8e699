import type { MessageAttributes } from '../../domain/message.js';
import { HeraldError } from '../../errors/index.js';
import { indexedGroups, missingParameter, type Params } from './form.js';

const MAX_NAME_LENGTH = 256;
const MAX_TYPE_LENGTH = 256;
const NAME_CHARACTER = /[A-Za-z0-9_.-]/;
const RESERVED_PREFIX = /^(aws|amazon)\./i;
const DATA_TYPE = /^(String|Number|Binary)(\..+)?$/;
const NUMBER = /^[+-]?(?:(\d+)(?:\.(\d*))?|\.(\d+))(?:[eE]([+-]?\d+))?$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const MAX_NUMBER_DIGITS = 38;
const MIN_NUMBER_EXPONENT = -128;
const MAX_NUMBER_EXPONENT = 126;

function invalid(message: string): HeraldError {
  return new HeraldError('InvalidParameterValue', message, { parameter: 'MessageAttributes' });
}

/**
 * Decodes `MessageAttributes.entry.N.Name` / `.Value.DataType` / `.Value.StringValue` /
 * `.Value.BinaryValue` and validates them as SNS does: names, data types (String, Number,
 * Binary, String.Array, optionally with a custom `.suffix`), and values per type. Binary
 * values stay base64 text, as the domain carries them. The map has no prototype, so names
 * such as `constructor` or `__proto__` are ordinary attributes.
 */
export function decodeMessageAttributes(
  params: Params,
  prefix = 'MessageAttributes',
): MessageAttributes | undefined {
  const groups = indexedGroups(params, `${prefix}.entry`);
  if (groups.length === 0) return undefined;

  const attributes = Object.create(null) as MessageAttributes;
  for (const { index, params: entry } of groups) {
    const where = `${prefix}.entry.${index}`;
    const name = entry.Name;
    if (name === undefined) throw missingParameter(`${where}.Name`);
    validateName(name);
    if (Object.hasOwn(attributes, name)) {
      throw invalid(`Message attribute name '${name}' has multiple values.`);
    }

    const type = entry['Value.DataType'];
    if (type === undefined) throw missingParameter(`${where}.Value.DataType`);
    const value = attributeValue(name, type, entry);

    attributes[name] = { Type: type, Value: value };
  }
  return attributes;
}

function validateName(name: string): void {
  if (name.length === 0) throw invalid('The message attribute name must not be empty.');
  if (name.length > MAX_NAME_LENGTH) {
    throw invalid('Length of message attribute name must be less than 256 bytes.');
  }

  for (const char of name) {
    if (!NAME_CHARACTER.test(char)) {
      const hex = (char.codePointAt(0) ?? 0).toString(16).toUpperCase();
      throw invalid(
        `Invalid non-alphanumeric character '#x${hex}' was found in the message attribute ` +
          'name. Can only include alphanumeric characters, hyphens, underscores, or dots.',
      );
    }
  }

  if (name.startsWith('.')) {
    throw invalid("Invalid message attribute name starting with character '.' was found.");
  }
  if (name.endsWith('.')) {
    throw invalid("Invalid message attribute name ending with character '.' was found.");
  }
  if (name.includes('..')) {
    throw invalid("Message attribute name can not have successive '.' character.");
  }
  if (RESERVED_PREFIX.test(name)) {
    throw invalid(
      `The message attribute name '${name}' starts with a prefix reserved for AWS: ` +
        "names may not start with 'AWS.' or 'Amazon.'.",
    );
  }
}

function attributeValue(name: string, type: string, entry: Params): string {
  if (type.length > MAX_TYPE_LENGTH || !DATA_TYPE.test(type)) {
    throw invalid(
      `The message attribute '${name}' has an invalid message attribute type, the set of ` +
        'supported type prefixes is Binary, Number, and String.',
    );
  }

  const binary = type.startsWith('Binary');
  const field = binary ? 'BinaryValue' : 'StringValue';
  const value = entry[`Value.${field}`];
  if (
    value === undefined &&
    entry[binary ? 'Value.StringValue' : 'Value.BinaryValue'] !== undefined
  ) {
    throw invalid(
      `The message attribute '${name}' with type '${type}' must use field ` +
        `'${binary ? 'Binary' : 'String'}'.`,
    );
  }
  if (value === undefined || value === '') {
    throw invalid(
      `The message attribute '${name}' must contain non-empty message attribute value for ` +
        `message attribute type '${type}'.`,
    );
  }

  if (binary) validateBinary(name, value);
  else if (type.startsWith('Number')) validateNumber(name, value);
  else if (type === 'String.Array') validateStringArray(name, value);
  return value;
}

function validateBinary(name: string, value: string): void {
  if (!BASE64.test(value)) {
    throw invalid(`The message attribute '${name}' has a Binary value that is not base64.`);
  }
}

function validateNumber(name: string, value: string): void {
  const match = NUMBER.exec(value);
  if (!match) throw invalid(`Could not cast message attribute '${name}' value to number.`);

  const [, whole = '', fraction = '', bareFraction, exponent = '0'] = match;
  const digits = bareFraction === undefined ? whole + fraction : bareFraction;
  const integerDigits = bareFraction === undefined ? whole.length : 0;
  const first = digits.search(/[1-9]/);
  if (first === -1) return;

  const significant = digits.slice(first).replace(/0+$/, '');
  if (significant.length > MAX_NUMBER_DIGITS) {
    throw invalid(
      `Message attribute '${name}' number value [${value}] must have less than 38 precision ` +
        'digits.',
    );
  }

  const magnitude = integerDigits - 1 - first + Number(exponent);
  if (magnitude < MIN_NUMBER_EXPONENT || magnitude > MAX_NUMBER_EXPONENT) {
    throw invalid(
      `Message attribute '${name}' number value [${value}] scale must be between 10^-128 ` +
        'and 10^126.',
    );
  }
}

function validateStringArray(name: string, value: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    parsed = undefined;
  }

  const valid =
    Array.isArray(parsed) &&
    parsed.every((item) => item === null || ['string', 'number', 'boolean'].includes(typeof item));
  if (!valid) {
    throw invalid(
      `The message attribute '${name}' with type 'String.Array' must be a JSON array of ` +
        'strings, numbers, booleans or nulls.',
    );
  }
}
