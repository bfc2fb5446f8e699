import { describe, expect, it } from 'vitest';
import { decodeForm } from '../../src/api/sns/form.js';
import { decodeMessageAttributes } from '../../src/api/sns/message-attributes.js';
import { decodeMessage } from '../../src/api/sns/message-input.js';
import { messageSize } from '../../src/core/message-size.js';
import { HeraldError } from '../../src/errors/index.js';

/** Form params for one attribute, as the SDKs flatten it. */
function attribute(name: string, type: string, value?: string, field = 'StringValue'): string {
  const parts = [
    `MessageAttributes.entry.1.Name=${encodeURIComponent(name)}`,
    `MessageAttributes.entry.1.Value.DataType=${encodeURIComponent(type)}`,
  ];
  if (value !== undefined)
    parts.push(`MessageAttributes.entry.1.Value.${field}=${encodeURIComponent(value)}`);
  return parts.join('&');
}

function failure(form: string): { code: string; message: string } | undefined {
  try {
    decodeMessageAttributes(decodeForm(form));
  } catch (error) {
    if (error instanceof HeraldError) return { code: error.code, message: error.message };
    throw error;
  }
  return undefined;
}

describe('message attributes', () => {
  it('decodes every data type, custom suffixes included', () => {
    const form = [
      attribute('s', 'String', 'text'),
      'MessageAttributes.entry.2.Name=n&MessageAttributes.entry.2.Value.DataType=Number.float',
      'MessageAttributes.entry.2.Value.StringValue=-1.5e3',
      'MessageAttributes.entry.3.Name=b&MessageAttributes.entry.3.Value.DataType=Binary',
      'MessageAttributes.entry.3.Value.BinaryValue=AQID',
      'MessageAttributes.entry.4.Name=a&MessageAttributes.entry.4.Value.DataType=String.Array',
      `MessageAttributes.entry.4.Value.StringValue=${encodeURIComponent('["x",1,true,null]')}`,
    ].join('&');
    const attributes = decodeMessageAttributes(decodeForm(form));

    expect(attributes).toEqual({
      s: { Type: 'String', Value: 'text' },
      n: { Type: 'Number.float', Value: '-1.5e3' },
      b: { Type: 'Binary', Value: 'AQID' },
      a: { Type: 'String.Array', Value: '["x",1,true,null]' },
    });
    const expected = 1 + 6 + 4 + (1 + 12 + 6) + (1 + 6 + 3) + (1 + 12 + 17);
    expect(messageSize('', attributes)).toBe(expected);
  });

  it('keeps names that are JavaScript built-ins as ordinary attributes', () => {
    const names = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'];
    const form = names
      .map(
        (name, i) =>
          `MessageAttributes.entry.${i + 1}.Name=${name}` +
          `&MessageAttributes.entry.${i + 1}.Value.DataType=String` +
          `&MessageAttributes.entry.${i + 1}.Value.StringValue=v${i}`,
      )
      .join('&');
    const attributes = decodeMessageAttributes(decodeForm(form)) ?? {};

    expect(Object.keys(attributes)).toEqual(names);
    expect(Object.hasOwn(attributes, '__proto__')).toBe(true);
    expect(attributes.constructor).toEqual({ Type: 'String', Value: 'v0' });
    expect(JSON.parse(JSON.stringify(attributes)).__proto__).toEqual({
      Type: 'String',
      Value: 'v2',
    });
    const twice = `${attribute('constructor', 'String', 'a')}&${attribute('x', 'String', 'b').replaceAll('.1.', '.2.').replace('Name=x', 'Name=constructor')}`;
    expect(failure(twice)?.message).toBe(
      "Message attribute name 'constructor' has multiple values.",
    );
  });

  it('answers ParameterValueInvalid for bad names', () => {
    expect(failure(attribute('a b', 'String', 'x'))?.message).toBe(
      "Invalid non-alphanumeric character '#x20' was found in the message attribute name. " +
        'Can only include alphanumeric characters, hyphens, underscores, or dots.',
    );
    expect(failure(attribute('.a', 'String', 'x'))?.message).toMatch(/starting with character/);
    expect(failure(attribute('a.', 'String', 'x'))?.message).toMatch(/ending with character/);
    expect(failure(attribute('a..b', 'String', 'x'))?.message).toMatch(/successive '.'/);
    expect(failure(attribute('AWS.trace', 'String', 'x'))?.message).toMatch(/reserved/);
    expect(failure(attribute('amazon.x', 'String', 'x'))?.message).toMatch(/reserved/);
    expect(failure(attribute('x'.repeat(257), 'String', 'x'))?.code).toBe('InvalidParameterValue');
    expect(failure(attribute('x'.repeat(256), 'String', 'x'))).toBeUndefined();
  });

  it('answers ParameterValueInvalid for bad types and missing values', () => {
    expect(failure(attribute('a', 'Text', 'x'))?.message).toBe(
      "The message attribute 'a' has an invalid message attribute type, the set of supported " +
        'type prefixes is Binary, Number, and String.',
    );
    expect(failure(attribute('a', 'String'))?.message).toMatch(/must contain non-empty/);
    expect(failure(attribute('a', 'String', ''))?.message).toMatch(/must contain non-empty/);
    expect(failure(attribute('a', 'Binary', 'AQID'))?.message).toBe(
      "The message attribute 'a' with type 'Binary' must use field 'Binary'.",
    );
    expect(failure(attribute('a', 'Binary', '***', 'BinaryValue'))?.message).toMatch(/base64/);
  });

  it('validates numbers as SNS does: syntax, 38 digits, 10^-128..10^126', () => {
    expect(failure(attribute('n', 'Number', 'abc'))?.message).toBe(
      "Could not cast message attribute 'n' value to number.",
    );
    for (const ok of ['0', '-0.000', '+12', '.5', '5.', '1e126', '1E-128', '0007.100']) {
      expect(failure(attribute('n', 'Number', ok)), ok).toBeUndefined();
    }
    expect(failure(attribute('n', 'Number', '1e127'))?.message).toMatch(/10\^-128/);
    expect(failure(attribute('n', 'Number', '1e-129'))?.message).toMatch(/10\^-128/);
    expect(failure(attribute('n', 'Number', '1'.repeat(39)))?.message).toMatch(/38/);
    expect(failure(attribute('n', 'Number', 'NaN'))?.code).toBe('InvalidParameterValue');
  });

  it('requires String.Array values to be JSON arrays of scalars', () => {
    expect(failure(attribute('a', 'String.Array', '[1,"x"]'))).toBeUndefined();
    expect(failure(attribute('a', 'String.Array', '{"a":1}'))?.message).toMatch(/JSON array/);
    expect(failure(attribute('a', 'String.Array', '[[1]]'))?.message).toMatch(/JSON array/);
    expect(failure(attribute('a', 'String.Array', 'nope'))?.message).toMatch(/JSON array/);
  });

  it('names the missing DataType member', () => {
    expect(failure('MessageAttributes.entry.1.Name=a')).toEqual({
      code: 'ValidationError',
      message: expect.stringContaining("'messageAttributes.entry.1.Value.DataType'"),
    });
  });
});

