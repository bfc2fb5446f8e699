import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHerald, type Herald } from '../../src/core/herald.js';
import { deployFixture } from '../support/functions.js';
import { tempDir } from '../support/temp-dir.js';

interface Recorded {
  messageId: string;
  subscriptionArn: string;
  event: { Records: Array<{ EventSource: string; Sns: Record<string, unknown> }> };
}

function recorded(file: string): Recorded[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Recorded);
}

describe('delivery to functions', () => {
  let dir: ReturnType<typeof tempDir>;
  let herald: Herald;

  beforeEach(async () => {
    dir = tempDir();
    herald = await createHerald({ dataDir: dir.path, retryBaseDelayMs: 20, retryMaxDelayMs: 50 });
  });

  afterEach(async () => {
    await herald.close(1000);
    dir.remove();
  });

  it('delivers the SNS event shape a Lambda handler expects', async () => {
    const out = join(dir.path, 'out.jsonl');
    const arn = await deployFixture(herald, 'recorder', 'recorder', {
      environment: { OUT_FILE: out },
    });
    const topic = await herald.createTopic('orders');
    const subscription = await herald.subscribe(topic.arn, 'lambda', arn);

    const { messageId } = await herald.publish({
      topicArn: topic.arn,
      message: '{"order":1}',
      subject: 'New order',
      attributes: { store: { Type: 'String', Value: 'example_corp' } },
    });
    await herald.idle();

    const [line] = recorded(out);
    expect(line?.messageId).toBe(messageId);
    const record = line!.event.Records[0]!;
    expect(record.EventSource).toBe('aws:sns');
    expect(line!.subscriptionArn).toBe(subscription.arn);
    expect(record.Sns).toMatchObject({
      Type: 'Notification',
      MessageId: messageId,
      TopicArn: topic.arn,
      Subject: 'New order',
      Message: '{"order":1}',
      MessageAttributes: { store: { Type: 'String', Value: 'example_corp' } },
    });
    expect(Date.parse(record.Sns.Timestamp as string)).toBeGreaterThan(0);
  });

  it('delivers only what a filter policy accepts', async () => {
    const out = join(dir.path, 'out.jsonl');
    const arn = await deployFixture(herald, 'recorder', 'recorder', {
      environment: { OUT_FILE: out },
    });
    const topic = await herald.createTopic('orders');
    await herald.subscribe(topic.arn, 'lambda', arn, {
      FilterPolicy: JSON.stringify({ price: [{ numeric: ['>=', 100] }] }),
    });

    for (const price of [5, 150, 99.5, 100]) {
      await herald.publish({
        topicArn: topic.arn,
        message: `price ${price}`,
        attributes: { price: { Type: 'Number', Value: String(price) } },
      });
    }
    await herald.idle();

    const bodies = recorded(out)
      .map((r) => r.event.Records[0]!.Sns.Message)
      .sort();
    expect(bodies).toEqual(['price 100', 'price 150']);
  });

  for (const [fixture, expected] of [
    ['thrower', /cannot process/],
    ['hanger', /timed out/i],
    ['exiter', /exit/i],
    ['self-killer', /exit/i],
  ] as const) {
    it(`retries a ${fixture} handler, then dead-letters it with the reason`, async () => {
      const arn = await deployFixture(herald, fixture, fixture, { timeoutSeconds: 1 });
      await herald.createQueue('dlq');
      const topic = await herald.createTopic('jobs');
      const subscription = await herald.subscribe(topic.arn, 'lambda', arn, {
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:dlq',
        }),
      });

      const { messageId } = await herald.publish({
        topicArn: topic.arn,
        message: 'payload',
        attributes: { kind: { Type: 'String', Value: 'test' } },
      });
      await herald.idle();

      const counters = herald.metrics().subscriptions[subscription.arn]!;
      expect(counters.failedAttempts).toBe(3);
      expect(counters.deadLettered).toBe(1);

      const [letter] = await herald.listDeadLetters('dlq');
      expect(letter).toMatchObject({
        messageId,
        subscriptionArn: subscription.arn,
        body: 'payload',
        attributes: { kind: { Type: 'String', Value: 'test' } },
      });
      expect(letter?.errorMessage).toMatch(expected);
    });
  }

  it('keeps delivering to healthy functions while another one crashes', async () => {
    const out = join(dir.path, 'out.jsonl');
    const good = await deployFixture(herald, 'recorder', 'recorder', {
      environment: { OUT_FILE: out },
    });
    const bad = await deployFixture(herald, 'exiter', 'exiter');
    const topic = await herald.createTopic('mixed');
    await herald.subscribe(topic.arn, 'lambda', good);
    await herald.subscribe(topic.arn, 'lambda', bad);

    const ids = [];
    for (let i = 0; i < 10; i++) {
      ids.push((await herald.publish({ topicArn: topic.arn, message: `m${i}` })).messageId);
    }
    await herald.idle();

    expect(new Set(recorded(out).map((r) => r.messageId))).toEqual(new Set(ids));
    const letters = await herald.listDeadLetters(undefined, 1000);
    expect(letters).toHaveLength(10);
  });

  it('redrives dead letters to the subscription they came from, as first published', async () => {
    const out = join(dir.path, 'out.jsonl');
    const witness = await deployFixture(herald, 'witness', 'recorder', {
      environment: { OUT_FILE: out },
    });
    const flaky = await deployFixture(herald, 'flaky', 'thrower');
    await herald.createQueue('dlq');
    const topic = await herald.createTopic('redrive');
    const watched = await herald.subscribe(topic.arn, 'lambda', witness);
    const subscription = await herald.subscribe(topic.arn, 'lambda', flaky, {
      RedrivePolicy: JSON.stringify({
        deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:dlq',
      }),
    });
    const { messageId } = await herald.publish({
      topicArn: topic.arn,
      message: 'again',
      subject: 'Second chance',
      attributes: {
        store: { Type: 'String', Value: 'example_corp' },
        blob: { Type: 'Binary', Value: 'AQID' },
      },
    });
    await herald.idle();
    expect(await herald.listDeadLetters('dlq')).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 20));

    await deployFixture(herald, 'flaky', 'recorder', { environment: { OUT_FILE: out } });
    expect(await herald.redriveDeadLetters('dlq')).toEqual({ redriven: 1, remaining: 0 });
    await herald.idle();

    const byArn = new Map(recorded(out).map((r) => [r.subscriptionArn, r.event.Records[0]!.Sns]));
    const original = byArn.get(watched.arn);
    const redriven = byArn.get(subscription.arn);
    expect(redriven).toBeDefined();
    const fields = ['Subject', 'Timestamp', 'MessageId', 'MessageAttributes'] as const;
    const pick = (sns: Record<string, unknown> | undefined) =>
      Object.fromEntries(fields.map((field) => [field, sns?.[field]]));
    expect(pick(redriven)).toEqual(pick(original));
    expect(redriven).toMatchObject({ MessageId: messageId, Subject: 'Second chance' });
    expect(await herald.listDeadLetters('dlq')).toHaveLength(0);
  });

  it('keeps topics, subscriptions and functions across a restart', async () => {
    const out = join(dir.path, 'out.jsonl');
    await herald.createQueue('parked');
    const topic = await herald.createTopic('later');
    await deployFixture(herald, 'recorder', 'recorder', { environment: { OUT_FILE: out } });
    const arn = (await herald.getFunction('recorder')).arn;
    await herald.subscribe(topic.arn, 'lambda', arn);
    await herald.close(0);

    herald = await createHerald({ dataDir: dir.path });
    const ids = [];
    for (let i = 0; i < 20; i++) {
      ids.push((await herald.publish({ topicArn: topic.arn, message: `m${i}` })).messageId);
    }
    await herald.idle();
    expect(new Set(recorded(out).map((r) => r.messageId))).toEqual(new Set(ids));
  });
});
