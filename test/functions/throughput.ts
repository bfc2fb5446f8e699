/**
 * Throughput check (not a test): invocations per second of a no-op handler through the
 * function pool, for a few batch sizes, each invocation carrying one SNS record.
 * Run with `npx tsx test/functions/throughput.ts`.
 */
import { silentLogger } from '../../src/log/logger.js';
import { FunctionPool } from '../../src/functions/pool.js';
import { buildSnsEvent } from '../../src/functions/sns-event.js';
import { fixtureFunction, invocationsOf } from './fixtures.js';

const TOTAL = 400_000;
const BATCHES_IN_FLIGHT = 8;
const BATCH_SIZES = [100, 250, 500];

const TOPIC_ARN = 'arn:aws:sns:us-east-1:000000000000:orders';

/** A realistic event: one SNS record with a small JSON body and two attributes. */
function snsEvent(_: unknown, seq: number): unknown {
  const message = {
    seq,
    messageId: crypto.randomUUID(),
    topicArn: TOPIC_ARN,
    body: JSON.stringify({ orderId: seq, status: 'created', amount: 42.5 }),
    attributes: {
      eventType: { Type: 'String', Value: 'order.created' },
      priority: { Type: 'Number', Value: '3' },
    },
    publishedAt: Date.now(),
  };
  return buildSnsEvent(message, `${TOPIC_ARN}:0b6f0a4e-7c1d-4c43-9d7e-2f1f7f0c1a11`);
}

/** Invocations per second, and the share of that time the caller's event loop was busy. */
interface Throughput {
  perSecond: number;
  mainThreadBusy: number;
}

async function measure(pool: FunctionPool, batchSize: number): Promise<Throughput> {
  const fn = fixtureFunction('noop', { version: `batch-${batchSize}` });
  const batch = invocationsOf('noop', Array.from({ length: batchSize }, snsEvent));
  await pool.invoke(fn, batch);

  let remaining = TOTAL / batchSize;
  const lane = async (): Promise<void> => {
    while (remaining-- > 0) await pool.invoke(fn, batch);
  };

  const started = performance.now();
  const loopBefore = performance.eventLoopUtilization();
  await Promise.all(Array.from({ length: BATCHES_IN_FLIGHT }, lane));
  const loop = performance.eventLoopUtilization(loopBefore);

  return {
    perSecond: TOTAL / ((performance.now() - started) / 1000),
    mainThreadBusy: loop.utilization,
  };
}

const pool = new FunctionPool({ logger: silentLogger() });
for (const batchSize of BATCH_SIZES) {
  const { perSecond, mainThreadBusy } = await measure(pool, batchSize);
  const rate = Math.round(perSecond).toLocaleString('en-US');
  const busy = Math.round(mainThreadBusy * 100);
  console.log(`batch ${batchSize}: ${rate} invocations/s, main thread ${busy}% busy`);
}
await pool.close();
