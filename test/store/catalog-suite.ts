import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FunctionDefinition } from '../../src/domain/function.js';
import type { Subscription } from '../../src/domain/subscription.js';
import type { Topic } from '../../src/domain/topic.js';
import type { Catalog } from '../../src/store/catalog.js';

/** A catalog under test and what disposes of it. */
export interface OpenedCatalog {
  catalog: Catalog;
  close(): Promise<void>;
}

const ACCOUNT = 'arn:aws:sns:us-east-1:000000000000';

export function topic(name: string, attributes: Record<string, string> = {}): Topic {
  return { arn: `${ACCOUNT}:${name}`, name, attributes, tags: {}, createdAt: 1_000 };
}

export function subscription(topicName: string, suffix: string): Subscription {
  return {
    id: 0,
    arn: `${ACCOUNT}:${topicName}:${suffix}`,
    topicArn: `${ACCOUNT}:${topicName}`,
    protocol: 'sqs',
    endpoint: `arn:aws:sqs:us-east-1:000000000000:${suffix}`,
    attributes: { RawMessageDelivery: 'true' },
    confirmed: true,
    createdAt: 2_000,
  };
}

export function fn(name: string, eventQueueId?: number): FunctionDefinition {
  return {
    name,
    arn: `arn:aws:lambda:us-east-1:000000000000:function:${name}`,
    handler: 'index.handler',
    runtime: 'nodejs20.x',
    timeoutSeconds: 3,
    memoryMb: 128,
    environment: { A: '1' },
    codeSha256: 'x',
    codeSize: 10,
    maximumRetryAttempts: 2,
    lastModified: 3_000,
    ...(eventQueueId === undefined ? {} : { eventQueueId }),
  };
}

/**
 * The behaviour every {@link Catalog} shares, run against the catalog `open` makes (a fresh,
 * empty one for each test).
 */
