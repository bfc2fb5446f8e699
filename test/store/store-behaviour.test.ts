import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createHerald, type Herald } from '../../src/core/herald.js';
import type { HeraldOptions } from '../../src/core/options.js';
import { deployFixture } from '../support/functions.js';
import { natsUrl, removePrefix, uniquePrefix } from '../support/nats.js';
import { tempDir } from '../support/temp-dir.js';

/** One way to run Herald: a store, and how to open it again after a restart. */
interface StoreUnderTest {
  name: string;
  options(dataDir: string): Pick<HeraldOptions, 'store'>;
  cleanup(): Promise<void>;
}

function sqliteStore(): StoreUnderTest {
  return { name: 'sqlite', options: () => ({}), cleanup: async () => {} };
}

function natsStore(): StoreUnderTest {
  const prefix = uniquePrefix();
  return {
    name: 'nats',
    options: () => ({ store: { kind: 'nats', servers: [natsUrl()], prefix, ackWaitMs: 2000 } }),
    cleanup: async () => void (await removePrefix(prefix)),
  };
}

function lines(file: string): string[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter(Boolean);
}

async function until<T>(probe: () => T | Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * What Herald does with its store, run against both: the embedded SQLite store and the
 * shared NATS store. Nothing here may tell them apart.
 */
describe.each([
  ['sqlite', sqliteStore],
  ['nats', natsStore],
] as const)('store behaviour: %s', (_name, makeStore) => {
  const cleanups: Array<() => Promise<void>> = [];

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function open(store: StoreUnderTest, dataDir: string): Promise<Herald> {
    const herald = await createHerald({
      dataDir,
      retryBaseDelayMs: 20,
      retryMaxDelayMs: 50,
      ...store.options(dataDir),
    });
    cleanups.push(() => herald.close(1000));
    return herald;
  }

  async function setUp() {
    const store = makeStore();
    const dir = tempDir();
    cleanups.push(async () => dir.remove());
    cleanups.push(() => store.cleanup());
    return { store, dir, herald: await open(store, join(dir.path, 'node')) };
  }

  it('delivers a published message to a function', async () => {
    const { dir, herald } = await setUp();
    const out = join(dir.path, 'out.jsonl');
    const arn = await deployFixture(herald, 'recorder', 'recorder', {
      environment: { OUT_FILE: out },
    });
    const topic = await herald.createTopic('orders');
    await herald.subscribe(topic.arn, 'lambda', arn, {
      FilterPolicy: JSON.stringify({ kind: ['order'] }),
    });

    const { messageId } = await herald.publish({
      topicArn: topic.arn,
      message: 'one',
      attributes: { kind: { Type: 'String', Value: 'order' } },
    });
    await herald.publish({
      topicArn: topic.arn,
      message: 'filtered out',
      attributes: { kind: { Type: 'String', Value: 'refund' } },
    });

    const received = await until(
      () => lines(out),
      (got) => got.length >= 1,
    );
    expect(received.map((line) => (JSON.parse(line) as { messageId: string }).messageId)).toEqual([
      messageId,
    ]);
  });

  it('retries a failing delivery, dead-letters it, and redrives it', async () => {
    const { herald } = await setUp();
    const arn = await deployFixture(herald, 'thrower', 'thrower');
    await herald.updateFunction('thrower', { maximumRetryAttempts: 1 });
    const dlq = await herald.createQueue('orders-dlq');
    const topic = await herald.createTopic('orders');
    const subscription = await herald.subscribe(topic.arn, 'lambda', arn, {
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }),
    });
    const { messageId } = await herald.publish({ topicArn: topic.arn, message: 'fails' });

    const letters = await until(
      () => herald.listDeadLetters('orders-dlq'),
      (got) => got.length >= 1,
    );
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({
      body: 'fails',
      messageId,
      subscriptionArn: subscription.arn,
    });
    expect(await herald.countDeadLetters('orders-dlq')).toBe(1);

    const { redriven } = await herald.redriveDeadLetters('orders-dlq');
    expect(redriven).toBe(1);
    const again = await until(
      () => herald.listDeadLetters('orders-dlq'),
      (got) => got.length >= 1,
    );
    expect(again[0]).toMatchObject({ messageId });
  });

  it('puts deliveries to a queue subscription on the queue', async () => {
    const { herald } = await setUp();
    const queue = await herald.createQueue('inbox');
    const topic = await herald.createTopic('orders');
    await herald.subscribe(topic.arn, 'sqs', queue.arn, { RawMessageDelivery: 'true' });
    await herald.publish({ topicArn: topic.arn, message: 'first' });
    await herald.publish({ topicArn: topic.arn, message: 'second' });

    const summaries = await until(
      () => herald.listQueues(),
      (got) => got.find((q) => q.name === 'inbox')?.depth === 2,
    );
    expect(summaries.find((q) => q.name === 'inbox')?.depth).toBe(2);
    const received = await herald.receiveMessages('inbox', 10);
    expect(received.map((message) => message.body).sort()).toEqual(['first', 'second']);
    expect(await herald.receiveMessages('inbox', 10)).toEqual([]);
    expect(await herald.purgeQueue('inbox')).toBe(0);
  });

  it('runs Event invocations', async () => {
    const { dir, herald } = await setUp();
    const out = join(dir.path, 'out.jsonl');
    await deployFixture(herald, 'recorder', 'recorder', { environment: { OUT_FILE: out } });
    await herald.invokeFunctionAsync(
      'recorder',
      JSON.stringify({ Records: [{ Sns: { MessageId: 'event-1' } }] }),
    );
    const received = await until(
      () => lines(out),
      (got) => got.length >= 1,
    );
    expect(received[0]).toContain('event-1');
  });

  it('keeps topics, subscriptions, functions and queues across a restart', async () => {
    const { store, dir, herald } = await setUp();
    const topic = await herald.createTopic('orders', { DisplayName: 'Orders' });
    const queue = await herald.createQueue('inbox');
    await herald.subscribe(topic.arn, 'sqs', queue.arn);
    const functionArn = await deployFixture(herald, 'recorder', 'recorder');
    const statement = {
      Sid: 'sns',
      Effect: 'Allow' as const,
      Principal: { Service: 'sns.amazonaws.com' },
      Action: 'lambda:InvokeFunction',
      Resource: functionArn,
    };
    await herald.updateFunction('recorder', { policyStatements: [statement] });
    await herald.close(1000);

    const reopened = await open(store, join(dir.path, 'node'));
    const topics = await reopened.listTopics();
    expect(topics.items.map((t) => t.arn)).toEqual([topic.arn]);
    expect((await reopened.getTopicAttributes(topic.arn)).DisplayName).toBe('Orders');
    const subscriptions = await reopened.listSubscriptionsByTopic(topic.arn);
    expect(subscriptions.items.map((s) => s.endpoint)).toEqual([queue.arn]);
    expect((await reopened.listFunctions()).map((f) => f.name)).toEqual(['recorder']);
    expect((await reopened.getFunction('recorder')).policyStatements).toEqual([statement]);
    expect((await reopened.listQueues()).map((q) => q.name)).toContain('inbox');
  });
});
