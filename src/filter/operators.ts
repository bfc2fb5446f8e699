import { parseCidr, parseIpAddress } from './ip.js';
import { NUMBER_LIMIT, scaleNumber } from './number.js';
import { describeJson, policyError } from './policy-error.js';
import type { AnythingButPatternMatcher, Matcher, RangeMatcher } from './types.js';
import { compileWildcard } from './wildcard.js';

/** Operator names that may not be used as keys inside an `$or` alternative. */
export const OPERATOR_NAMES: ReadonlySet<string> = new Set([
  'anything-but',
  'cidr',
  'equals-ignore-case',
  'exact',
  'exists',
  'numeric',
  'prefix',
  'suffix',
  'wildcard',
]);

const LIMIT_TEXT = `${NUMBER_LIMIT / 1e9}E9`;
const RANGE_MESSAGE = `Value must be between -${LIMIT_TEXT} and ${LIMIT_TEXT}, inclusive`;
const ONLY_ONE_KEY = 'Only one key allowed in match expression';

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function requireString(value: unknown, operator: string): string {
  if (typeof value !== 'string') throw policyError(`${operator} match pattern must be a string`);
  return value;
}

/** The scaled form of a numeric operand, or the policy error AWS gives for it. */
function comparableOperand(value: number): number {
  const scaled = scaleNumber(value);
  if (Number.isNaN(scaled)) throw policyError(RANGE_MESSAGE);
  return scaled;
}

/** Compiles a plain value from a key's list: a string, a number, true, false or null. */
function compileLiteral(value: unknown): Matcher {
  if (typeof value === 'string') return { op: 'exact-string', value, ip: parseIpAddress(value) };
  if (typeof value === 'number') {
    return { op: 'exact-number', scaled: scaleNumber(value), double: value };
  }
  if (value === true) return { op: 'literal', kind: 'true' };
  if (value === false) return { op: 'literal', kind: 'false' };
  if (value === null) return { op: 'literal', kind: 'null' };
  throw policyError('Match value must be String, number, true, false, or null');
}

function compileNumeric(operand: unknown): RangeMatcher {
  if (!Array.isArray(operand)) throw policyError('Value of numeric must be an array.');
  const terms: unknown[] = operand;
  const operator = terms[0];
  if (typeof operator !== 'string') {
    throw policyError(
      `Invalid member in numeric match: ${terms.length === 0 ? ']' : describeJson(operator)}`,
    );
  }
  const first = terms[1];
  const isLower = operator === '>' || operator === '>=';
  if (operator !== '=' && operator !== '<' && operator !== '<=' && !isLower) {
    throw policyError(`Unrecognized numeric range operator: ${operator}`);
  }
  if (typeof first !== 'number') {
    throw policyError(`Value of ${operator === '=' ? 'equals' : operator} must be numeric`);
  }
  const value = comparableOperand(first);

  if (!isLower) {
    if (terms.length > 2) throw policyError('Too many elements in numeric expression');
    if (operator === '=') return { op: 'range', low: value, high: value };
    return { op: 'range', low: -Infinity, high: operator === '<' ? value - 1 : value };
  }

  const low = operator === '>' ? value + 1 : value;
  if (terms.length === 2) return { op: 'range', low, high: Infinity };
  const upperOperator = terms[2];
  if (typeof upperOperator !== 'string') {
    throw policyError(`Bad value in numeric range: ${describeJson(upperOperator)}`);
  }
  if (upperOperator !== '<' && upperOperator !== '<=') {
    throw policyError(`Bad numeric range operator: ${upperOperator}`);
  }
  const upper = terms[3];
  if (typeof upper !== 'number') throw policyError(`Value of ${upperOperator} must be numeric`);
  const top = comparableOperand(upper);
  if (terms.length > 4) throw policyError('Too many terms in numeric range expression');
  if (top <= value) throw policyError('Bottom must be less than top');
  return { op: 'range', low, high: upperOperator === '<' ? top - 1 : top };
}

