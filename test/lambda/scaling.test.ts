import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createHerald, type Herald } from '../../src/core/herald.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor, zipHandler } from './support.js';

const SLOW_HANDLER = 'export const handler = () => new Promise((r) => setTimeout(r, 50));';

const dir = tempDir('herald-lambda-scaling-');
let herald: Herald | undefined;

afterEach(async () => {
  await herald?.close();
  herald = undefined;
});

/** Deploys the slow handler as `name`, subscribed to a topic of the same name. */
async function slowFunction(target: Herald, name: string): Promise<string> {
  const fn = await target.deployFunction({
    name,
    handler: 'index.handler',
    zip: zipHandler(dir.path, name, SLOW_HANDLER),
  });
  const topic = await target.createTopic(name);
  await target.subscribe(topic.arn, 'lambda', fn.arn);
  return topic.arn;
}

async function flood(target: Herald, topicArn: string, count: number): Promise<void> {
  const publishes = Array.from({ length: count }, (_, i) =>
    target.publish({ topicArn, message: String(i) }),
  );
  await Promise.all(publishes);
}

describe('function concurrency', () => {
  it('rises with a backlog at the scale-up rate, within reserved concurrency, then falls to zero', async () => {
    herald = await createHerald({
      dataDir: join(dir.path, 'rise'),
      functionScaleUpPerSecond: 40,
      functionScaleUpBurst: 1,
      functionIdleReleaseMs: 300,
    });
    const topicArn = await slowFunction(herald, 'rise');
    await herald.updateFunction('rise', { reservedConcurrency: 10 });

    const samples: number[] = [];
    const sampler = setInterval(() => {
      samples.push(herald?.metrics().functions['rise']?.concurrency ?? 0);
    }, 10);
    await flood(herald, topicArn, 300);
    await herald.idle();
    clearInterval(sampler);

    const peak = Math.max(...samples);
    expect(peak).toBe(10);
    const firstAtPeak = samples.indexOf(peak);
    const firstBusy = samples.findIndex((each) => each > 0);
    expect(samples[firstBusy]).toBeLessThan(4);
    expect(firstAtPeak - firstBusy).toBeGreaterThan(10);
    expect(herald.metrics().functions['rise']).toMatchObject({ peakConcurrency: 10 });

    await waitFor(() => herald?.metrics().functions['rise']?.limit === 0, 5_000);
    expect(herald.metrics().functions['rise']).toMatchObject({ concurrency: 0, limit: 0 });
    expect(herald.metrics().functions['rise']?.coldStarts).toBeGreaterThan(0);
  });

  it('shares the server-wide limit: two flooded functions both make progress', async () => {
    herald = await createHerald({ dataDir: join(dir.path, 'share'), functionConcurrencyLimit: 6 });
    const first = await slowFunction(herald, 'first');
    const second = await slowFunction(herald, 'second');

    await flood(herald, first, 120);
    await flood(herald, second, 120);
    await waitFor(() => (herald?.metrics().functions['second']?.invocations ?? 0) >= 12);

    const { functions } = herald.metrics();
    expect(functions['first']?.waiting).toBeGreaterThan(0);
    expect(functions['first']?.invocations).toBeGreaterThan(0);
    expect(functions['second']?.waiting).toBeGreaterThan(0);
    expect(
      (functions['first']?.limit ?? 0) + (functions['second']?.limit ?? 0),
    ).toBeLessThanOrEqual(6);
    expect(functions['first']?.limit).toBe(3);
    expect(functions['second']?.limit).toBe(3);
    await herald.idle();
  });
});
