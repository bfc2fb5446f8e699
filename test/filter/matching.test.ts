import { describe, expect, it } from 'vitest';
import type { MessageAttributes } from '../../src/domain/message.js';
import {
  compileFilterPolicy,
  createFilterInput,
  explainMatch,
  matchesPolicy,
} from '../../src/filter/index.js';

function attributesMatch(policy: unknown, attributes: MessageAttributes): boolean {
  return matchesPolicy(compileFilterPolicy(policy), createFilterInput('', attributes));
}

function bodyMatches(policy: unknown, body: unknown): boolean {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return matchesPolicy(compileFilterPolicy(policy, 'MessageBody'), createFilterInput(text, {}));
}

describe('matching message attributes', () => {
  it('matches each element of a String.Array', () => {
    const tags = { tags: { Type: 'String.Array', Value: '["a", 5, true, null, ["b"]]' } };
    expect(attributesMatch({ tags: ['b'] }, tags)).toBe(true);
    expect(attributesMatch({ tags: [5] }, tags)).toBe(true);
    expect(attributesMatch({ tags: [true] }, tags)).toBe(true);
    expect(attributesMatch({ tags: [null] }, tags)).toBe(true);
    expect(attributesMatch({ tags: ['c'] }, tags)).toBe(false);
    expect(attributesMatch({ tags: [{ 'anything-but': ['a'] }] }, tags)).toBe(true);
  });

  it('reads a String.Array that is not JSON as its raw text', () => {
    const broken = { tags: { Type: 'String.Array', Value: "['a']" } };
    expect(attributesMatch({ tags: ['a'] }, broken)).toBe(false);
    expect(attributesMatch({ tags: [{ exists: true }] }, broken)).toBe(true);
  });

  it('ignores Binary attributes entirely', () => {
    const binary = { data: { Type: 'Binary', Value: 'YmFy' } };
    expect(attributesMatch({ data: ['bar'] }, binary)).toBe(false);
    expect(attributesMatch({ data: ['YmFy'] }, binary)).toBe(false);
    expect(attributesMatch({ data: [{ exists: false }] }, binary)).toBe(true);
  });

  it('honours custom type labels such as Number.float and String.id', () => {
    expect(
      attributesMatch(
        { n: [{ numeric: ['>', 1] }] },
        { n: { Type: 'Number.float', Value: '1.5' } },
      ),
    ).toBe(true);
    expect(attributesMatch({ s: ['x'] }, { s: { Type: 'String.id', Value: 'x' } })).toBe(true);
  });

  it('matches IP addresses in any spelling against cidr and exact IP values', () => {
    const v6 = { ip: { Type: 'String', Value: '2001:0db8:0000:0000:0000:0000:0000:0001' } };
    expect(attributesMatch({ ip: [{ cidr: '2001:db8::/32' }] }, v6)).toBe(true);
    expect(attributesMatch({ ip: ['2001:db8::1'] }, v6)).toBe(true);
    expect(attributesMatch({ ip: [{ cidr: '10.0.0.0/8' }] }, v6)).toBe(false);
  });

  it('supports wildcard, suffix and equals-ignore-case', () => {
    const file = { f: { Type: 'String', Value: 'Report-2024.PDF' } };
    expect(attributesMatch({ f: [{ wildcard: 'Report-*.PDF' }] }, file)).toBe(true);
    expect(attributesMatch({ f: [{ wildcard: 'Report-*.pdf' }] }, file)).toBe(false);
    expect(attributesMatch({ f: [{ suffix: '.PDF' }] }, file)).toBe(true);
    expect(attributesMatch({ f: [{ 'equals-ignore-case': 'report-2024.pdf' }] }, file)).toBe(true);
    expect(attributesMatch({ f: [{ 'anything-but': { wildcard: '*.PDF' } }] }, file)).toBe(false);
  });
});

describe('matching the message body', () => {
  it('does not match a body that is not a JSON object', () => {
    expect(bodyMatches({ a: [{ exists: false }] }, 'plain text')).toBe(false);
    expect(bodyMatches({ a: [{ exists: false }] }, '"a string"')).toBe(false);
  });

  it('reaches nested keys through dotted paths and dotted key names alike', () => {
    expect(bodyMatches({ a: { b: ['x'] } }, { a: { b: 'x' } })).toBe(true);
    expect(bodyMatches({ 'a.b': ['x'] }, { a: { b: 'x' } })).toBe(true);
    expect(bodyMatches({ a: { b: ['x'] } }, { 'a.b': 'x' })).toBe(true);
  });

  it('does not combine values from different elements of one array', () => {
    const body = {
      items: [
        { sku: 'a', qty: 1 },
        { sku: 'b', qty: 2 },
      ],
    };
    expect(bodyMatches({ items: { sku: ['a'], qty: [1] } }, body)).toBe(true);
    expect(bodyMatches({ items: { sku: ['a'], qty: [2] } }, body)).toBe(false);
  });

  it('treats exists as a test on leaf values', () => {
    expect(bodyMatches({ a: [{ exists: true }] }, { a: null })).toBe(true);
    expect(bodyMatches({ a: [{ exists: true }] }, { a: { b: 1 } })).toBe(false);
    expect(bodyMatches({ a: [{ exists: true }] }, { a: [] })).toBe(false);
  });
});

describe('explainMatch', () => {
  it('names the key that failed', () => {
    const policy = compileFilterPolicy({ store: ['a'], price: [{ numeric: ['>', 10] }] });
    const input = createFilterInput('', {
      store: { Type: 'String', Value: 'a' },
      price: { Type: 'Number', Value: '5' },
    });
    expect(explainMatch(policy, input)).toEqual({
      match: false,
      failedKey: 'price',
      reason: 'no value of the message matches the policy',
    });
    expect(explainMatch(policy, createFilterInput('', {}))).toMatchObject({ failedKey: 'store' });
  });

  it('reports a match', () => {
    const policy = compileFilterPolicy({ a: ['b'] });
    expect(
      explainMatch(policy, createFilterInput('', { a: { Type: 'String', Value: 'b' } })),
    ).toEqual({
      match: true,
    });
  });
});
