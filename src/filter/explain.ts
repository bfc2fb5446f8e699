import type { FieldLookup, FilterInput } from './input.js';
import { conditionHolds, fieldsFor, matchesPolicy } from './match.js';
import type { Clause, CompiledPolicy } from './types.js';

/** The outcome of `explainMatch`: when there is no match, the key that failed and why. */
export interface MatchExplanation {
  match: boolean;
  failedKey?: string;
  reason?: string;
}

function explainClause(clause: Clause, fields: FieldLookup): MatchExplanation {
  for (const condition of clause.conditions) {
    const values = fields.get(condition.path);
    if (conditionHolds(condition, values)) continue;
    const present = values !== undefined && values.length > 0;
    const reason = !present
      ? 'the message has no value for this key'
      : condition.acceptsAbsence && condition.matchers.length === 1
        ? 'the key must be absent but the message has it'
        : 'no value of the message matches the policy';
    return { match: false, failedKey: condition.path, reason };
  }
  return {
    match: false,
    failedKey: clause.conditions[0]?.path,
    reason: 'the values that match come from different elements of the same array',
  };
}

/**
 * Like matchesPolicy, but says which key failed when the message does not match. With
 * several `$or` alternatives it reports the first alternative that failed.
 */
export function explainMatch(policy: CompiledPolicy, input: FilterInput): MatchExplanation {
  if (matchesPolicy(policy, input)) return { match: true };
  const fields = fieldsFor(policy, input);
  if (fields === null) return { match: false, reason: 'the message body is not a JSON object' };
  const first = policy.clauses[0];
  return first === undefined ? { match: false } : explainClause(first, fields);
}