describe('message size', () => {
  it('counts the body plus attribute names, types and values', () => {
    const attributes = decodeMessageAttributes(decodeForm(attribute('abc', 'String', '1234567')));
    expect(messageSize('x'.repeat(90), attributes)).toBe(106);
  });

  it('counts UTF-8 bytes, not characters', () => {
    expect(messageSize('é'.repeat(10), undefined)).toBe(20);
    expect(messageSize('x', { é: { Type: 'String', Value: 'ü' } })).toBe(1 + 2 + 6 + 2);
  });

  it('counts Binary values decoded, not their base64 text', () => {
    const value = Buffer.alloc(300, 7).toString('base64');
    expect(messageSize('x', { b: { Type: 'Binary', Value: value } })).toBe(1 + 1 + 6 + 300);
  });
});

describe('message structure', () => {
  it('passes a JSON message on whole, for the publisher to take apart', () => {
    const text = '{"default":"plain","sqs":"for queues"}';
    const input = decodeMessage(
      decodeForm(`Message=${encodeURIComponent(text)}&MessageStructure=json`),
    );
    expect(input).toEqual({ message: text, messageStructure: 'json' });
  });

  it('refuses a MessageStructure other than json', () => {
    expect(() => decodeMessage(decodeForm('Message=x&MessageStructure=xml'))).toThrow(
      'Invalid parameter: MessageStructure Reason: the only supported value is json',
    );
  });
});
