import { invalidParameter } from '../../errors/index.js';
import {
  BACKOFF_FUNCTIONS,
  DEFAULT_RETRY_POLICY,
  totalRetrySeconds,
  type BackoffFunction,
  type RetryPolicy,
} from './retry-policy.js';

/** The content type SNS posts notifications with unless a request policy names another. */
export const DEFAULT_CONTENT_TYPE = 'text/plain; charset=UTF-8';

/** A topic's `DeliveryPolicy` for HTTP(S) subscriptions (its `http` section). */
export interface TopicDeliveryPolicy {
  defaultHealthyRetryPolicy?: RetryPolicy;
  disableSubscriptionOverrides: boolean;
  defaultThrottlePolicy?: { maxReceivesPerSecond: number };
  defaultRequestPolicy?: { headerContentType: string };
}

/** A subscription's own `DeliveryPolicy`. */
export interface SubscriptionDeliveryPolicy {
  healthyRetryPolicy?: RetryPolicy;
  throttlePolicy?: { maxReceivesPerSecond: number };
  requestPolicy?: { headerContentType: string };
}

/** AWS's limits on a retry policy. */
const MAX_RETRIES = 100;
const MAX_DELAY_SECONDS = 3600;
const MAX_TOTAL_RETRY_SECONDS = 3600;

