import { invalidParameter } from '../errors/index.js';

/** Where Herald's resources live: the region and account that appear in every ARN. */
export interface Partition {
  region: string;
  accountId: string;
}

/** The parts of an ARN Herald understands: `arn:aws:<service>:<region>:<account>:<resource>`. */
export interface ParsedArn {
  service: string;
  region: string;
  accountId: string;
  resource: string;
}

const ARN_PATTERN = /^arn:aws:([a-z0-9-]+):([a-z0-9-]*):(\d{12}):(.+)$/;

/** Parses an ARN, or returns undefined when the text is not one. */
export function parseArn(text: string): ParsedArn | undefined {
  const match = ARN_PATTERN.exec(text);
  if (!match) return undefined;
  const [, service, region, accountId, resource] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
  ];
  return { service, region, accountId, resource };
}

export function topicArn(p: Partition, name: string): string {
  return `arn:aws:sns:${p.region}:${p.accountId}:${name}`;
}

export function subscriptionArn(p: Partition, topicName: string, id: string): string {
  return `arn:aws:sns:${p.region}:${p.accountId}:${topicName}:${id}`;
}

export function functionArn(p: Partition, name: string): string {
  return `arn:aws:lambda:${p.region}:${p.accountId}:function:${name}`;
}

export function queueArn(p: Partition, name: string): string {
  return `arn:aws:sqs:${p.region}:${p.accountId}:${name}`;
}

/** The topic name of a topic ARN; throws `InvalidParameter` naming `parameter` otherwise. */
export function topicNameOf(arn: string, parameter = 'TopicArn'): string {
  const parsed = parseArn(arn);
  if (!parsed || parsed.service !== 'sns' || parsed.resource.includes(':')) {
    throw invalidParameter(`${parameter}: Invalid ${parameter}: ${arn}`, { parameter });
  }
  return parsed.resource;
}

/** The function name of a Lambda function ARN (qualifier ignored), or undefined. */
export function functionNameOf(arn: string): string | undefined {
  const parsed = parseArn(arn);
  if (!parsed || parsed.service !== 'lambda') return undefined;
  const [kind, name] = parsed.resource.split(':');
  return kind === 'function' && name ? name : undefined;
}

/** The queue name of an SQS queue ARN, or undefined. */
export function queueNameOf(arn: string): string | undefined {
  const parsed = parseArn(arn);
  if (!parsed || parsed.service !== 'sqs' || parsed.resource.includes(':')) return undefined;
  return parsed.resource;
}
