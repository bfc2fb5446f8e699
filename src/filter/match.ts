import type { FieldLookup, FieldValue, FilterInput } from './input.js';
import { ipInRange } from './ip.js';
import type { Clause, CompiledPolicy, Condition, Matcher } from './types.js';
import { matchesWildcard } from './wildcard.js';

function matchesAnythingButPattern(
  matcher: Matcher & { op: 'anything-but-pattern' },
  value: FieldValue,
): boolean {
  if (value.kind !== 'string') return true;
  const inner = matcher.inner;
  switch (inner.op) {
    case 'prefix':
      return !value.text.startsWith(inner.value);
    case 'suffix':
      return !value.text.endsWith(inner.value);
    case 'wildcard':
      return !matchesWildcard(inner.pattern, value.text);
    case 'equals-any-ignore-case':
      return !inner.values.has(value.lower);
  }
}

/**
 * Whether one value satisfies one matcher. Types never mix: strings match string patterns,
 * numbers numeric ones; `anything-but` accepts every value not of its own kind.
 */
function matchesValue(matcher: Matcher, value: FieldValue): boolean {
  switch (matcher.op) {
    case 'exact-string':
      if (value.kind !== 'string') return false;
      if (value.text === matcher.value) return true;
      return (
        matcher.ip !== null &&
        value.ip !== null &&
        value.ip.version === matcher.ip.version &&
        value.ip.value === matcher.ip.value
      );
    case 'exact-number':
      if (value.kind !== 'number') return false;
      if (!Number.isNaN(matcher.scaled)) return value.scaled === matcher.scaled;
      return value.double === matcher.double;
    case 'literal':
      return value.kind === matcher.kind;
    case 'prefix':
      return value.kind === 'string' && value.text.startsWith(matcher.value);
    case 'suffix':
      return value.kind === 'string' && value.text.endsWith(matcher.value);
    case 'equals-ignore-case':
      return value.kind === 'string' && value.lower === matcher.value;
    case 'wildcard':
      return value.kind === 'string' && matchesWildcard(matcher.pattern, value.text);
    case 'range':
      return value.scaled >= matcher.low && value.scaled <= matcher.high;
    case 'cidr': {
      const ip = value.ip;
      return ip !== null && ipInRange(ip, matcher.range);
    }
    case 'exists':
      return matcher.exists;
    case 'anything-but':
      if (value.kind === 'string')
        return matcher.strings === null || !matcher.strings.has(value.text);
      if (value.kind === 'number' && matcher.numbers !== null && !Number.isNaN(value.scaled)) {
        return !matcher.numbers.has(value.scaled);
      }
      return true;
    case 'anything-but-pattern':
      return matchesAnythingButPattern(matcher, value);
  }
}

/** Whether one of the condition's matchers accepts `value`. */
function conditionAccepts(condition: Condition, value: FieldValue): boolean {
  const matchers = condition.matchers;
  for (let i = 0; i < matchers.length; i++) {
    if (matchesValue(matchers[i] as Matcher, value)) return true;
  }
  return false;
}

/** Whether the condition holds, ignoring array elements (no arrays, or a single key). */
export function conditionHolds(condition: Condition, values: FieldValue[] | undefined): boolean {
  if (values === undefined || values.length === 0) return condition.acceptsAbsence;
  for (let i = 0; i < values.length; i++) {
    if (conditionAccepts(condition, values[i] as FieldValue)) return true;
  }
  return false;
}

/** Whether two values may be used together: same element of every array they share. */
function compatible(a: readonly number[] | null, b: readonly number[] | null): boolean {
  if (a === null || b === null) return true;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i += 2) {
    if (a[i] !== b[i]) return true;
    if (a[i + 1] !== b[i + 1]) return false;
  }
  return true;
}

/** Backtracking search for one value per condition, pairwise compatible. */
function chooseValues(candidates: FieldValue[][], chosen: FieldValue[], depth: number): boolean {
  if (depth === candidates.length) return true;
  for (const value of candidates[depth] as FieldValue[]) {
    if (chosen.every((other) => compatible(other.arrays, value.arrays))) {
      chosen.push(value);
      if (chooseValues(candidates, chosen, depth + 1)) return true;
      chosen.pop();
    }
  }
  return false;
}

/** The clause evaluated with event-ruler's array rule: values must come from one element. */
function clauseHoldsInArrays(clause: Clause, fields: FieldLookup): boolean {
  const candidates: FieldValue[][] = [];
  for (const condition of clause.conditions) {
    const values = fields.get(condition.path);
    if (values === undefined || values.length === 0) {
      if (!condition.acceptsAbsence) return false;
      continue;
    }
    const accepted = values.filter((value) => conditionAccepts(condition, value));
    if (accepted.length === 0) return false;
    candidates.push(accepted);
  }
  return chooseValues(candidates, [], 0);
}

function anyInArray(values: FieldValue[] | undefined): boolean {
  if (values === undefined) return false;
  for (let i = 0; i < values.length; i++) {
    if ((values[i] as FieldValue).arrays !== null) return true;
  }
  return false;
}

/**
 * Whether the clause holds for the given values. The array rule is only checked when two
 * or more keys draw on values inside arrays, the one case where it can change the answer.
 */
export function clauseHolds(clause: Clause, fields: FieldLookup): boolean {
  const conditions = clause.conditions;
  let keysInArrays = 0;
  for (let i = 0; i < conditions.length; i++) {
    const condition = conditions[i] as Condition;
    const values = fields.get(condition.path);
    if (!conditionHolds(condition, values)) return false;
    if (anyInArray(values)) keysInArrays++;
  }
  return keysInArrays < 2 || clauseHoldsInArrays(clause, fields);
}

/** The values a policy of this scope sees, or null when none can match (body not JSON). */
export function fieldsFor(policy: CompiledPolicy, input: FilterInput): FieldLookup | null {
  return policy.scope === 'MessageBody' ? input.bodyValues() : input.attributeValues();
}

/** Evaluates one policy against one message. */
export function matchesPolicy(policy: CompiledPolicy, input: FilterInput): boolean {
  if (policy.matchesAll) return true;
  const fields = fieldsFor(policy, input);
  if (fields === null) return false;
  const clauses = policy.clauses;
  for (let i = 0; i < clauses.length; i++) {
    if (clauseHolds(clauses[i] as Clause, fields)) return true;
  }
  return false;
}
