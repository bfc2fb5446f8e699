import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createHerald, type Herald } from '../../src/core/herald.js';
import { deployFixture } from '../support/functions.js';
import { tempDir } from '../support/temp-dir.js';

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('restarts with deliveries to deleted subscriptions', () => {
  const dir = tempDir();
  afterAll(() => dir.remove());

  it('keeps the message for the subscriptions that remain', async () => {
    const out = join(dir.path, 'out.jsonl');
    const options = { dataDir: dir.path, retryBaseDelayMs: 1500, retryMaxDelayMs: 1500 };

    let herald: Herald = await createHerald(options);
    const gone = await deployFixture(herald, 'gone', 'thrower');
    const kept = await deployFixture(herald, 'kept', 'thrower');
    const topic = await herald.createTopic('fanout');
    const goneSubscription = await herald.subscribe(topic.arn, 'lambda', gone);
    await herald.subscribe(topic.arn, 'lambda', kept);
    const { messageId } = await herald.publish({ topicArn: topic.arn, message: 'keep me' });
    await until(() =>
      Object.values(herald.metrics().subscriptions).every((s) => s.failedAttempts >= 1),
    );
    await herald.unsubscribe(goneSubscription.arn);
    await herald.close(0);

    herald = await createHerald(options);
    await herald.close(0);

    herald = await createHerald({ ...options, retryBaseDelayMs: 10 });
    await deployFixture(herald, 'kept', 'recorder', { environment: { OUT_FILE: out } });
    await until(() => existsSync(out));
    await herald.idle();
    await herald.close(0);

    const delivered = readFileSync(out, 'utf8').trim().split('\n');
    expect(delivered.map((line) => (JSON.parse(line) as { messageId: string }).messageId)).toEqual([
      messageId,
    ]);
  });
});
