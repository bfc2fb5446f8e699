import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { natsUrl, removePrefix, uniquePrefix } from '../support/nats.js';
import { tempDir } from '../support/temp-dir.js';
import {
  awaitDeliveries,
  deliveries,
  killNode,
  nodeLogs,
  publishSpread,
  setUpRecorder,
  startHeraldNodes,
  stopHeraldNodes,
  waitUntilEveryNodeSees,
  type HeraldNode,
} from './support.js';

const MESSAGES = 3_000;

describe('three Herald nodes sharing one NATS store', () => {
  const dir = tempDir('herald-cluster-');
  const prefix = uniquePrefix();
  let nodes: HeraldNode[] = [];

  afterAll(async () => {
    await stopHeraldNodes(nodes);
    await removePrefix(prefix);
    dir.remove();
  }, 60_000);

  it('delivers every acknowledged message when a node is SIGKILLed mid-publish', async () => {
    const store = { servers: [natsUrl()], prefix, replicas: 1, ackWaitMs: 2_000 };
    nodes = await startHeraldNodes(3, store, dir.path);
    const out = join(dir.path, 'delivered.txt');
    const setup = await setUpRecorder(nodes[0]!, out, dir.path);
    await waitUntilEveryNodeSees(nodes, setup);

    const published = await publishSpread(nodes, setup.topicArn, {
      total: MESSAGES,
      loops: 6,
      disruptAt: MESSAGES / 3,
      disrupt: () => killNode(nodes[1]!),
      timeoutMs: 180_000,
    });
    expect(published.acknowledgedAfterDisruption).toBeGreaterThan(0);

    const missing = await awaitDeliveries(out, published.acknowledged, 120_000);
    if (missing.length > 0) console.error(`${missing.length} missing\n${nodeLogs(nodes)}`);
    expect(missing).toEqual([]);
    const nodePids = new Set(nodes.map((node) => node.server.child.pid));
    const pids = new Set(deliveries(out).map((delivery) => delivery.pid));
    expect([...pids].every((pid) => nodePids.has(pid))).toBe(true);
    expect(pids.size).toBeGreaterThan(1);
  }, 420_000);
});
