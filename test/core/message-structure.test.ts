import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHerald, type Herald } from '../../src/core/herald.js';
import { parseMessageStructure } from '../../src/core/message-structure.js';
import { deployFixture } from '../support/functions.js';
import { tempDir } from '../support/temp-dir.js';

describe('parseMessageStructure', () => {
  it("keeps the default body and the entries of Herald's protocols", () => {
    const parsed = parseMessageStructure(
      JSON.stringify({ default: 'd', lambda: 'l', sqs: 's', email: 'e', http: 'h', https: 'hs' }),
    );
    expect(parsed).toEqual({
      body: 'd',
      protocolBodies: { lambda: 'l', sqs: 's', http: 'h', https: 'hs' },
    });
  });

  it('ignores entries that are not strings, as SNS does', () => {
    expect(parseMessageStructure('{"default":"d","sqs":{"nested":1},"lambda":""}')).toEqual({
      body: 'd',
      protocolBodies: { lambda: '' },
    });
    expect(parseMessageStructure('{"default":"only"}')).toEqual({ body: 'only' });
  });

  it('answers with AWS wording when the JSON is broken, not an object, or has no default', () => {
    for (const text of ['{', '[]', '"text"', 'null']) {
      expect(() => parseMessageStructure(text)).toThrow(
        'Invalid parameter: Message Structure - JSON message body failed to parse',
      );
    }
    for (const text of ['{"sqs":"x"}', '{"default":7}']) {
      expect(() => parseMessageStructure(text)).toThrow(
        'Invalid parameter: Message Structure - No default entry in JSON message body',
      );
    }
  });
});

describe('publishing with MessageStructure=json', () => {
  let dir: ReturnType<typeof tempDir>;
  let herald: Herald;

  beforeEach(async () => {
    dir = tempDir();
    herald = await createHerald({ dataDir: dir.path });
  });

  afterEach(async () => {
    await herald.close(1000);
    dir.remove();
  });

  async function queueSubscriber(topicArn: string, name: string, raw: boolean) {
    const queue = await herald.createQueue(name);
    const attributes: Record<string, string> = raw ? { RawMessageDelivery: 'true' } : {};
    await herald.subscribe(topicArn, 'sqs', queue.arn, attributes);
    return name;
  }

  it('gives each protocol its own entry, else the default', async () => {
    const out = join(dir.path, 'out.jsonl');
    const functionArn = await deployFixture(herald, 'recorder', 'recorder', {
      environment: { OUT_FILE: out },
    });
    const topic = await herald.createTopic('structured');
    await herald.subscribe(topic.arn, 'lambda', functionArn);
    const raw = await queueSubscriber(topic.arn, 'raw', true);
    const wrapped = await queueSubscriber(topic.arn, 'wrapped', false);

    await herald.publish({
      topicArn: topic.arn,
      messageStructure: 'json',
      message: JSON.stringify({ default: 'd', lambda: 'for-lambda', sqs: 'for-sqs' }),
    });
    await herald.idle();

    const [rawMessage] = await herald.receiveMessages(raw, 10);
    expect(rawMessage?.body).toBe('for-sqs');
    const [envelope] = await herald.receiveMessages(wrapped, 10);
    expect(JSON.parse(envelope!.body)).toMatchObject({ Type: 'Notification', Message: 'for-sqs' });
    const line = existsSync(out) ? readFileSync(out, 'utf8').trim() : '';
    const recorded = JSON.parse(line) as {
      event: { Records: Array<{ Sns: { Message: string } }> };
    };
    expect(recorded.event.Records[0]?.Sns.Message).toBe('for-lambda');

    await herald.publish({
      topicArn: topic.arn,
      messageStructure: 'json',
      message: JSON.stringify({ default: 'fallback', lambda: 'l' }),
    });
    await herald.idle();
    expect((await herald.receiveMessages(raw, 10)).map((m) => m.body)).toEqual(['fallback']);
  });

  it('filters a MessageBody policy on the body its subscription receives', async () => {
    const topic = await herald.createTopic('filtered');
    const queue = await herald.createQueue('orders');
    await herald.subscribe(topic.arn, 'sqs', queue.arn, {
      RawMessageDelivery: 'true',
      FilterPolicyScope: 'MessageBody',
      FilterPolicy: JSON.stringify({ kind: ['order'] }),
    });

    const publish = (entries: Record<string, string>) =>
      herald.publish({
        topicArn: topic.arn,
        messageStructure: 'json',
        message: JSON.stringify(entries),
      });
    await publish({ default: '{"kind":"order"}', sqs: '{"kind":"other"}' });
    await publish({ default: '{"kind":"other"}', sqs: '{"kind":"order"}' });
    await publish({ default: '{"kind":"order"}' });
    await herald.idle();

    expect((await herald.receiveMessages('orders', 10)).map((m) => m.body)).toEqual([
      '{"kind":"order"}',
      '{"kind":"order"}',
    ]);
  });

  it('counts the whole published text against the size limit', async () => {
    await herald.close(1000);
    herald = await createHerald({ dataDir: dir.path, maxMessageBytes: 100 });
    const topic = await herald.createTopic('small');
    const message = JSON.stringify({ default: 'd', sqs: 'x'.repeat(90) });
    await expect(
      herald.publish({ topicArn: topic.arn, messageStructure: 'json', message }),
    ).rejects.toThrow('Invalid parameter: Message too long');
  });

  it('keeps per-protocol bodies of pending deliveries across a restart', async () => {
    const topic = await herald.createTopic('durable');
    const queue = await herald.createQueue('later');
    await herald.subscribe(topic.arn, 'sqs', queue.arn, { RawMessageDelivery: 'true' });
    await herald.deleteQueue('later');

    await herald.publish({
      topicArn: topic.arn,
      messageStructure: 'json',
      message: JSON.stringify({ default: 'd', sqs: 'kept' }),
    });
    await herald.close(1000);

    herald = await createHerald({ dataDir: dir.path });
    await herald.createQueue('later');
    await herald.idle();
    expect((await herald.receiveMessages('later', 10)).map((m) => m.body)).toEqual(['kept']);
  });
});