export function describeCatalog(name: string, open: () => Promise<OpenedCatalog>): void {
  describe(`${name} (the Catalog contract)`, () => {
    let opened: OpenedCatalog | undefined;
    let catalog: Catalog;

    beforeEach(async () => {
      opened = await open();
      catalog = opened.catalog;
    });
    afterEach(async () => {
      await opened?.close();
      opened = undefined;
    });

    it('stores, updates and deletes topics', async () => {
      catalog.putTopic(topic('a', { DisplayName: 'A' }));
      expect(catalog.getTopic(topic('a').arn)).toEqual(topic('a', { DisplayName: 'A' }));
      expect(catalog.getTopic(topic('b').arn)).toBeUndefined();

      catalog.putTopic({ ...topic('a', { DisplayName: 'B' }), createdAt: 9, tags: { t: '1' } });
      expect(catalog.getTopic(topic('a').arn)).toEqual({
        ...topic('a', { DisplayName: 'B' }),
        tags: { t: '1' },
      });

      catalog.deleteTopic(topic('a').arn);
      expect(catalog.getTopic(topic('a').arn)).toBeUndefined();
      await catalog.settled();
    });

    it('lists topics by ARN, a page at a time', async () => {
      for (const name of ['c', 'a', 'e', 'b', 'd']) catalog.putTopic(topic(name));
      const names = (topics: Topic[]) => topics.map((t) => t.name);
      expect(names(catalog.listTopics(undefined, 2))).toEqual(['a', 'b']);
      expect(names(catalog.listTopics(topic('b').arn, 2))).toEqual(['c', 'd']);
      expect(names(catalog.listTopics(topic('d').arn, 2))).toEqual(['e']);
      expect(names(catalog.listTopics(topic('e').arn, 2))).toEqual([]);
      expect(names(catalog.listTopics(topic('bb').arn, 10))).toEqual(['c', 'd', 'e']);
      catalog.deleteTopic(topic('c').arn);
      expect(names(catalog.listTopics(undefined, 10))).toEqual(['a', 'b', 'd', 'e']);
      await catalog.settled();
    });

    it('hands out copies: changing what a read returned changes nothing stored', () => {
      catalog.putTopic(topic('a', { DisplayName: 'A' }));
      const read = catalog.getTopic(topic('a').arn) as Topic;
      read.attributes['DisplayName'] = 'changed';
      expect(catalog.getTopic(topic('a').arn)?.attributes).toEqual({ DisplayName: 'A' });
    });

    it('assigns distinct positive ids to new subscriptions', async () => {
      catalog.putTopic(topic('t'));
      const stored = ['s1', 's2', 's3'].map((s) => catalog.putSubscription(subscription('t', s)));
      const ids = stored.map((s) => s.id);
      expect(new Set(ids).size).toBe(3);
      for (const id of ids) expect(id).toBeGreaterThan(0);
      expect(stored[0]).toEqual({ ...subscription('t', 's1'), id: ids[0] });
      expect(catalog.getSubscription(subscription('t', 's2').arn)).toEqual(stored[1]);
      await catalog.settled();
    });

    it('updates a subscription by id and ignores one that is not stored', async () => {
      catalog.putTopic(topic('t'));
      const stored = catalog.putSubscription({ ...subscription('t', 's'), confirmed: false });
      const updated = catalog.putSubscription({ ...stored, confirmed: true, attributes: {} });
      expect(updated).toEqual({ ...stored, confirmed: true, attributes: {} });
      expect(catalog.getSubscription(stored.arn)).toEqual(updated);

      const ghost = { ...subscription('t', 'ghost'), id: stored.id + 1_000_000 };
      catalog.putSubscription(ghost);
      expect(catalog.getSubscription(ghost.arn)).toBeUndefined();
      expect(catalog.allSubscriptions()).toEqual([updated]);
      await catalog.settled();
    });

    it('lists subscriptions by id, a page at a time, optionally of one topic', async () => {
      for (const name of ['t', 'u']) catalog.putTopic(topic(name));
      const stored = ['1', '2', '3', '4', '5'].map((s) =>
        catalog.putSubscription(subscription(Number(s) % 2 ? 't' : 'u', s)),
      );
      const byId = [...stored].sort((a, b) => a.id - b.id);
      const [first, second, third] = byId.map((s) => s.id) as [number, number, number];

      expect(catalog.listSubscriptions(0, 2)).toEqual(byId.slice(0, 2));
      expect(catalog.listSubscriptions(second, 2)).toEqual(byId.slice(2, 4));
      expect(catalog.listSubscriptions(byId[4]!.id, 2)).toEqual([]);
      expect(catalog.allSubscriptions()).toEqual(byId);

      const ofT = byId.filter((s) => s.topicArn === topic('t').arn);
      expect(catalog.listSubscriptions(0, 10, topic('t').arn)).toEqual(ofT);
      expect(catalog.listSubscriptions(ofT[0]!.id, 1, topic('t').arn)).toEqual([ofT[1]]);

      catalog.deleteSubscription(byId[1]!.arn);
      expect(catalog.getSubscription(byId[1]!.arn)).toBeUndefined();
      expect(catalog.listSubscriptions(first, 1)).toEqual([byId[2]]);
      expect(catalog.listSubscriptions(third, 10)).toEqual(byId.slice(3));
      await catalog.settled();
    });

    it("deletes a topic's subscriptions with it, and only those", async () => {
      for (const name of ['t', 'u']) catalog.putTopic(topic(name));
      catalog.putSubscription(subscription('t', 'a'));
      catalog.putSubscription(subscription('t', 'b'));
      const kept = catalog.putSubscription(subscription('u', 'c'));

      catalog.deleteTopic(topic('t').arn);

      expect(catalog.allSubscriptions()).toEqual([kept]);
      expect(catalog.getSubscription(subscription('t', 'a').arn)).toBeUndefined();
      expect(catalog.listTopics(undefined, 10).map((t) => t.name)).toEqual(['u']);
      await catalog.settled();
    });

    it('stores, replaces, lists by name and deletes functions', async () => {
      catalog.putFunction(fn('b'));
      catalog.putFunction(fn('a'));
      catalog.putFunction({ ...fn('b'), memoryMb: 256, description: 'bigger' });
      expect(catalog.getFunction('b')).toEqual({
        ...fn('b'),
        memoryMb: 256,
        description: 'bigger',
      });
      expect(catalog.listFunctions().map((f) => f.name)).toEqual(['a', 'b']);
      catalog.deleteFunction('a');
      expect(catalog.getFunction('a')).toBeUndefined();
      expect(catalog.listFunctions().map((f) => f.name)).toEqual(['b']);
      await catalog.settled();
    });

    it('stores queues once, lists them by name and deletes them', async () => {
      catalog.putQueue({ name: 'q2', arn: '', createdAt: 5 });
      catalog.putQueue({ name: 'q1.fifo', arn: '', createdAt: 6 });
      catalog.putQueue({ name: 'q2', arn: '', createdAt: 7 });
      expect(catalog.getQueue('q2')).toMatchObject({ name: 'q2', createdAt: 5 });
      expect(catalog.listQueues().map((q) => [q.name, q.createdAt])).toEqual([
        ['q1.fifo', 6],
        ['q2', 5],
      ]);
      catalog.deleteQueue('q2');
      expect(catalog.getQueue('q2')).toBeUndefined();
      expect(catalog.listQueues().map((q) => q.name)).toEqual(['q1.fifo']);
      await catalog.settled();
    });

    it('gives each function a new negative event queue id', async () => {
      const seen = new Set<number>();
      for (const name of ['f1', 'f2', 'f3']) {
        const id = catalog.newEventQueueId();
        expect(id).toBeLessThan(0);
        expect(seen.has(id)).toBe(false);
        seen.add(id);
        catalog.putFunction(fn(name, id));
      }
      await catalog.settled();
    });

    it('settles once its writes are durable', async () => {
      await expect(catalog.settled()).resolves.toBeUndefined();
      catalog.putTopic(topic('t'));
      catalog.putSubscription(subscription('t', 's'));
      catalog.putFunction(fn('f'));
      catalog.putQueue({ name: 'q', arn: '', createdAt: 1 });
      await expect(catalog.settled()).resolves.toBeUndefined();
    });
  });
}
