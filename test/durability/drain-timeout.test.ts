import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createHerald } from '../../src/core/herald.js';
import { zipHandler } from '../lambda/support.js';
import { tempDir } from '../support/temp-dir.js';

/** A handler that never ends until its release file exists; records what it finished. */
const STUCK = `
import { appendFileSync, existsSync } from 'node:fs';
export const handler = async (event) => {
  const message = event.Records[0].Sns.Message;
  if (!existsSync(process.env.RELEASE)) await new Promise(() => {});
  appendFileSync(process.env.OUT, message + '\\n');
};
`;

describe('closing with invocations still running', () => {
  const dir = tempDir();
  afterAll(() => dir.remove());

  it('ends them after the drain timeout and delivers them at the next start', async () => {
    const dataDir = join(dir.path, 'data');
    const out = join(dir.path, 'out.txt');
    const zip = zipHandler(dir.path, 'stuck', STUCK);
    const deploy = { name: 'stuck', handler: 'index.handler', zip, timeoutSeconds: 900 };

    const herald = await createHerald({ dataDir });
    const release = join(dir.path, 'release');
    const fn = await herald.deployFunction({
      ...deploy,
      environment: { OUT: out, RELEASE: release },
    });
    const topic = await herald.createTopic('orders');
    await herald.subscribe(topic.arn, 'lambda', fn.arn);
    await herald.publish({ topicArn: topic.arn, message: 'held' });
    for (let i = 0; i < 100 && herald.metrics().functions['stuck']?.concurrency !== 1; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await herald.close(200);

    writeFileSync(release, '');
    const reopened = await createHerald({ dataDir });
    await reopened.idle();
    expect(readFileSync(out, 'utf8')).toBe('held\n');
    const { subscriptions } = reopened.metrics();
    expect(Object.values(subscriptions).map((s) => s.failedAttempts)).toEqual([0]);
    await reopened.close(1000);
  }, 30_000);
});
