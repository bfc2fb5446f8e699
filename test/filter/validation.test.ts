import { describe, expect, it } from 'vitest';
import { HeraldError } from '../../src/errors/index.js';
import { compileFilterPolicy, type FilterScope } from '../../src/filter/index.js';

function rejection(policy: unknown, scope: FilterScope = 'MessageAttributes'): string {
  try {
    compileFilterPolicy(policy, scope);
  } catch (error) {
    expect(error).toBeInstanceOf(HeraldError);
    expect((error as HeraldError).code).toBe('InvalidParameter');
    return (error as HeraldError).message;
  }
  throw new Error('the policy was accepted');
}

describe('filter policy validation', () => {
  it.each([
    [{ a: [] }, 'FilterPolicy: Empty arrays are not allowed'],
    [{ a: 'x' }, 'FilterPolicy: "a" must be an object or an array'],
    [{ a: [{ 'no-such': 1 }] }, 'FilterPolicy: Unrecognized match type no-such'],
    [
      { a: [{ prefix: 'x', suffix: 'y' }] },
      'FilterPolicy: Only one key allowed in match expression',
    ],
    [{ a: [{ prefix: 1 }] }, 'FilterPolicy: prefix match pattern must be a string'],
    [
      { a: [{ exists: 'yes' }] },
      'FilterPolicy: exists match pattern must be either true or false.',
    ],
    [{ a: [{ numeric: ['=', '1'] }] }, 'FilterPolicy: Value of equals must be numeric'],
    [{ a: [{ numeric: ['>', 1, '>', 2] }] }, 'FilterPolicy: Bad numeric range operator: >'],
    [
      { a: [{ numeric: ['<', 1, '>', 0] }] },
      'FilterPolicy: Too many elements in numeric expression',
    ],
    [{ a: [{ numeric: ['>', 5, '<', 5] }] }, 'FilterPolicy: Bottom must be less than top'],
    [
      { a: [{ numeric: ['>', 6e9] }] },
      'FilterPolicy: Value must be between -5E9 and 5E9, inclusive',
    ],
    [{ a: [{ cidr: '10.0.0.0' }] }, "FilterPolicy: Malformed CIDR, one '/' required"],
    [{ a: [{ cidr: 'x/8' }] }, 'FilterPolicy: Nonstandard IP address: x'],
    [
      { a: [{ 'anything-but': { wrong: 'x' } }] },
      'FilterPolicy: Unsupported anything-but pattern: wrong',
    ],
    [{ a: [{ wildcard: 'a**b' }] }, 'FilterPolicy: Consecutive wildcard characters at pos 1'],
    [{ a: [['nested']] }, 'FilterPolicy: Match value must be String, number, true, false, or null'],
  ])('rejects %j', (policy, reason) => {
    expect(rejection(policy)).toBe(`Invalid parameter: ${reason}`);
  });

  it('rejects nested keys in MessageAttributes scope only', () => {
    const policy = { store: { name: ['x'] } };
    expect(rejection(policy)).toBe(
      'Invalid parameter: Filter policy scope MessageAttributes ' +
        'does not support nested filter policy',
    );
    expect(compileFilterPolicy(policy, 'MessageBody').scope).toBe('MessageBody');
  });

  it('limits a clause to five keys, counting leaf keys of nested policies', () => {
    const six = { a: ['1'], b: ['1'], c: ['1'], d: ['1'], e: ['1'], f: ['1'] };
    expect(rejection(six)).toBe(
      'Invalid parameter: FilterPolicy: Filter policy can not have more than 5 keys',
    );
    const nested = { a: { b: ['1'], c: ['1'] }, d: { e: ['1'], f: ['1'] }, g: ['1'] };
    expect(() => compileFilterPolicy(nested, 'MessageBody')).not.toThrow();
  });

  it('counts combinations with nesting depth and $or branches', () => {
    const values = (n: number): string[] => Array.from({ length: n }, (_, i) => `v${i}`);
    expect(() => compileFilterPolicy({ a: values(150) })).not.toThrow();
    expect(rejection({ a: values(151) })).toBe(
      'Invalid parameter: FilterPolicy: Filter policy is too complex',
    );
    // Depth 3 multiplies: 3 x 50 = 150 is allowed, 3 x 51 is not.
    expect(() => compileFilterPolicy({ a: { b: { c: values(50) } } }, 'MessageBody')).not.toThrow();
    expect(rejection({ a: { b: { c: values(51) } } }, 'MessageBody')).toMatch(/too complex/);
    // $or adds its branches: 2 x 40 + 2 x 35 = 150.
    const or = { k: ['x', 'y'], $or: [{ a: values(40) }, { b: values(35) }] };
    expect(() => compileFilterPolicy(or)).not.toThrow();
  });

  it('reads raw text, rejecting malformed JSON, non-objects and oversized policies', () => {
    expect(compileFilterPolicy('{"a":["b"]}').clauses).toHaveLength(1);
    expect(rejection('{"a":')).toMatch(/^Invalid parameter: FilterPolicy: failed to parse JSON/);
    expect(rejection('["a"]')).toBe('Invalid parameter: FilterPolicy: Filter is not an object');
    const huge = JSON.stringify({ a: ['x'.repeat(300 * 1024)] });
    expect(rejection(huge)).toMatch(/too large/);
  });

  it('treats the empty policy as no filter', () => {
    expect(compileFilterPolicy('{}').matchesAll).toBe(true);
  });

  it('treats $or as a plain key unless it holds at least two operator-free objects', () => {
    const single = compileFilterPolicy({ $or: ['a', 'b'] });
    expect(single.clauses[0]?.conditions[0]?.path).toBe('$or');
    const expanded = compileFilterPolicy({ k: ['x'], $or: [{ a: ['1'] }, { b: ['2'] }] });
    expect(expanded.clauses).toHaveLength(2);
  });

  it('rejects an unknown scope', () => {
    expect(() => compileFilterPolicy({ a: ['b'] }, 'Body' as FilterScope)).toThrow(
      /FilterPolicyScope/,
    );
  });
});