const RETRY_KEYS = new Set([
  'minDelayTarget',
  'maxDelayTarget',
  'numRetries',
  'numNoDelayRetries',
  'numMinDelayRetries',
  'numMaxDelayRetries',
  'backoffFunction',
]);
const TOPIC_KEYS = new Set([
  'defaultHealthyRetryPolicy',
  'disableSubscriptionOverrides',
  'defaultThrottlePolicy',
  'defaultRequestPolicy',
  'defaultSicklyRetryPolicy',
]);
const SUBSCRIPTION_KEYS = new Set([
  'healthyRetryPolicy',
  'throttlePolicy',
  'requestPolicy',
  'sicklyRetryPolicy',
  'guaranteed',
]);
const CONTENT_TYPE = /^[\w.+-]+\/[\w.+-]+(\s*;\s*[\w.+-]+=[\w.+"-]+)*$/;

type Json = Record<string, unknown>;

/**
 * Parses and validates a topic's `DeliveryPolicy` (`{"http": {...}}`) as SNS does, throwing
 * `InvalidParameter` that names the offending field. An empty text is no policy.
 */
export function parseTopicDeliveryPolicy(text: string): TopicDeliveryPolicy {
  if (text === '') return { disableSubscriptionOverrides: false };
  const root = objectAt(parseJson(text), '');
  checkKeys(root, new Set(['http']), '');
  if (root.http === undefined) return { disableSubscriptionOverrides: false };

  const http = objectAt(root.http, 'http');
  checkKeys(http, TOPIC_KEYS, 'http');
  nullAt(http.defaultSicklyRetryPolicy, 'http.defaultSicklyRetryPolicy');

  const overrides = http.disableSubscriptionOverrides;
  if (overrides !== undefined && typeof overrides !== 'boolean') {
    throw policyError('http.disableSubscriptionOverrides must be true or false');
  }
  return {
    ...optional('defaultHealthyRetryPolicy', http, 'http.', retryPolicyAt),
    disableSubscriptionOverrides: overrides ?? false,
    ...optional('defaultThrottlePolicy', http, 'http.', throttlePolicyAt),
    ...optional('defaultRequestPolicy', http, 'http.', requestPolicyAt),
  };
}

/**
 * Parses and validates a subscription's `DeliveryPolicy`, throwing `InvalidParameter` that
 * names the offending field. An empty text is no policy.
 */
export function parseSubscriptionDeliveryPolicy(text: string): SubscriptionDeliveryPolicy {
  if (text === '') return {};
  const root = objectAt(parseJson(text), '');
  checkKeys(root, SUBSCRIPTION_KEYS, '');
  nullAt(root.sicklyRetryPolicy, 'sicklyRetryPolicy');
  if (root.guaranteed !== undefined && typeof root.guaranteed !== 'boolean') {
    throw policyError('guaranteed must be true or false');
  }
  return {
    ...optional('healthyRetryPolicy', root, '', retryPolicyAt),
    ...optional('throttlePolicy', root, '', throttlePolicyAt),
    ...optional('requestPolicy', root, '', requestPolicyAt),
  };
}

/** `{ [key]: parsed }` when the object has the key, else `{}`. */
function optional<K extends string, T>(
  key: K,
  object: Json,
  prefix: string,
  parse: (value: unknown, path: string) => T,
): { [P in K]?: T } {
  const value = object[key];
  if (value === undefined) return {};
  return { [key]: parse(value, `${prefix}${key}`) } as { [P in K]?: T };
}

/** A retry policy with SNS's defaults for the fields it leaves out, validated. */
function retryPolicyAt(value: unknown, path: string): RetryPolicy {
  const object = objectAt(value, path);
  checkKeys(object, RETRY_KEYS, path);

  const given = {
    minDelayTarget: integerAt(object, 'minDelayTarget', path),
    maxDelayTarget: integerAt(object, 'maxDelayTarget', path),
  };
  const minDelayTarget =
    given.minDelayTarget ??
    Math.min(DEFAULT_RETRY_POLICY.minDelayTarget, given.maxDelayTarget ?? Infinity);
  const maxDelayTarget =
    given.maxDelayTarget ?? Math.max(DEFAULT_RETRY_POLICY.maxDelayTarget, minDelayTarget);
  const policy: RetryPolicy = {
    minDelayTarget,
    maxDelayTarget,
    numRetries: integerAt(object, 'numRetries', path) ?? DEFAULT_RETRY_POLICY.numRetries,
    numMaxDelayRetries: integerAt(object, 'numMaxDelayRetries', path) ?? 0,
    numNoDelayRetries: integerAt(object, 'numNoDelayRetries', path) ?? 0,
    numMinDelayRetries: integerAt(object, 'numMinDelayRetries', path) ?? 0,
    backoffFunction: backoffFunctionAt(object.backoffFunction, `${path}.backoffFunction`),
  };
  checkRetryPolicy(policy, path);
  return policy;
}

/** AWS's rules for a complete retry policy. */
function checkRetryPolicy(policy: RetryPolicy, path: string): void {
  if (policy.numRetries > MAX_RETRIES) {
    throw policyError(`${path}.numRetries must be from 0 to ${MAX_RETRIES}`);
  }
  if (policy.minDelayTarget < 1) {
    throw policyError(`${path}.minDelayTarget must be at least 1 second`);
  }
  if (policy.maxDelayTarget > MAX_DELAY_SECONDS) {
    throw policyError(`${path}.maxDelayTarget must be at most ${MAX_DELAY_SECONDS} seconds`);
  }
  if (policy.minDelayTarget > policy.maxDelayTarget) {
    throw policyError(
      `${path}.minDelayTarget (${policy.minDelayTarget}) must not be greater than ` +
        `maxDelayTarget (${policy.maxDelayTarget})`,
    );
  }

  const phases = policy.numNoDelayRetries + policy.numMinDelayRetries + policy.numMaxDelayRetries;
  if (phases > policy.numRetries) {
    throw policyError(
      `${path}.numRetries (${policy.numRetries}) must be at least numNoDelayRetries + ` +
        `numMinDelayRetries + numMaxDelayRetries (${phases})`,
    );
  }
  const total = totalRetrySeconds(policy);
  if (total > MAX_TOTAL_RETRY_SECONDS) {
    throw policyError(
      `${path}: the retries would take ${Math.round(total)} seconds in all; ` +
        `the limit is ${MAX_TOTAL_RETRY_SECONDS}`,
    );
  }
}

function throttlePolicyAt(value: unknown, path: string): { maxReceivesPerSecond: number } {
  const object = objectAt(value, path);
  checkKeys(object, new Set(['maxReceivesPerSecond']), path);
  const rate = integerAt(object, 'maxReceivesPerSecond', path);
  if (rate === undefined || rate < 1) {
    throw policyError(`${path}.maxReceivesPerSecond must be an integer of at least 1`);
  }
  return { maxReceivesPerSecond: rate };
}

function requestPolicyAt(value: unknown, path: string): { headerContentType: string } {
  const object = objectAt(value, path);
  checkKeys(object, new Set(['headerContentType']), path);
  const type = object.headerContentType;
  if (typeof type !== 'string' || !CONTENT_TYPE.test(type)) {
    throw policyError(`${path}.headerContentType must be a content type such as application/json`);
  }
  return { headerContentType: type };
}

function backoffFunctionAt(value: unknown, path: string): BackoffFunction {
  if (value === undefined) return DEFAULT_RETRY_POLICY.backoffFunction;
  if (typeof value === 'string' && (BACKOFF_FUNCTIONS as readonly string[]).includes(value)) {
    return value as BackoffFunction;
  }
  throw policyError(`${path} must be one of ${BACKOFF_FUNCTIONS.join(', ')}`);
}

/** A non-negative integer field, or undefined when absent. */
function integerAt(object: Json, key: string, path: string): number | undefined {
  const value = object[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw policyError(`${path}.${key} must be a non-negative integer`);
  }
  return value;
}

function objectAt(value: unknown, path: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw policyError(path === '' ? 'must be a JSON object' : `${path} must be a JSON object`);
  }
  return value as Json;
}

function nullAt(value: unknown, path: string): void {
  if (value !== undefined && value !== null) {
    throw policyError(`${path} is not supported; leave it out or set it to null`);
  }
}

function checkKeys(object: Json, allowed: ReadonlySet<string>, path: string): void {
  for (const key of Object.keys(object)) {
    if (!allowed.has(key)) {
      const where = path === '' ? '' : ` in ${path}`;
      throw policyError(`unknown key ${key}${where}; expected one of ${[...allowed].join(', ')}`);
    }
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw policyError('failed to parse JSON');
  }
}

function policyError(reason: string) {
  return invalidParameter(`DeliveryPolicy: ${reason}`, { parameter: 'DeliveryPolicy' });
}
