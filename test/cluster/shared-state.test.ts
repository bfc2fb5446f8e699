import { randomBytes } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createHerald, type Herald } from '../../src/core/herald.js';
import { zipHandler } from '../lambda/support.js';
import { zipDirectory } from '../../src/functions/bundle.js';
import { deployFixture, fixtureHandler } from '../support/functions.js';
import { openHeraldApp } from '../support/herald-app.js';
import { natsUrl, removePrefix, uniquePrefix } from '../support/nats.js';
import { tempDir } from '../support/temp-dir.js';

async function until<T>(probe: () => T | Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function messageIds(file: string): string[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { messageId: string }).messageId);
}

/** Two nodes in one process on one NATS store: what one does, the other sees and shares. */
describe('nodes sharing a NATS store', () => {
  const cleanups: Array<() => Promise<void>> = [];

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function twoNodes(): Promise<{ a: Herald; b: Herald; dir: string; prefix: string }> {
    const prefix = uniquePrefix();
    const dir = tempDir();
    cleanups.push(async () => dir.remove());
    cleanups.push(async () => void (await removePrefix(prefix)));
    const store = { kind: 'nats' as const, servers: [natsUrl()], prefix, ackWaitMs: 2000 };
    const nodes: Herald[] = [];
    for (const name of ['a', 'b']) {
      const herald = await createHerald({ dataDir: join(dir.path, name), store });
      cleanups.push(() => herald.close(1000));
      nodes.push(herald);
    }
    return { a: nodes[0]!, b: nodes[1]!, dir: dir.path, prefix };
  }

  it('shows each node what the other created, changed and deleted', async () => {
    const { a, b } = await twoNodes();
    const topic = await a.createTopic('orders');
    const seen = await until(
      () => b.listTopics(),
      (page) => page.items.length === 1,
    );
    expect(seen.items.map((t) => t.arn)).toEqual([topic.arn]);

    await b.setTopicAttribute(topic.arn, 'DisplayName', 'Orders');
    const attributes = await until(
      () => a.getTopicAttributes(topic.arn),
      (got) => got.DisplayName === 'Orders',
    );
    expect(attributes.DisplayName).toBe('Orders');

    await a.createQueue('inbox');
    const queues = await until(
      () => b.listQueues(),
      (got) => got.some((q) => q.name === 'inbox'),
    );
    expect(queues.map((q) => q.name)).toContain('inbox');

    await b.deleteTopic(topic.arn);
    const after = await until(
      () => a.listTopics(),
      (page) => page.items.length === 0,
    );
    expect(after.items).toEqual([]);
  });

  it('runs a function deployed through one node on both, each message once', async () => {
    const { a, b, dir } = await twoNodes();
    const out = join(dir, 'out.jsonl');
    const arn = await deployFixture(a, 'recorder', 'recorder', { environment: { OUT_FILE: out } });
    const topic = await a.createTopic('orders');
    const subscription = await a.subscribe(topic.arn, 'lambda', arn);
    await until(
      () => b.listSubscriptions(),
      (page) => page.items.length === 1,
    );
    await until(
      () => b.listFunctions(),
      (list) => list.length === 1,
    );

    const published: string[] = [];
    for (let i = 0; i < 200; i++) {
      const node = i % 2 === 0 ? a : b;
      published.push((await node.publish({ topicArn: topic.arn, message: `m${i}` })).messageId);
    }
    const received = await until(
      () => messageIds(out),
      (ids) => ids.length >= published.length,
    );
    expect(new Set(received)).toEqual(new Set(published));
    expect(received).toHaveLength(published.length);

    const counts = [a, b].map((node) => node.metrics().subscriptions[subscription.arn]?.delivered);
    expect(counts.every((count) => (count ?? 0) > 0)).toBe(true);
  });

  it('shows every node the permissions added to a function through one', async () => {
    const prefix = uniquePrefix();
    cleanups.push(async () => void (await removePrefix(prefix)));
    const store = { kind: 'nats' as const, servers: [natsUrl()], prefix, ackWaitMs: 2000 };
    const [a, b] = [await openHeraldApp({ store }), await openHeraldApp({ store })];
    cleanups.push(
      () => a!.close(),
      () => b!.close(),
    );
    await deployFixture(a!.herald, 'recorder', 'recorder');
    await until(
      () => b!.herald.listFunctions(),
      (list) => list.length === 1,
    );

    const path = '/2015-03-31/functions/recorder/policy';
    const statement = {
      StatementId: 'sns',
      Action: 'lambda:InvokeFunction',
      Principal: 'sns.amazonaws.com',
    };
    const added = await a!.app.inject({ method: 'POST', url: path, payload: statement });
    expect(added.statusCode).toBe(201);
    const policy = await until(
      () => b!.app.inject({ method: 'GET', url: path }),
      (response) => response.statusCode === 200,
    );
    const { Policy } = policy.json<{ Policy: string }>();
    expect(JSON.parse(Policy).Statement).toMatchObject([{ Sid: 'sns' }]);

    const removed = await b!.app.inject({ method: 'DELETE', url: `${path}/sns` });
    expect(removed.statusCode).toBe(204);
    const gone = await until(
      () => a!.app.inject({ method: 'GET', url: path }),
      (response) => response.statusCode === 404,
    );
    expect(gone.statusCode).toBe(404);
  });

  it('deduplicates a FIFO message sent through each node, and delivers it once', async () => {
    const { a, b, prefix } = await twoNodes();
    const topic = await a.createTopic('orders.fifo', { FifoTopic: 'true' });
    const queue = await a.createQueue('inbox.fifo');
    const subscription = await a.subscribe(topic.arn, 'sqs', queue.arn);
    await until(
      () => b.listSubscriptions(),
      (page) => page.items.length === 1,
    );
    // One delivery at a time across the cluster keeps the group order.
    const connection = await connect({ servers: natsUrl() });
    const consumers = (await jetstreamManager(connection)).consumers;
    const consumer = await until(
      () => consumers.info(`${prefix}-deliveries`, `sub${subscription.id}`).catch(() => undefined),
      (info) => info !== undefined,
    );
    await connection.close();
    expect(consumer?.config.max_ack_pending).toBe(1);

    const publish = (node: Herald, message: string, messageDeduplicationId: string) =>
      node.publish({ topicArn: topic.arn, message, messageGroupId: 'g', messageDeduplicationId });

    const first = await publish(a, 'one', 'd1');
    expect(await publish(b, 'one again', 'd1')).toEqual(first);
    const together = await Promise.all([publish(a, 'two', 'd2'), publish(b, 'two', 'd2')]);
    expect(together[1]).toEqual(together[0]);
    for (let i = 0; i < 3; i++) {
      const racing = await Promise.all(
        [a, b, a, b].map((node) => publish(node, 'racing', `race-${i}`)),
      );
      expect(new Set(racing.map((result) => result.messageId)).size).toBe(1);
    }
    const batch = await b.publishBatch(topic.arn, [
      { id: 'x', message: 'one more', messageGroupId: 'g', messageDeduplicationId: 'd1' },
      { id: 'y', message: 'three', messageGroupId: 'g', messageDeduplicationId: 'd3' },
    ]);
    expect(batch.successful[0]).toMatchObject({ id: 'x', ...first });

    const bodies: string[] = [];
    await until(
      async () => bodies.push(...(await a.receiveMessages('inbox.fifo', 10)).map((m) => m.body)),
      () => bodies.length >= 6,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    bodies.push(...(await b.receiveMessages('inbox.fifo', 10)).map((m) => m.body));
    expect(bodies.map((body) => (JSON.parse(body) as { Message: string }).Message)).toEqual([
      'one',
      'two',
      'racing',
      'racing',
      'racing',
      'three',
    ]);
  });

  it('runs the newest code on every node when deploys through two nodes overlap', async () => {
    const { a, b, dir } = await twoNodes();
    const version = (v: string, padding = '') =>
      zipHandler(dir, v, `export const handler = async () => '${v}';\n// ${padding}\n`);
    // An incompressible bundle, so that fetching it keeps the other node busy a while.
    const big = version('v1', randomBytes(6 * 1024 * 1024).toString('base64'));
    await a.deployFunction({ name: 'x', handler: 'index.handler', zip: big });
    await b.deployFunction({ name: 'x', handler: 'index.handler', zip: version('v2') });

    for (const node of [a, b]) {
      const ran = await until(
        async () => (await node.invokeFunction('x', '{}')).payload,
        (payload) => payload === '"v2"',
      );
      expect(ran).toBe('"v2"');
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    for (const node of [a, b]) expect((await node.invokeFunction('x', '{}')).payload).toBe('"v2"');
  }, 30_000);

  it('answers the same Subscribe through two nodes at once with one subscription', async () => {
    const { a, b } = await twoNodes();
    const queue = await a.createQueue('inbox');
    for (let i = 0; i < 5; i++) {
      const topic = await a.createTopic(`race-${i}`);
      await until(
        () => b.listTopics(),
        (page) => page.items.some((t) => t.arn === topic.arn),
      );
      const [one, two] = await Promise.all([
        a.subscribe(topic.arn, 'sqs', queue.arn),
        b.subscribe(topic.arn, 'SQS', queue.arn),
      ]);
      expect(two.arn).toBe(one.arn);
    }

    const topic = await a.createTopic('again');
    const first = await a.subscribe(topic.arn, 'sqs', queue.arn);
    await a.unsubscribe(first.arn);
    const second = await b.subscribe(topic.arn, 'sqs', queue.arn);
    expect(second.arn).not.toBe(first.arn);
  });

  it('redrives each dead letter once when two nodes redrive one queue at once', async () => {
    const { a, b, dir } = await twoNodes();
    const out = join(dir, 'redriven.jsonl');
    const deploy = (fixture: string) =>
      a.deployFunction({
        name: 'fn',
        handler: 'index.handler',
        zip: zipDirectory(fixtureHandler(fixture)),
        maximumRetryAttempts: 0,
        environment: { OUT_FILE: out },
      });
    const fn = await deploy('thrower');
    const topic = await a.createTopic('failing');
    await a.subscribe(topic.arn, 'lambda', fn.arn);
    for (let i = 0; i < 40; i++) await a.publish({ topicArn: topic.arn, message: `m${i}` });
    const queue = 'herald-dead-letters';
    await until(
      () => a.countDeadLetters(queue),
      (count) => count === 40,
    );

    const fixed = await deploy('recorder');
    await until(
      async () => (await b.getFunction('fn')).codeSha256,
      (sha) => sha === fixed.codeSha256,
    );
    const [one, two] = await Promise.all([
      a.redriveDeadLetters(queue, 100),
      b.redriveDeadLetters(queue, 100),
    ]);
    expect(one.redriven + two.redriven).toBe(40);

    const received = await until(
      () => messageIds(out),
      (ids) => ids.length >= 40,
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(messageIds(out)).toHaveLength(40);
    expect(new Set(received).size).toBe(40);
  }, 30_000);

  it('keeps FIFO delivery going after groups were published through both nodes', async () => {
    const { a, b } = await twoNodes();
    const topic = await a.createTopic('t.fifo', { FifoTopic: 'true' });
    const queue = await a.createQueue('q.fifo');
    await a.subscribe(topic.arn, 'sqs', queue.arn, { RawMessageDelivery: 'true' });
    await new Promise((resolve) => setTimeout(resolve, 1000));

    const sent: string[] = [];
    await Promise.all(
      ['g1', 'g2'].map(async (group) => {
        for (let i = 0; i < 30; i++) {
          const node = i % 2 ? a : b;
          await node.publish({
            topicArn: topic.arn,
            message: `${group}-${i}`,
            messageGroupId: group,
            messageDeduplicationId: `${group}-${i}`,
          });
          sent.push(`${group}-${i}`);
        }
      }),
    );
    const received: string[] = [];
    const drain = async (until: number) => {
      const deadline = Date.now() + 20_000;
      while (received.length < until && Date.now() < deadline) {
        received.push(...(await b.receiveMessages('q.fifo', 10)).map((m) => m.body));
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    await drain(60);
    expect(received).toHaveLength(60);

    await new Promise((resolve) => setTimeout(resolve, 6_000));
    await a.publish({
      topicArn: topic.arn,
      message: 'probe',
      messageGroupId: 'gz',
      messageDeduplicationId: 'probe',
    });
    await drain(61);
    expect(received.at(-1)).toBe('probe');
  }, 60_000);
});
