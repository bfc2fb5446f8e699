import { invalidParameter, type HeraldError } from '../errors/index.js';

/** The error SNS reports for an invalid filter policy: `Invalid parameter: FilterPolicy: …`. */
export function policyError(reason: string): HeraldError {
  return invalidParameter(`FilterPolicy: ${reason}`);
}

/** Renders a policy value the way the JSON parser would name it in an error message. */
export function describeJson(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return '[';
  if (value !== null && typeof value === 'object') return '{';
  return String(value);
}
