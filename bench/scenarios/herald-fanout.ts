import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { createHerald, type Herald } from '../../src/core/herald.js';
import { zipDirectory } from '../../src/functions/bundle.js';
import { silentLogger } from '../../src/log/logger.js';
import { payload, type FanoutCase, type FanoutResult } from '../fanout-case.js';
import { withTimeout } from '../timeout.js';

/** Publishes kept in flight, so that Herald can commit many of them together. */
export const HERALD_PUBLISHES_IN_FLIGHT = 2_000;

const NOOP_FUNCTION_DIR = fileURLToPath(new URL('../functions/noop/', import.meta.url));
const IDLE_TIMEOUT_MS = 600_000;

/** Deploys one no-op function per subscription and subscribes each to a fresh topic. */
async function subscribeNoopFunctions(herald: Herald, subscriptions: number): Promise<string> {
  const zip = zipDirectory(NOOP_FUNCTION_DIR);
  const topic = await herald.createTopic('bench');

  for (let i = 0; i < subscriptions; i += 1) {
    const fn = await herald.deployFunction({ name: `noop-${i}`, handler: 'index.handler', zip });
    await herald.subscribe(topic.arn, 'lambda', fn.arn);
  }

  return topic.arn;
}

async function publishAll(herald: Herald, topicArn: string, messages: number): Promise<void> {
  let next = 0;
  const publisher = async (): Promise<void> => {
    while (next < messages) await herald.publish({ topicArn, message: payload(next++) });
  };
  await Promise.all(Array.from({ length: HERALD_PUBLISHES_IN_FLIGHT }, publisher));
}

function deliveredSoFar(herald: Herald): number {
  const counts = Object.values(herald.metrics().subscriptions);
  return counts.reduce((sum, subscription) => sum + subscription.delivered, 0);
}

/**
 * Runs one fan-out case on an embedded Herald with a fresh data dir: after one warm-up
 * message (which starts the function workers), publishes every message through
 * `herald.publish` and waits until Herald is idle.
 */
export async function runHeraldFanout(fanout: FanoutCase): Promise<FanoutResult> {
  const dataDir = await mkdtemp(join(tmpdir(), 'herald-bench-'));
  const herald = await createHerald({ dataDir, logger: silentLogger() });

  try {
    const topicArn = await subscribeNoopFunctions(herald, fanout.subscriptions);
    await herald.publish({ topicArn, message: payload(-1) });
    await withTimeout(herald.idle(), IDLE_TIMEOUT_MS, 'Herald warm-up');
    const warmUpDeliveries = deliveredSoFar(herald);

    const startedAt = performance.now();
    await publishAll(herald, topicArn, fanout.messages);
    const publishMs = performance.now() - startedAt;
    await withTimeout(herald.idle(), IDLE_TIMEOUT_MS, 'Herald delivery');
    const totalMs = performance.now() - startedAt;

    const { latency } = herald.metrics();
    return {
      ...fanout,
      deliveries: deliveredSoFar(herald) - warmUpDeliveries,
      publishMs,
      totalMs,
      p50Ms: latency.p50Ms,
      p99Ms: latency.p99Ms,
    };
  } finally {
    await herald.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}
