import type { FunctionSettings, FunctionUpdate } from './function-settings.js';
import type { FunctionDefinition } from '../domain/function.js';
import type { MessageAttributes } from '../domain/message.js';
import type { QueueMessage, Queue, QueueSummary } from '../domain/queue.js';
import type { Subscription } from '../domain/subscription.js';
import type { Topic } from '../domain/topic.js';
import type { InvokeOptions, InvokeResult } from './function-invoker.js';
import type { PermissionGrant } from './topic-permissions.js';

/** One page of a listing; `nextToken` is set when more remain. */
export interface Page<T> {
  items: T[];
  nextToken?: string;
}

/** What Publish takes, already decoded from the wire. */
export interface PublishInput {
  topicArn: string;
  /** The message as published: with `messageStructure` 'json', a JSON object of bodies. */
  message: string;
  /** 'json' when `message` holds a body per protocol and a `default` one. */
  messageStructure?: 'json';
  subject?: string;
  /** Attributes as SNS carries them; Binary values are base64 text. */
  attributes?: MessageAttributes;
  /** Required by FIFO topics, which deliver a group in order; optional on standard topics. */
  messageGroupId?: string;
  /** FIFO topics only: a publish repeating a recent id is not delivered again. */
  messageDeduplicationId?: string;
}

/** What Publish answers: the MessageId, and for a FIFO topic the SequenceNumber. */
export interface PublishResult {
  messageId: string;
  /** 20 digits, increasing within the topic; FIFO topics only. */
  sequenceNumber?: string;
}

/** One PublishBatch entry. */
export interface PublishBatchEntry extends Omit<PublishInput, 'topicArn'> {
  id: string;
}

/** The outcome of PublishBatch: per-entry successes and failures. */
export interface PublishBatchResult {
  successful: Array<{ id: string } & PublishResult>;
  failed: Array<{ id: string; code: string; message: string; senderFault: boolean }>;
}

/** A dead-lettered delivery as `herald dlq list` shows it. */
export interface DeadLetter extends QueueMessage {
  /** The subscription whose retries were exhausted, when known. */
  subscriptionArn?: string;
  topicArn?: string;
  messageId?: string;
  errorMessage?: string;
}

/** What a redrive did: letters sent back to their subscriptions, and letters left behind. */
export interface RedriveResult {
  redriven: number;
  /** Messages still in the queue: beyond `max`, or whose subscription is gone. */
  remaining: number;
}

/** What deploying a function takes: its name, code bundle (a zip) and settings. */
export interface DeployFunctionInput extends FunctionSettings {
  name: string;
  handler: string;
  zip: Uint8Array;
}

/**
 * Herald's application API: what every wire protocol (SNS query API, the admin JSON API,
 * the CLI) calls. Methods throw {@link HeraldError} with the SNS code a client expects.
 */
export interface HeraldApi {
  createTopic(
    name: string,
    attributes?: Record<string, string>,
    tags?: Record<string, string>,
  ): Promise<Topic>;
  deleteTopic(topicArn: string): Promise<void>;
  listTopics(nextToken?: string): Promise<Page<Topic>>;
  /** The topic's attributes as GetTopicAttributes reports them, computed ones included. */
  getTopicAttributes(topicArn: string): Promise<Record<string, string>>;
  setTopicAttribute(topicArn: string, name: string, value: string): Promise<void>;
  listTagsForResource(resourceArn: string): Promise<Record<string, string>>;
  tagResource(resourceArn: string, tags: Record<string, string>): Promise<void>;
  untagResource(resourceArn: string, tagKeys: string[]): Promise<void>;
  /** Adds an Allow statement labelled `grant.label` to the topic's access policy. */
  addPermission(topicArn: string, grant: PermissionGrant): Promise<void>;
  removePermission(topicArn: string, label: string): Promise<void>;
  /** The topic's data-protection policy (stored, not enforced); empty when unset. */
  getDataProtectionPolicy(resourceArn: string): Promise<string>;
  putDataProtectionPolicy(resourceArn: string, policy: string): Promise<void>;

  subscribe(
    topicArn: string,
    protocol: string,
    endpoint: string,
    attributes?: Record<string, string>,
  ): Promise<Subscription>;
  unsubscribe(subscriptionArn: string): Promise<void>;
  /** Confirms a pending HTTP(S) subscription with the token sent to its endpoint. */
  confirmSubscription(topicArn: string, token: string): Promise<Subscription>;
  /** The PEM certificate that SNS message signatures verify against. */
  signingCertificate(): string;
  listSubscriptions(nextToken?: string): Promise<Page<Subscription>>;
  listSubscriptionsByTopic(topicArn: string, nextToken?: string): Promise<Page<Subscription>>;
  getSubscriptionAttributes(subscriptionArn: string): Promise<Record<string, string>>;
  setSubscriptionAttribute(subscriptionArn: string, name: string, value: string): Promise<void>;

  /**
   * Durably accepts one message; resolves with its MessageId once it is on disk. A FIFO
   * duplicate resolves with the original's MessageId and SequenceNumber.
   */
  publish(input: PublishInput): Promise<PublishResult>;
  publishBatch(topicArn: string, entries: PublishBatchEntry[]): Promise<PublishBatchResult>;

  deployFunction(input: DeployFunctionInput): Promise<FunctionDefinition>;
  getFunction(name: string): Promise<FunctionDefinition>;
  listFunctions(): Promise<FunctionDefinition[]>;
  /** Changes code, settings, reserved concurrency or asynchronous-invocation settings. */
  updateFunction(name: string, update: FunctionUpdate): Promise<FunctionDefinition>;
  /** A RequestResponse invocation: the handler's result or error payload. */
  invokeFunction(name: string, payload: string, options?: InvokeOptions): Promise<InvokeResult>;
  /** An Event invocation: durably accepted, run by the delivery engine with retries. */
  invokeFunctionAsync(name: string, payload: string): Promise<{ requestId: string }>;
  /** Checks that an invocation would be accepted, without running it. */
  dryRunInvoke(name: string, payload: string): Promise<void>;
  removeFunction(name: string): Promise<void>;

  createQueue(name: string): Promise<Queue>;
  listQueues(): Promise<QueueSummary[]>;
  deleteQueue(name: string): Promise<void>;
  /** Takes up to `max` messages off a queue (they are removed: receive-and-delete). */
  receiveMessages(queueName: string, max: number): Promise<QueueMessage[]>;
  purgeQueue(queueName: string): Promise<number>;

  /** Dead letters in a queue (or in every queue used as a dead-letter target). */
  listDeadLetters(queueName?: string, max?: number): Promise<DeadLetter[]>;
  /** How many dead letters {@link listDeadLetters} would list without a `max`. */
  countDeadLetters(queueName?: string): Promise<number>;
  /** Delivers up to `max` dead letters again to the subscriptions they came from. */
  redriveDeadLetters(queueName: string, max?: number): Promise<RedriveResult>;
  /** Why this node cannot serve now (its shared store is unreachable), or undefined. */
  unhealthy(): string | undefined;
}
