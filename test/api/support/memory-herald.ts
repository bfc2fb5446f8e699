import { randomUUID } from 'node:crypto';
import type {
  DeadLetter,
  DeployFunctionInput,
  HeraldApi,
  Page,
  PublishBatchEntry,
  PublishBatchResult,
  PublishInput,
} from '../../../src/core/api.js';
import type { FunctionDefinition } from '../../../src/domain/function.js';
import type { InvokeResult } from '../../../src/core/function-invoker.js';
import type { Queue, QueueMessage } from '../../../src/domain/queue.js';
import type { Protocol, Subscription } from '../../../src/domain/subscription.js';
import type { Topic } from '../../../src/domain/topic.js';
import type { PermissionGrant } from '../../../src/core/topic-permissions.js';
import { HeraldError, notFound } from '../../../src/errors/index.js';

const PREFIX = 'arn:aws:sns:us-east-1:000000000000:';

/**
 * A test-only, in-memory stand-in for Herald's application layer, used to exercise the wire
 * layer's parsing and serialising through `inject` without the real core. It records what
 * the wire layer handed it so tests can assert on decoding.
 */
export class MemoryHerald implements HeraldApi {
  readonly topics = new Map<string, Topic>();
  readonly subscriptions = new Map<string, Subscription>();
  readonly published: PublishInput[] = [];
  readonly batches: Array<{ topicArn: string; entries: PublishBatchEntry[] }> = [];
  readonly deployed: DeployFunctionInput[] = [];
  readonly queues = new Map<string, Queue>();
  failNextPublish: Error | undefined;

  async createTopic(name: string, attributes = {}, tags = {}): Promise<Topic> {
    const arn = PREFIX + name;
    const topic = this.topics.get(arn) ?? { arn, name, attributes, tags, createdAt: Date.now() };
    this.topics.set(arn, topic);
    return topic;
  }

  async deleteTopic(topicArn: string): Promise<void> {
    this.topics.delete(topicArn);
  }

  async listTopics(nextToken?: string): Promise<Page<Topic>> {
    const all = [...this.topics.values()];
    const start = nextToken === undefined ? 0 : Number(nextToken);
    const items = all.slice(start, start + 2);
    return start + 2 < all.length ? { items, nextToken: String(start + 2) } : { items };
  }

  async getTopicAttributes(topicArn: string): Promise<Record<string, string>> {
    return { TopicArn: topicArn, ...this.topic(topicArn).attributes };
  }

  async setTopicAttribute(topicArn: string, name: string, value: string): Promise<void> {
    this.topic(topicArn).attributes[name] = value;
  }

  async listTagsForResource(resourceArn: string): Promise<Record<string, string>> {
    return this.topic(resourceArn).tags;
  }

  async tagResource(resourceArn: string, tags: Record<string, string>): Promise<void> {
    Object.assign(this.topic(resourceArn).tags, tags);
  }

  async untagResource(resourceArn: string, tagKeys: string[]): Promise<void> {
    for (const key of tagKeys) delete this.topic(resourceArn).tags[key];
  }

  async addPermission(topicArn: string, grant: PermissionGrant): Promise<void> {
    this.topic(topicArn).attributes.Policy = JSON.stringify({ Statement: [{ Sid: grant.label }] });
  }

  async removePermission(topicArn: string): Promise<void> {
    delete this.topic(topicArn).attributes.Policy;
  }

  async getDataProtectionPolicy(resourceArn: string): Promise<string> {
    return this.topic(resourceArn).attributes.DataProtectionPolicy ?? '';
  }

  async putDataProtectionPolicy(resourceArn: string, policy: string): Promise<void> {
    this.topic(resourceArn).attributes.DataProtectionPolicy = policy;
  }

  async subscribe(
    topicArn: string,
    protocol: string,
    endpoint: string,
    attributes: Record<string, string> = {},
  ): Promise<Subscription> {
    this.topic(topicArn);
    const arn = `${topicArn}:${randomUUID()}`;
    const subscription: Subscription = {
      id: this.subscriptions.size + 1,
      arn,
      topicArn,
      protocol: protocol as Protocol,
      endpoint,
      attributes,
      confirmed: !protocol.startsWith('http'),
      createdAt: Date.now(),
    };
    this.subscriptions.set(arn, subscription);
    return subscription;
  }

  async unsubscribe(subscriptionArn: string): Promise<void> {
    this.subscriptions.delete(subscriptionArn);
  }

