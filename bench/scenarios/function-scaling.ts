import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { createHerald, type Herald } from '../../src/core/herald.js';
import { zipDirectory } from '../../src/functions/bundle.js';
import { buildSnsEvent } from '../../src/functions/sns-event.js';
import { silentLogger } from '../../src/log/logger.js';
import type { BenchTable, Scenario } from '../scenario.js';

const NOOP_FUNCTION_DIR = fileURLToPath(new URL('../functions/noop/', import.meta.url));
const SLOW_HANDLER = 'export const handler = () => new Promise((r) => setTimeout(r, 50));\n';
const SAMPLE_MS = 5;
const RESERVED = 50;

/** What the scaling phase measured. */
interface ScalingResult {
  events: number;
  drainMs: number;
  peak: number;
  peakAfterMs: number;
  coldStarts: number;
}

/** What the overhead phase measured. */
interface OverheadResult {
  invocations: number;
  heraldPerSecond: number;
  inProcessPerSecond: number;
}

async function withHerald<T>(run: (herald: Herald, dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'herald-bench-scaling-'));
  const herald = await createHerald({ dataDir: join(dir, 'data'), logger: silentLogger() });
  try {
    return await run(herald, dir);
  } finally {
    await herald.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function subscribed(herald: Herald, name: string, zip: Uint8Array): Promise<string> {
  const fn = await herald.deployFunction({ name, handler: 'index.handler', zip });
  const topic = await herald.createTopic(name);
  await herald.subscribe(topic.arn, 'lambda', fn.arn);
  return topic.arn;
}

async function publishAll(herald: Herald, topicArn: string, count: number): Promise<void> {
  const publishes = Array.from({ length: count }, (_, i) =>
    herald.publish({ topicArn, message: `event ${i}` }),
  );
  await Promise.all(publishes);
}

/** 50 ms events published at once to a function with reserved concurrency 50. */
async function measureScaling(events: number): Promise<ScalingResult> {
  return withHerald(async (herald, dir) => {
    const source = join(dir, 'slow');
    await mkdir(source);
    await writeFile(join(source, 'index.mjs'), SLOW_HANDLER);
    const topicArn = await subscribed(herald, 'slow', zipDirectory(source));
    await herald.updateFunction('slow', { reservedConcurrency: RESERVED });

    let peak = 0;
    let peakAt = 0;
    const startedAt = performance.now();
    const sampler = setInterval(() => {
      const concurrency = herald.metrics().functions['slow']?.concurrency ?? 0;
      if (concurrency > peak) {
        peak = concurrency;
        peakAt = performance.now();
      }
    }, SAMPLE_MS);
    await publishAll(herald, topicArn, events);
    await herald.idle();
    const drainMs = performance.now() - startedAt;
    clearInterval(sampler);

    const coldStarts = herald.metrics().functions['slow']?.coldStarts ?? 0;
    return { events, drainMs, peak, peakAfterMs: peakAt - startedAt, coldStarts };
  });
}

/** No-op invocations per second through Herald, against calling the handler in-process. */
async function measureOverhead(invocations: number): Promise<OverheadResult> {
  const heraldPerSecond = await withHerald(async (herald) => {
    const topicArn = await subscribed(herald, 'noop', zipDirectory(NOOP_FUNCTION_DIR));
    await publishAll(herald, topicArn, 1);
    await herald.idle();

    const startedAt = performance.now();
    await publishAll(herald, topicArn, invocations);
    await herald.idle();
    return invocations / ((performance.now() - startedAt) / 1000);
  });

  const modulePath = join(NOOP_FUNCTION_DIR, 'index.mjs');
  const { handler } = (await import(modulePath)) as { handler: (event: unknown) => Promise<void> };
  const message = {
    seq: 1,
    messageId: 'm',
    topicArn: 'arn:aws:sns:us-east-1:000000000000:noop',
    body: 'event',
    attributes: {},
    publishedAt: Date.now(),
  };
  const startedAt = performance.now();
  for (let i = 0; i < invocations; i++) {
    await handler(buildSnsEvent(message, `${message.topicArn}:sub`));
  }
  const inProcessPerSecond = invocations / ((performance.now() - startedAt) / 1000);
  return { invocations, heraldPerSecond, inProcessPerSecond };
}

/**
 * Function scaling: how fast a function's concurrency follows a backlog up to its
 * reserved concurrency, and what one invocation costs on top of the handler itself.
 */
export async function runFunctionScalingBench(opts: { quick: boolean }): Promise<BenchTable> {
  const scaling = await measureScaling(opts.quick ? 1_000 : 5_000);
  const overhead = await measureOverhead(opts.quick ? 10_000 : 50_000);
  const overheadMicros = 1e6 / overhead.heraldPerSecond - 1e6 / overhead.inProcessPerSecond;
  const ideal = (scaling.events / RESERVED) * 50;

  return {
    title: 'Function scaling and per-invocation overhead',
    columns: ['Measure', 'Value'],
    rows: [
      ['50 ms events published at once', scaling.events],
      ['Time to drain (ms)', Math.round(scaling.drainMs)],
      [`Ideal at ${RESERVED} in flight (ms)`, Math.round(ideal)],
      ['Peak concurrency', scaling.peak],
      ['Peak reached after (ms)', Math.round(scaling.peakAfterMs)],
      ['Cold starts', scaling.coldStarts],
      ['No-op invocations through Herald (per s)', Math.round(overhead.heraldPerSecond)],
      ['Same handler called in-process (per s)', Math.round(overhead.inProcessPerSecond)],
      ['Overhead per invocation (µs)', overheadMicros.toFixed(1)],
    ],
    notes: [
      `Embedded Herald, default scaling settings; reserved concurrency ${RESERVED}; the ` +
        `timer starts at the first publish. Concurrency sampled every ${SAMPLE_MS} ms from ` +
        'herald.metrics().functions.',
      `Overhead: ${overhead.invocations} messages published to a topic with one no-op ` +
        'function (publish, journal commit, delivery, worker round trip, ack), after one ' +
        'warm-up message; in-process = awaiting the same handler on the same SNS event in a ' +
        'loop in this process.',
    ],
    data: { scaling, overhead },
  };
}

/** The function-scaling scenario for the bench runner. */
export const functionScalingScenario: Scenario = {
  name: 'function-scaling',
  run: runFunctionScalingBench,
};
