import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HeraldError } from '../../src/errors/index.js';
import { silentLogger } from '../../src/log/logger.js';
import { NatsConnection } from '../../src/store/nats/connection.js';
import { IdBlocks } from '../../src/store/nats/id-blocks.js';
import { NatsCatalog, type CatalogChange } from '../../src/store/nats/nats-catalog.js';
import { NatsSubscriptionTokens } from '../../src/store/nats/nats-subscription-tokens.js';
import { natsUrl, removePrefix, uniquePrefix } from '../support/nats.js';
import { fn, subscription, topic } from './catalog-suite.js';

/** Retries `check` every 20 ms until it stops throwing, for up to `timeoutMs`. */
async function eventually(check: () => void, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One Herald node's view of the shared catalog: its connection, catalog and changes seen. */
interface Node {
  connection: NatsConnection;
  catalog: NatsCatalog;
  changes: CatalogChange[];
}

describe('NatsCatalog shared by two nodes', () => {
  let prefix: string;
  let nodes: Node[] = [];

  async function startNode(): Promise<Node> {
    const options = { servers: [natsUrl()], replicas: 1, prefix, ackWaitMs: 30_000 };
    const connection = await NatsConnection.open(options, silentLogger());
    const catalog = await NatsCatalog.open(connection, silentLogger());
    const node: Node = { connection, catalog, changes: [] };
    catalog.onChange((change) => node.changes.push(change));
    nodes.push(node);
    return node;
  }

  beforeEach(() => {
    prefix = uniquePrefix();
    nodes = [];
  });

  afterEach(async () => {
    for (const node of nodes) {
      await node.catalog.close();
      await node.connection.close();
    }
    await removePrefix(prefix);
  });

  it("shows one node's writes to the other and reports them only there", async () => {
    const [a, b] = await Promise.all([startNode(), startNode()]);
    a.catalog.putTopic(topic('t'));
    const stored = a.catalog.putSubscription(subscription('t', 's'));
    a.catalog.putFunction(fn('f'));
    a.catalog.putQueue({ name: 'q', arn: '', createdAt: 1 });
    await a.catalog.settled();

    await eventually(() => {
      expect(b.catalog.getTopic(topic('t').arn)).toEqual(topic('t'));
      expect(b.catalog.getSubscription(stored.arn)).toEqual(stored);
      expect(b.catalog.getFunction('f')).toEqual(fn('f'));
      expect(b.catalog.getQueue('q')).toEqual({ name: 'q', arn: '', createdAt: 1 });
    });
    expect(b.changes).toEqual([
      { kind: 'topic', key: topic('t').arn, value: topic('t') },
      { kind: 'subscription', key: stored.arn, value: stored },
      { kind: 'function', key: 'f', value: fn('f') },
      { kind: 'queue', key: 'q', value: { name: 'q', arn: '', createdAt: 1 } },
    ]);

    const confirmed = a.catalog.putSubscription({ ...stored, confirmed: false });
    await a.catalog.settled();
    await eventually(() => expect(b.catalog.getSubscription(stored.arn)).toEqual(confirmed));
    expect(b.changes.at(-1)).toEqual({
      kind: 'subscription',
      key: stored.arn,
      value: confirmed,
      previous: stored,
    });

    await pause(200);
    expect(a.changes).toEqual([]);
  });

  it('drops the subscriptions of a topic another node deleted, reporting each', async () => {
    const [a, b] = await Promise.all([startNode(), startNode()]);
    a.catalog.putTopic(topic('t'));
    const first = a.catalog.putSubscription(subscription('t', '1'));
    const second = a.catalog.putSubscription(subscription('t', '2'));
    await a.catalog.settled();
    await eventually(() => expect(b.catalog.allSubscriptions()).toHaveLength(2));
    b.changes.length = 0;

    a.catalog.deleteTopic(topic('t').arn);
    await a.catalog.settled();

    await eventually(() => expect(b.catalog.getTopic(topic('t').arn)).toBeUndefined());
    expect(b.catalog.allSubscriptions()).toEqual([]);
    expect(b.changes).toEqual([
      { kind: 'subscription', key: first.arn, previous: first },
      { kind: 'subscription', key: second.arn, previous: second },
      { kind: 'topic', key: topic('t').arn, previous: topic('t') },
    ]);
  });

  it('removes a subscription made while another node deleted its topic', async () => {
    const [a, b] = await Promise.all([startNode(), startNode()]);
    a.catalog.putTopic(topic('t'));
    await a.catalog.settled();
    await eventually(() => expect(b.catalog.getTopic(topic('t').arn)).toBeDefined());

    // b deletes the topic before it has seen the subscription a makes at the same time.
    a.catalog.putSubscription(subscription('t', '1'));
    b.catalog.deleteTopic(topic('t').arn);
    await Promise.all([a.catalog.settled(), b.catalog.settled()]);

    await eventually(() => {
      expect(a.catalog.allSubscriptions()).toEqual([]);
      expect(b.catalog.allSubscriptions()).toEqual([]);
    });
    const late = await startNode();
    expect(late.catalog.allSubscriptions()).toEqual([]);
  });

  it('refuses an entry larger than NATS takes, changing nothing', async () => {
    const [a] = await Promise.all([startNode()]);
    const huge = topic('t', { Policy: 'x'.repeat(2 * 1024 * 1024) });
    expect(() => a.catalog.putTopic(huge)).toThrow(/too large to store/);
    expect(a.catalog.getTopic(huge.arn)).toBeUndefined();
    await a.catalog.settled();
  });

  it("keeps a node's own quick successive writes and ignores their echoes", async () => {
    const [a, b] = await Promise.all([startNode(), startNode()]);
    for (let i = 0; i < 20; i++) a.catalog.putTopic(topic('t', { DisplayName: `v${i}` }));
    const seen: string[] = [];
    for (let i = 0; i < 20; i++) {
      seen.push(a.catalog.getTopic(topic('t').arn)?.attributes['DisplayName'] ?? '');
      await pause(5);
    }
    await a.catalog.settled();
    await pause(200);

    expect(new Set(seen)).toEqual(new Set(['v19']));
    expect(a.changes).toEqual([]);
    await eventually(() => {
      expect(b.catalog.getTopic(topic('t').arn)?.attributes).toEqual({ DisplayName: 'v19' });
    });
  });

  it('agrees on the last write when both nodes write the same entry at once', async () => {
    const [a, b] = await Promise.all([startNode(), startNode()]);
    for (let i = 0; i < 10; i++) {
      a.catalog.putFunction({ ...fn('f'), description: `a${i}` });
      b.catalog.putFunction({ ...fn('f'), description: `b${i}` });
    }
    await Promise.all([a.catalog.settled(), b.catalog.settled()]);

    await eventually(() => {
      expect(a.catalog.getFunction('f')).toEqual(b.catalog.getFunction('f'));
    });
  });

  it('never gives the same id to two nodes', async () => {
    const [a, b] = await Promise.all([startNode(), startNode()]);
    const ids: number[] = [];
    for (let round = 0; round < 15; round++) {
      for (const node of [a, b]) {
        for (let i = 0; i < 200; i++) ids.push(-node.catalog.newEventQueueId());
        const stored = node.catalog.putSubscription(subscription('t', `${round}-${ids.length}`));
        ids.push(stored.id);
      }
      await Promise.all([a.catalog.settled(), b.catalog.settled()]);
    }

    expect(ids.length).toBe(2 * 15 * 201);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toBeGreaterThan(0);
  });

  it('loads what the bucket holds when a node starts later', async () => {
    const a = await startNode();
    a.catalog.putTopic(topic('gone'));
    a.catalog.putTopic(topic('kept'));
    const stored = a.catalog.putSubscription(subscription('kept', 's'));
    a.catalog.deleteTopic(topic('gone').arn);
    await a.catalog.settled();

    const late = await startNode();

    expect(late.catalog.listTopics(undefined, 10)).toEqual([topic('kept')]);
    expect(late.catalog.allSubscriptions()).toEqual([stored]);
    expect(late.changes).toEqual([]);
    const next = late.catalog.putSubscription(subscription('kept', 'next'));
    expect(next.id).not.toBe(stored.id);
  });

  it('rejects settled() with ServiceUnavailable when a write cannot reach NATS', async () => {
    const a = await startNode();
    await a.connection.close();
    a.catalog.putTopic(topic('t'));

    const settled = a.catalog.settled();

    await expect(settled).rejects.toBeInstanceOf(HeraldError);
    await expect(settled).rejects.toMatchObject({ code: 'ServiceUnavailable' });
    expect(a.catalog.getTopic(topic('t').arn)).toEqual(topic('t'));
  });
});

describe('NatsSubscriptionTokens shared by two nodes', () => {
  const prefix = uniquePrefix();
  const opened: Array<{ connection: NatsConnection; tokens: NatsSubscriptionTokens }> = [];

  async function startNode(): Promise<NatsSubscriptionTokens> {
    const options = { servers: [natsUrl()], replicas: 1, prefix, ackWaitMs: 30_000 };
    const connection = await NatsConnection.open(options, silentLogger());
    const tokens = await NatsSubscriptionTokens.open(connection, silentLogger());
    opened.push({ connection, tokens });
    return tokens;
  }

  afterEach(async () => {
    for (const { connection, tokens } of opened) {
      await tokens.close();
      await connection.close();
    }
    await removePrefix(prefix);
  });

  it('lets one node read and expire the tokens another created', async () => {
    const [a, b] = await Promise.all([startNode(), startNode()]);
    const token = {
      token: 'ab12',
      topicArn: topic('t').arn,
      subscriptionArn: subscription('t', 's').arn,
      expiresAt: 1_000,
    };
    const restoring = {
      ...token,
      token: 'cd34',
      restore: { protocol: 'https', endpoint: 'https://x', attributes: { A: '1' } },
      expiresAt: 5_000,
    };
    a.put(token);
    a.put(restoring);
    expect(a.get('ab12')).toEqual(token);
    await a.settled();

    await eventually(() => {
      expect(b.get('ab12')).toEqual(token);
      expect(b.get('cd34')).toEqual(restoring);
    });

    b.deleteExpired(2_000);
    expect(b.get('ab12')).toBeUndefined();
    await b.settled();
    await eventually(() => expect(a.get('ab12')).toBeUndefined());
    expect(a.get('cd34')).toEqual(restoring);
    expect(a.get('nope')).toBeUndefined();
  });
});

describe('IdBlocks', () => {
  const prefix = uniquePrefix();
  let connection: NatsConnection | undefined;

  afterEach(async () => {
    await connection?.close();
    await removePrefix(prefix);
  });

  it('refuses ids it has not reserved yet, and never hands one out twice', async () => {
    const options = { servers: [natsUrl()], replicas: 1, prefix, ackWaitMs: 30_000 };
    connection = await NatsConnection.open(options, silentLogger());
    const kv = await connection.bucket(connection.names.catalog);
    const [a, b] = await Promise.all([
      IdBlocks.open(kv, silentLogger(), 10),
      IdBlocks.open(kv, silentLogger(), 10),
    ]);

    const taken = Array.from({ length: 10 }, () => a.take());
    expect(() => a.take()).toThrow(expect.objectContaining({ code: 'ServiceUnavailable' }));
    await a.settled();
    taken.push(a.take(), ...Array.from({ length: 10 }, () => b.take()));
    await Promise.all([a.settled(), b.settled()]);
    taken.push(...Array.from({ length: 10 }, () => b.take()));

    expect(new Set(taken).size).toBe(taken.length);
    expect(taken.slice(0, 10)).toEqual(Array.from({ length: 10 }, (_, i) => taken[0]! + i));
  });
});