  async confirmSubscription(topicArn: string, token: string): Promise<Subscription> {
    const subscription = [...this.subscriptions.values()].find(
      (s) => s.topicArn === topicArn && s.arn.endsWith(token),
    );
    if (!subscription) throw new HeraldError('InvalidParameter', 'Invalid parameter: Token');
    subscription.confirmed = true;
    return subscription;
  }

  signingCertificate(): string {
    return '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n';
  }

  async listSubscriptions(): Promise<Page<Subscription>> {
    return { items: [...this.subscriptions.values()] };
  }

  async listSubscriptionsByTopic(topicArn: string): Promise<Page<Subscription>> {
    this.topic(topicArn);
    return { items: [...this.subscriptions.values()].filter((s) => s.topicArn === topicArn) };
  }

  async getSubscriptionAttributes(subscriptionArn: string): Promise<Record<string, string>> {
    return { ...this.subscription(subscriptionArn).attributes };
  }

  async setSubscriptionAttribute(arn: string, name: string, value: string): Promise<void> {
    this.subscription(arn).attributes[name] = value;
  }

  async publish(input: PublishInput): Promise<{ messageId: string }> {
    const failure = this.failNextPublish;
    this.failNextPublish = undefined;
    if (failure) throw failure;
    this.topic(input.topicArn);
    this.published.push(input);
    return { messageId: randomUUID() };
  }

  async publishBatch(topicArn: string, entries: PublishBatchEntry[]): Promise<PublishBatchResult> {
    this.topic(topicArn);
    this.batches.push({ topicArn, entries });
    return { successful: entries.map((e) => ({ id: e.id, messageId: randomUUID() })), failed: [] };
  }

  async deployFunction(input: DeployFunctionInput): Promise<FunctionDefinition> {
    this.deployed.push(input);
    return {
      name: input.name,
      arn: `arn:aws:lambda:us-east-1:000000000000:function:${input.name}`,
      handler: input.handler,
      runtime: input.runtime ?? 'nodejs20.x',
      timeoutSeconds: input.timeoutSeconds ?? 3,
      memoryMb: input.memoryMb ?? 128,
      environment: input.environment ?? {},
      codeSha256: 'sha',
      codeSize: input.zip.length,
      maximumRetryAttempts: input.maximumRetryAttempts ?? 2,
      lastModified: 0,
    };
  }

  async getFunction(name: string): Promise<FunctionDefinition> {
    throw new HeraldError('ResourceNotFoundException', `Function not found: ${name}`);
  }

  async listFunctions(): Promise<FunctionDefinition[]> {
    return [];
  }

  async updateFunction(name: string): Promise<FunctionDefinition> {
    return this.getFunction(name);
  }

  async invokeFunction(name: string): Promise<InvokeResult> {
    throw new HeraldError('ResourceNotFoundException', `Function not found: ${name}`);
  }

  async invokeFunctionAsync(name: string): Promise<{ requestId: string }> {
    throw new HeraldError('ResourceNotFoundException', `Function not found: ${name}`);
  }

  async dryRunInvoke(name: string): Promise<void> {
    throw new HeraldError('ResourceNotFoundException', `Function not found: ${name}`);
  }

  async removeFunction(): Promise<void> {}

  async createQueue(name: string): Promise<Queue> {
    const queue = { name, arn: `arn:aws:sqs:us-east-1:000000000000:${name}`, createdAt: 1 };
    this.queues.set(name, queue);
    return queue;
  }

  async listQueues(): Promise<Queue[]> {
    return [...this.queues.values()];
  }

  async deleteQueue(): Promise<void> {}

  async receiveMessages(queueName: string, max: number): Promise<QueueMessage[]> {
    return Array.from({ length: Math.min(max, 2) }, (_, i) => ({
      id: i + 1,
      queueName,
      body: `body ${i + 1}`,
      attributes: {},
      receiveCount: 1,
      sentAt: 0,
    }));
  }

  async purgeQueue(): Promise<number> {
    return 3;
  }

  async listDeadLetters(queueName?: string, max?: number): Promise<DeadLetter[]> {
    const dead = { id: 1, queueName: queueName ?? 'dlq', body: 'x', attributes: {} };
    return [{ ...dead, receiveCount: max ?? 0, sentAt: 0 }];
  }

  async redriveDeadLetters(_queueName: string, max?: number): Promise<number> {
    return max ?? 5;
  }

  private topic(arn: string): Topic {
    const topic = this.topics.get(arn);
    if (!topic) throw notFound('Topic', { topicArn: arn });
    return topic;
  }

  private subscription(arn: string): Subscription {
    const subscription = this.subscriptions.get(arn);
    if (!subscription) throw notFound('Subscription', { subscriptionArn: arn });
    return subscription;
  }
}
