import { invalidParameter } from '../errors/index.js';

/** The actions AddPermission may grant, as SNS lists them. */
const GRANTABLE_ACTIONS = new Set([
  'GetTopicAttributes',
  'SetTopicAttributes',
  'AddPermission',
  'RemovePermission',
  'DeleteTopic',
  'Subscribe',
  'ListSubscriptionsByTopic',
  'Publish',
  'Receive',
]);

const ACCOUNT_ID = /^\d{12}$/;

/** One statement of a topic's access policy, as far as Herald reads it. */
export interface PolicyStatement {
  Sid?: string;
  Effect?: string;
  Principal?: unknown;
  Action?: unknown;
  Resource?: unknown;
  Condition?: unknown;
  [other: string]: unknown;
}

/** A topic's access policy document. */
export interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement: PolicyStatement[];
  [other: string]: unknown;
}

/** What AddPermission grants: to these accounts, these actions on the topic. */
export interface PermissionGrant {
  label: string;
  accountIds: string[];
  actionNames: string[];
}

/** Parses a stored policy; a document without a statement list gets an empty one. */
export function parsePolicy(text: string): PolicyDocument {
  const parsed = JSON.parse(text) as unknown;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { Statement: [] };
  }
  const document = parsed as Record<string, unknown>;
  const statements = document.Statement;
  const list = Array.isArray(statements)
    ? statements
    : statements === undefined
      ? []
      : [statements];
  return { ...document, Statement: list as PolicyStatement[] };
}

/**
 * The policy after AddPermission: one Allow statement with `Sid` = label, the accounts'
 * root ARNs as principals and `SNS:<Action>` actions (a single one unwrapped, as SNS does).
 * A label already in use and an action outside SNS's topic actions are `InvalidParameter`.
 */
export function addPermission(policy: string, topicArn: string, grant: PermissionGrant): string {
  const document = parsePolicy(policy);
  if (document.Statement.some((statement) => statement.Sid === grant.label)) {
    throw invalidParameter('Statement already exists', { parameter: 'Label' });
  }
  if (grant.actionNames.some((action) => !GRANTABLE_ACTIONS.has(action))) {
    throw invalidParameter('Policy statement action out of service scope!', {
      parameter: 'ActionName',
    });
  }
  for (const accountId of grant.accountIds) {
    if (!ACCOUNT_ID.test(accountId)) {
      throw invalidParameter(`AWSAccountId: ${accountId} is not a 12-digit account id`, {
        parameter: 'AWSAccountId',
      });
    }
  }

  const principals = grant.accountIds.map((id) => `arn:aws:iam::${id}:root`);
  const actions = grant.actionNames.map((action) => `SNS:${action}`);
  document.Statement.push({
    Sid: grant.label,
    Effect: 'Allow',
    Principal: { AWS: principals.length === 1 ? principals[0] : principals },
    Action: actions.length === 1 ? actions[0] : actions,
    Resource: topicArn,
  });
  return JSON.stringify(document);
}

/** The policy after RemovePermission: every statement with `Sid` = label goes; none is fine. */
export function removePermission(policy: string, label: string): string {
  const document = parsePolicy(policy);
  document.Statement = document.Statement.filter((statement) => statement.Sid !== label);
  return JSON.stringify(document);
}
