import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  busiestLeader,
  startNatsCluster,
  uniquePrefix,
  type NatsCluster,
} from '../support/nats.js';
import { tempDir } from '../support/temp-dir.js';
import {
  awaitDeliveries,
  nodeLogs,
  publishSpread,
  setUpRecorder,
  startHeraldNodes,
  stopHeraldNodes,
  waitUntilEveryNodeSees,
  type HeraldNode,
} from './support.js';

const MESSAGES = 2_000;

describe('Herald nodes on a three-server NATS cluster', () => {
  const dir = tempDir('herald-failover-');
  const prefix = uniquePrefix();
  let cluster: NatsCluster | undefined;
  let nodes: HeraldNode[] = [];

  beforeAll(async () => {
    cluster = await startNatsCluster(3);
  }, 120_000);

  afterAll(async () => {
    await stopHeraldNodes(nodes);
    await cluster?.stop();
    dir.remove();
  }, 60_000);

  it('delivers every acknowledged message when a NATS server is SIGKILLed', async () => {
    const store = { servers: cluster!.urls, prefix, replicas: 3, ackWaitMs: 2_000 };
    nodes = await startHeraldNodes(2, store, dir.path, true);
    const out = join(dir.path, 'delivered.txt');
    const setup = await setUpRecorder(nodes[0]!, out, dir.path);
    await waitUntilEveryNodeSees(nodes, setup);

    let killed: number | undefined;
    const published = await publishSpread(nodes, setup.topicArn, {
      total: MESSAGES,
      loops: 4,
      disruptAt: MESSAGES / 3,
      disrupt: async () => {
        killed = (await busiestLeader(prefix, cluster!.urls)) ?? 0;
        await cluster!.kill(killed);
      },
      timeoutMs: 180_000,
    });
    expect(killed).toBeDefined();
    expect(published.acknowledgedAfterDisruption).toBeGreaterThan(0);

    const missing = await awaitDeliveries(out, published.acknowledged, 120_000);
    if (missing.length > 0) {
      console.error(`${missing.length} missing\n${nodeLogs(nodes)}\n${cluster!.logs()}`);
    }
    expect(missing).toEqual([]);
  }, 420_000);
});
