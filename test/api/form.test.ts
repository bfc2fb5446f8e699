import { describe, expect, it } from 'vitest';
import {
  booleanParam,
  decodeForm,
  indexedGroups,
  requireParam,
  stringMap,
} from '../../src/api/sns/form.js';
import { HeraldError } from '../../src/errors/index.js';

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return error instanceof HeraldError ? error.code : 'not a HeraldError';
  }
  return undefined;
}

describe('decodeForm', () => {
  it('decodes percent-escapes, plus as space and UTF-8', () => {
    const params = decodeForm('Action=Publish&Message=h%C3%A9llo+w%26rld%3D&Subject=a%2Bb&Empty=');
    expect({ ...params }).toEqual({
      Action: 'Publish',
      Message: 'héllo w&rld=',
      Subject: 'a+b',
      Empty: '',
    });
  });

  it('keeps a name without "=" as an empty value and skips empty pairs', () => {
    expect({ ...decodeForm('A&&B=1&') }).toEqual({ A: '', B: '1' });
    expect({ ...decodeForm('') }).toEqual({});
  });

  it('refuses escapes that are not UTF-8, naming the parameter', () => {
    expect(codeOf(() => decodeForm('Message=%FF%FE'))).toBe('MalformedQueryString');
    expect(() => decodeForm('Message=%E0%A4')).toThrow(/the value of Message/);
    expect(() => decodeForm('%ZZ=1')).toThrow(/a parameter name/);
  });

  it('gives params without a prototype, so names like __proto__ are plain data', () => {
    const params = decodeForm('__proto__=x&constructor=y');
    expect(params.__proto__).toBe('x');
    expect(params.constructor).toBe('y');
  });
});

describe('indexed shapes', () => {
  it('groups list members by index, in numeric order', () => {
    const params = decodeForm(
      'Tags.member.10.Key=k10&Tags.member.10.Value=v10&Tags.member.2.Key=k2&Tags.member.2.Value=v2',
    );
    expect(indexedGroups(params, 'Tags.member').map((group) => group.index)).toEqual([2, 10]);
    expect(stringMap(params, 'Tags.member', 'Key', 'Value')).toEqual({ k2: 'v2', k10: 'v10' });
  });

  it('keeps nested names inside a group', () => {
    const params = decodeForm(
      'E.member.1.Id=a&E.member.1.MessageAttributes.entry.1.Name=n' +
        '&E.member.1.MessageAttributes.entry.1.Value.DataType=String',
    );
    const [group] = indexedGroups(params, 'E.member');
    expect({ ...group?.params }).toEqual({
      Id: 'a',
      'MessageAttributes.entry.1.Name': 'n',
      'MessageAttributes.entry.1.Value.DataType': 'String',
    });
  });

  it('decodes Attributes.entry.N.key/value maps and reports missing members', () => {
    const params = decodeForm('Attributes.entry.1.key=DisplayName&Attributes.entry.1.value=Hi');
    expect(stringMap(params, 'Attributes.entry')).toEqual({ DisplayName: 'Hi' });
    expect(stringMap(params, 'Other.entry')).toBeUndefined();

    const missing = decodeForm('Attributes.entry.3.key=DisplayName');
    expect(() => stringMap(missing, 'Attributes.entry')).toThrow(/attributes\.entry\.3\.value/);
  });

  it('refuses indexes that are not positive integers', () => {
    const params = decodeForm('Tags.member.x.Key=a');
    expect(codeOf(() => indexedGroups(params, 'Tags.member'))).toBe('MalformedQueryString');
    expect(codeOf(() => indexedGroups(decodeForm('Tags.member.0.Key=a'), 'Tags.member'))).toBe(
      'MalformedQueryString',
    );
  });
});

describe('parameter readers', () => {
  it('names a missing required parameter as AWS does', () => {
    expect(() => requireParam(decodeForm(''), 'TopicArn')).toThrow(
      "1 validation error detected: Value null at 'topicArn' failed to satisfy constraint: " +
        'Member must not be null',
    );
    expect(codeOf(() => requireParam(decodeForm(''), 'TopicArn'))).toBe('ValidationError');
  });

  it('reads booleans in any case and refuses other words', () => {
    expect(booleanParam(decodeForm('R=TRUE'), 'R')).toBe(true);
    expect(booleanParam(decodeForm('R=false'), 'R')).toBe(false);
    expect(booleanParam(decodeForm(''), 'R')).toBeUndefined();
    expect(codeOf(() => booleanParam(decodeForm('R=yes'), 'R'))).toBe('InvalidParameter');
  });
});