function compileAnythingButList(values: unknown[]): Matcher {
  const strings = new Set<string>();
  const numbers = new Set<number>();
  for (const value of values) {
    if (typeof value === 'string') strings.add(value);
    else if (typeof value === 'number') numbers.add(comparableOperand(value));
    else throw policyError('Inside anything but list, start|null|boolean is not supported.');
  }
  if (strings.size > 0 === numbers.size > 0) {
    throw policyError(
      'Inside anything but list, either all values are number or string, ' +
        'mixed type is not supported',
    );
  }
  return {
    op: 'anything-but',
    strings: strings.size > 0 ? strings : null,
    numbers: numbers.size > 0 ? numbers : null,
  };
}

function compileIgnoreCaseSet(operand: unknown): AnythingButPatternMatcher {
  const values = Array.isArray(operand) ? operand : [operand];
  const lowered = new Set<string>();
  for (const value of values) {
    if (typeof value !== 'string') {
      throw policyError(
        'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.',
      );
    }
    lowered.add(value.toLowerCase());
  }
  return { op: 'anything-but-pattern', inner: { op: 'equals-any-ignore-case', values: lowered } };
}

function compileAnythingButPattern(operand: Record<string, unknown>): Matcher {
  const names = Object.keys(operand);
  const name = names[0];
  if (name === undefined) throw policyError('Anything-But expression name not found');
  const inner = operand[name];
  if (name === 'equals-ignore-case') {
    if (names.length > 1) throw policyError(ONLY_ONE_KEY);
    return compileIgnoreCaseSet(inner);
  }
  if (name !== 'prefix' && name !== 'suffix' && name !== 'wildcard') {
    throw policyError(`Unsupported anything-but pattern: ${name}`);
  }
  const text = requireString(inner, name);
  if (text === '') throw policyError('Null prefix/suffix not allowed');
  if (names.length > 1) throw policyError(ONLY_ONE_KEY);
  if (name === 'wildcard') {
    return { op: 'anything-but-pattern', inner: { op: 'wildcard', pattern: wildcard(text) } };
  }
  return { op: 'anything-but-pattern', inner: { op: name, value: text } };
}

function compileAnythingBut(operand: unknown): Matcher {
  if (Array.isArray(operand)) return compileAnythingButList(operand);
  if (typeof operand === 'string' || typeof operand === 'number') {
    return compileAnythingButList([operand]);
  }
  if (isPlainObject(operand)) return compileAnythingButPattern(operand);
  throw policyError('Value of anything-but must be an array or single string/number value.');
}

function wildcard(text: string): ReturnType<typeof compileWildcard> {
  try {
    return compileWildcard(text);
  } catch (error) {
    throw policyError((error as Error).message);
  }
}

function compileOperator(name: string, operand: unknown): Matcher {
  switch (name) {
    case 'prefix':
    case 'suffix':
      return { op: name, value: requireString(operand, name) };
    case 'equals-ignore-case':
      return { op: name, value: requireString(operand, name).toLowerCase() };
    case 'wildcard':
      return { op: 'wildcard', pattern: wildcard(requireString(operand, name)) };
    case 'numeric':
      return compileNumeric(operand);
    case 'anything-but':
      return compileAnythingBut(operand);
    case 'exists':
      if (typeof operand !== 'boolean') {
        throw policyError('exists match pattern must be either true or false.');
      }
      return { op: 'exists', exists: operand };
    case 'cidr':
      try {
        return { op: 'cidr', range: parseCidr(requireString(operand, 'prefix')) };
      } catch (error) {
        if (error instanceof Error && error.name === 'HeraldError') throw error;
        throw policyError((error as Error).message);
      }
    default:
      throw policyError(`Unrecognized match type ${name}`);
  }
}

/** Compiles a match expression such as `{"prefix": "abc"}` (exactly one operator). */
function compileExpression(expression: Record<string, unknown>): Matcher {
  const names = Object.keys(expression);
  const name = names[0];
  if (name === undefined) throw policyError('Match expression name not found');
  const matcher = compileOperator(name, expression[name]);
  if (names.length > 1) throw policyError(ONLY_ONE_KEY);
  return matcher;
}

/** Compiles one element of a key's value list. */
export function compileMatchValue(value: unknown): Matcher {
  return isPlainObject(value) ? compileExpression(value) : compileLiteral(value);
}
