import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createHerald, type Herald } from '../../src/core/herald.js';
import { natsUrl, removePrefix, uniquePrefix } from '../support/nats.js';
import { tempDir } from '../support/temp-dir.js';

describe('FIFO topics on two nodes', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('keeps delivering after groups were published through both nodes', async () => {
    const prefix = uniquePrefix();
    const dir = tempDir();
    cleanups.push(async () => dir.remove());
    cleanups.push(async () => void (await removePrefix(prefix)));
    const store = { kind: 'nats' as const, servers: [natsUrl()], prefix, ackWaitMs: 2000 };
    const nodes: Herald[] = [];
    for (const name of ['a', 'b']) {
      const herald = await createHerald({ dataDir: join(dir.path, name), store });
      cleanups.push(() => herald.close(1000));
      nodes.push(herald);
    }
    const [a, b] = nodes as [Herald, Herald];
    const topic = await a.createTopic('t.fifo', { FifoTopic: 'true' });
    const queue = await a.createQueue('q.fifo');
    await a.subscribe(topic.arn, 'sqs', queue.arn, { RawMessageDelivery: 'true' });
    await new Promise((resolve) => setTimeout(resolve, 1000));

    const sent: string[] = [];
    await Promise.all(
      ['g1', 'g2'].map(async (group) => {
        for (let i = 0; i < 30; i++) {
          const node = i % 2 ? a : b;
          await node.publish({
            topicArn: topic.arn,
            message: `${group}-${i}`,
            messageGroupId: group,
            messageDeduplicationId: `${group}-${i}`,
          });
          sent.push(`${group}-${i}`);
        }
      }),
    );
    const received: string[] = [];
    const drain = async (until: number) => {
      const deadline = Date.now() + 20_000;
      while (received.length < until && Date.now() < deadline) {
        received.push(...(await b.receiveMessages('q.fifo', 10)).map((m) => m.body));
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    await drain(60);
    expect(received).toHaveLength(60);

    await new Promise((resolve) => setTimeout(resolve, 6_000));
    await a.publish({
      topicArn: topic.arn,
      message: 'probe',
      messageGroupId: 'gz',
      messageDeduplicationId: 'probe',
    });
    await drain(61);
    expect(received.at(-1)).toBe('probe');
  }, 60_000);
});
