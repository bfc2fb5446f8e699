/**
 * Herald's SNS filter-policy engine: validation with AWS's rules and wording, compiled
 * policies, per-message inputs, single-policy evaluation and a topic-wide index.
 */
export { compileFilterPolicy } from './compile.js';
export { explainMatch, type MatchExplanation } from './explain.js';
export { createFilterInput, type FilterInput } from './input.js';
export { matchesPolicy } from './match.js';
export { PolicyIndex } from './policy-index.js';
export type { CompiledPolicy, FilterScope } from './types.js';
