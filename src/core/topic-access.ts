import { HeraldError } from '../errors/index.js';
import { parsePolicy, type PolicyStatement } from './topic-permissions.js';

/** Who is asking, as access control sees a verified request. */
export interface Caller {
  accessKeyId: string;
  accountId: string;
}

/** What a caller wants to do to a topic. */
export interface TopicAccess {
  caller: Caller;
  /** The SNS action, e.g. `Publish`. */
  action: string;
  topicArn: string;
}

/** The outcome of evaluating a policy: an explicit Deny wins over any Allow. */
export type PolicyDecision = 'allow' | 'deny' | 'no-match';

/**
 * Evaluates a topic's access policy for one request, as IAM evaluates resource policies:
 * statements whose principal, action, resource and conditions all match count; an explicit
 * Deny wins, then an Allow; nothing matching is an implicit deny. Supported: `Principal` `*`
 * or `{ "AWS": … }` (account ids or `arn:aws:iam::<account>:…` ARNs), `Action` with
 * wildcards, `Resource` with wildcards, and the conditions `StringEquals`/`StringLike` on
 * `AWS:SourceOwner`/`AWS:SourceAccount`. A statement using anything else never matches.
 */
export function evaluateTopicPolicy(policy: string, access: TopicAccess): PolicyDecision {
  let statements: PolicyStatement[];
  try {
    statements = parsePolicy(policy).Statement;
  } catch {
    return 'no-match';
  }

  let allowed = false;
  for (const statement of statements) {
    if (!statementMatches(statement, access)) continue;
    if (statement.Effect === 'Deny') return 'deny';
    if (statement.Effect === 'Allow') allowed = true;
  }
  return allowed ? 'allow' : 'no-match';
}

/** Throws `AuthorizationError` unless the topic's policy allows the access. */
export function authorizeTopicAccess(policy: string, access: TopicAccess): void {
  if (evaluateTopicPolicy(policy, access) === 'allow') return;
  throw new HeraldError(
    'AuthorizationError',
    `User: arn:aws:iam::${access.caller.accountId}:root is not authorized to perform: ` +
      `SNS:${access.action} on resource: ${access.topicArn}`,
    { topicArn: access.topicArn },
  );
}

function statementMatches(statement: PolicyStatement, access: TopicAccess): boolean {
  const unsupported = ['NotPrincipal', 'NotAction', 'NotResource'].some((key) => key in statement);
  return (
    !unsupported &&
    principalMatches(statement.Principal, access.caller.accountId) &&
    listOf(statement.Action).some((action) => wildcardMatches(action, `sns:${access.action}`)) &&
    resourceMatches(statement.Resource, access.topicArn) &&
    conditionsMatch(statement.Condition, access.caller.accountId)
  );
}

function principalMatches(principal: unknown, accountId: string): boolean {
  if (principal === '*') return true;
  if (typeof principal !== 'object' || principal === null) return false;

  const aws = (principal as Record<string, unknown>).AWS;
  return listOf(aws).some((entry) => entry === '*' || accountOf(entry) === accountId);
}

/** The account of a principal entry: a bare account id or an IAM ARN. */
function accountOf(entry: string): string | undefined {
  if (/^\d{12}$/.test(entry)) return entry;
  const match = /^arn:aws:iam::(\d{12}):/.exec(entry);
  return match?.[1];
}

function resourceMatches(resource: unknown, topicArn: string): boolean {
  if (resource === undefined) return true;
  return listOf(resource).some((pattern) => wildcardMatches(pattern, topicArn, false));
}

const SOURCE_ACCOUNT_KEYS = new Set(['aws:sourceowner', 'aws:sourceaccount']);

function conditionsMatch(condition: unknown, accountId: string): boolean {
  if (condition === undefined) return true;
  if (typeof condition !== 'object' || condition === null) return false;

  for (const [operator, tests] of Object.entries(condition as Record<string, unknown>)) {
    if (operator !== 'StringEquals' && operator !== 'StringLike') return false;
    if (typeof tests !== 'object' || tests === null) return false;

    for (const [key, expected] of Object.entries(tests as Record<string, unknown>)) {
      if (!SOURCE_ACCOUNT_KEYS.has(key.toLowerCase())) return false;
      const values = listOf(expected);
      const matches =
        operator === 'StringEquals'
          ? values.includes(accountId)
          : values.some((pattern) => wildcardMatches(pattern, accountId, false));
      if (!matches) return false;
    }
  }
  return true;
}

/** The strings of a policy field that may be one string or a list of them. */
function listOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return [];
}

/** IAM wildcard matching: `*` any run, `?` one character; actions ignore case. */
function wildcardMatches(pattern: string, value: string, ignoreCase = true): boolean {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  const source = escaped.replaceAll('*', '.*').replaceAll('?', '.');
  return new RegExp(`^${source}$`, ignoreCase ? 'is' : 's').test(value);
}
