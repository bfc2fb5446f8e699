import { invalidParameter } from '../errors/index.js';
import { MAX_COMBINATIONS, MAX_KEYS, MAX_POLICY_BYTES } from './limits.js';
import { compileMatchValue, isPlainObject, OPERATOR_NAMES } from './operators.js';
import { policyError } from './policy-error.js';
import type { Clause, CompiledPolicy, Condition, FilterScope } from './types.js';

const OR_KEY = '$or';

/** A key's raw value list, validated and compiled only once the structure is sound. */
interface RawCondition {
  path: string;
  values: unknown[];
}

/** A clause being built while walking the policy, with its share of the complexity. */
interface Branch {
  conditions: Map<string, RawCondition>;
  combinations: number;
}

/** What the walk knows about where it is. */
interface Place {
  prefix: string;
  depth: number;
}

/** What the walk reports besides the branches. */
interface WalkReport {
  nested: boolean;
}

/** Whether `$or` here is the operator: an array of at least two operator-free objects. */
function isOrOperator(value: unknown): value is Record<string, unknown>[] {
  if (!Array.isArray(value) || value.length < 2) return false;
  return value.every(
    (branch) =>
      isPlainObject(branch) && !Object.keys(branch).some((key) => OPERATOR_NAMES.has(key)),
  );
}

function addCondition(branches: Branch[], path: string, depth: number, values: unknown[]): void {
  if (values.length === 0) throw policyError('Empty arrays are not allowed');
  for (const branch of branches) {
    branch.conditions.set(path, { path, values });
    branch.combinations *= values.length * depth;
  }
}

/** Compiles a key's values once, however many branches share them. */
function compileCondition(raw: RawCondition, compiled: Map<unknown[], Condition>): Condition {
  const known = compiled.get(raw.values);
  if (known !== undefined && known.path === raw.path) return known;
  const matchers = raw.values.map(compileMatchValue);
  const acceptsAbsence = matchers.some((m) => m.op === 'exists' && !m.exists);
  const condition = { path: raw.path, matchers, acceptsAbsence };
  compiled.set(raw.values, condition);
  return condition;
}

function copyBranches(branches: Branch[]): Branch[] {
  return branches.map((b) => ({ conditions: new Map(b.conditions), combinations: b.combinations }));
}

/**
 * Walks one object of the policy's structure, extending (and for `$or`, multiplying) the
 * branches. Operands are checked later, as AWS reports structural errors first.
 */
function walkObject(
  object: Record<string, unknown>,
  place: Place,
  branches: Branch[],
  report: WalkReport,
): Branch[] {
  const keys = Object.keys(object);
  if (keys.length === 0) throw policyError('Empty objects are not allowed');

  let current = branches;
  for (const key of keys) {
    const value = object[key];
    if (key === OR_KEY && isOrOperator(value)) {
      current = value.flatMap((alternative) =>
        walkObject(alternative, place, copyBranches(current), report),
      );
      if (current.length > MAX_COMBINATIONS) throw policyError('Filter policy is too complex');
      continue;
    }

    const path = place.prefix === '' ? key : `${place.prefix}.${key}`;
    if (Array.isArray(value)) {
      addCondition(current, path, place.depth, value);
    } else if (isPlainObject(value)) {
      report.nested = true;
      current = walkObject(value, { prefix: path, depth: place.depth + 1 }, current, report);
    } else {
      throw policyError(`"${key}" must be an object or an array`);
    }
  }
  return current;
}

/**
 * Walks the whole policy. A policy nested so deeply that the walk runs out of stack has far
 * more value combinations than the limit allows, so it is rejected as too complex.
 */
function walkPolicy(policy: Record<string, unknown>, start: Branch[], report: WalkReport) {
  try {
    return walkObject(policy, { prefix: '', depth: 1 }, start, report);
  } catch (error) {
    if (error instanceof RangeError) throw policyError('Filter policy is too complex');
    throw error;
  }
}

function checkLimits(branches: Branch[]): void {
  let combinations = 0;
  for (const branch of branches) {
    if (branch.conditions.size > MAX_KEYS) {
      throw policyError(`Filter policy can not have more than ${MAX_KEYS} keys`);
    }
    combinations += branch.combinations;
  }
  if (combinations > MAX_COMBINATIONS) throw policyError('Filter policy is too complex');
}

/** Parses raw FilterPolicy text, enforcing the size limit. */
function parsePolicyText(text: string): unknown {
  if (Buffer.byteLength(text, 'utf8') > MAX_POLICY_BYTES) {
    throw policyError(`Filter policy is too large (over ${MAX_POLICY_BYTES / 1024} KB)`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw policyError(`failed to parse JSON. ${(error as Error).message}`);
  }
}

function checkScope(scope: unknown): FilterScope {
  if (scope === 'MessageAttributes' || scope === 'MessageBody') return scope;
  throw invalidParameter(
    `FilterPolicyScope: Invalid value [${String(scope)}]. ` +
      'Please use either MessageBody or MessageAttributes',
  );
}

/**
 * Parses and validates a FilterPolicy attribute value (raw text as the client sent it, or an
 * already parsed value) for the given scope, and compiles it into clauses (`$or` expanded).
 * Throws HeraldError `InvalidParameter` with AWS's wording when SNS would reject it.
 */
export function compileFilterPolicy(
  policy: string | unknown,
  scope: FilterScope = 'MessageAttributes',
): CompiledPolicy {
  const checkedScope = checkScope(scope);
  const parsed = typeof policy === 'string' ? parsePolicyText(policy) : policy;
  if (typeof policy !== 'string' && JSON.stringify(parsed ?? null).length > MAX_POLICY_BYTES) {
    throw policyError(`Filter policy is too large (over ${MAX_POLICY_BYTES / 1024} KB)`);
  }
  if (!isPlainObject(parsed)) throw policyError('Filter is not an object');
  if (Object.keys(parsed).length === 0) {
    return { scope: checkedScope, clauses: [], matchesAll: true };
  }

  const start: Branch[] = [{ conditions: new Map(), combinations: 1 }];
  const report: WalkReport = { nested: false };
  const branches = walkPolicy(parsed, start, report);
  if (report.nested && checkedScope === 'MessageAttributes') {
    throw invalidParameter(
      'Filter policy scope MessageAttributes does not support nested filter policy',
    );
  }
  checkLimits(branches);

  const compiled = new Map<unknown[], Condition>();
  const clauses: Clause[] = branches.map((branch) => ({
    conditions: [...branch.conditions.values()].map((raw) => compileCondition(raw, compiled)),
  }));
  return { scope: checkedScope, clauses, matchesAll: false };
}
