import { describe, expect, it } from 'vitest';
import { compileFilterPolicy, createFilterInput, matchesPolicy } from '../../src/filter/index.js';
import { scaleNumberText } from '../../src/filter/number.js';

function numberMatches(policy: unknown, value: string): boolean {
  const compiled = compileFilterPolicy({ n: policy });
  return matchesPolicy(compiled, createFilterInput('', { n: { Type: 'Number', Value: value } }));
}

function bodyMatches(policy: unknown, body: string): boolean {
  return matchesPolicy(
    compileFilterPolicy({ n: policy }, 'MessageBody'),
    createFilterInput(body, {}),
  );
}

describe('numbers', () => {
  it('scales decimal text exactly to five decimal digits, flooring', () => {
    expect(scaleNumberText('300')).toBe(30_000_000);
    expect(scaleNumberText('3.0e2')).toBe(30_000_000);
    expect(scaleNumberText('300.0000001')).toBe(30_000_000);
    expect(scaleNumberText('0.3')).toBe(30_000);
    expect(scaleNumberText('1.00001')).toBe(100_001);
    expect(scaleNumberText('-0.000001')).toBe(-1);
    expect(scaleNumberText('5e9')).toBe(5e14);
    expect(scaleNumberText('5000000000.000001')).toBeNaN();
    expect(scaleNumberText('abc')).toBeNaN();
    expect(scaleNumberText('1e')).toBeNaN();
  });

  it('treats 300, 3.0e2 and 300.0000001 as equal, and 300.00001 as different', () => {
    for (const value of ['300', '3.0e2', '300.0000001', '300.000', '3e+2']) {
      expect(numberMatches([300], value)).toBe(true);
      expect(numberMatches([{ numeric: ['=', 300] }], value)).toBe(true);
    }
    expect(numberMatches([300], '300.00001')).toBe(false);
    expect(bodyMatches([{ numeric: ['=', 3.0e2] }], '{"n": 300.0000001}')).toBe(true);
  });

  it('compares ranges on the fixed-point form', () => {
    expect(numberMatches([{ numeric: ['>', 0.1, '<=', 0.3] }], '0.3')).toBe(true);
    expect(numberMatches([{ numeric: ['>', 0.1, '<=', 0.3] }], '0.1')).toBe(false);
    expect(numberMatches([{ numeric: ['<', 0] }], '-0.000001')).toBe(true);
    expect(numberMatches([{ numeric: ['>=', -5e9, '<=', 5e9] }], '-5000000000')).toBe(true);
  });

  it('matches numbers beyond the comparable range only exactly', () => {
    expect(numberMatches([123456789012], '123456789012')).toBe(true);
    expect(numberMatches([123456789012], '123456789013')).toBe(false);
    expect(numberMatches([{ numeric: ['>', 0] }], '123456789012')).toBe(false);
  });

  it('never mixes numbers and strings', () => {
    expect(bodyMatches([100], '{"n":"100"}')).toBe(false);
    expect(bodyMatches(['100'], '{"n":100}')).toBe(false);
    expect(bodyMatches([{ 'anything-but': ['100'] }], '{"n":100}')).toBe(true);
    expect(bodyMatches([{ 'anything-but': [100] }], '{"n":100}')).toBe(false);
    expect(bodyMatches([{ 'anything-but': [100] }], '{"n":"100"}')).toBe(true);
    expect(bodyMatches([{ prefix: '1' }], '{"n":100}')).toBe(false);
  });
});
