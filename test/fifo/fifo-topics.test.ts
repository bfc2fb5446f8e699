import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHerald, type Herald } from '../../src/core/herald.js';
import { deployFixture } from '../support/functions.js';
import { tempDir } from '../support/temp-dir.js';

describe('FIFO topics', () => {
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

  async function fifoTopic(name = 'orders.fifo', attributes: Record<string, string> = {}) {
    return herald.createTopic(name, { FifoTopic: 'true', ...attributes });
  }

  async function queueOn(topicArn: string, name: string): Promise<string> {
    const queue = await herald.createQueue(name);
    await herald.subscribe(topicArn, 'sqs', queue.arn, { RawMessageDelivery: 'true' });
    return name;
  }

  async function bodies(queueName: string): Promise<string[]> {
    await herald.idle();
    return (await herald.receiveMessages(queueName, 100)).map((message) => message.body);
  }

  it('names FIFO topics, and only FIFO topics, with .fifo', async () => {
    await expect(herald.createTopic('plain', { FifoTopic: 'true' })).rejects.toThrow(
      'Fifo Topic names must end with .fifo',
    );
    await expect(herald.createTopic('sneaky.fifo')).rejects.toThrow(
      'Invalid parameter: Topic Name',
    );
    await expect(herald.createTopic('sneaky.fifo', { FifoTopic: 'false' })).rejects.toThrow(
      'Invalid parameter: Topic Name',
    );
    const topic = await fifoTopic();
    expect(await herald.getTopicAttributes(topic.arn)).toMatchObject({
      FifoTopic: 'true',
      ContentBasedDeduplication: 'false',
    });
  });

  it('accepts only SQS subscriptions', async () => {
    const topic = await fifoTopic();
    const functionArn = await deployFixture(herald, 'recorder', 'recorder');
    await expect(herald.subscribe(topic.arn, 'lambda', functionArn)).rejects.toThrow(
      'Invalid parameter: Invalid protocol type: lambda',
    );
    await expect(herald.subscribe(topic.arn, 'https', 'https://example.com/')).rejects.toThrow(
      'Invalid parameter: Invalid protocol type: https',
    );
    await queueOn(topic.arn, 'q');
  });

  it('requires a MessageGroupId and a deduplication id, in AWS wording', async () => {
    const topic = await fifoTopic();
    await expect(
      herald.publish({ topicArn: topic.arn, message: 'm', messageDeduplicationId: 'd' }),
    ).rejects.toThrow(
      'Invalid parameter: The MessageGroupId parameter is required for FIFO topics',
    );
    await expect(
      herald.publish({ topicArn: topic.arn, message: 'm', messageGroupId: 'g' }),
    ).rejects.toThrow(
      'Invalid parameter: The topic should either have ContentBasedDeduplication enabled or ' +
        'MessageDeduplicationId provided explicitly',
    );
    await expect(
      herald.publish({
        topicArn: topic.arn,
        message: 'm',
        messageGroupId: 'bad group',
        messageDeduplicationId: 'd',
      }),
    ).rejects.toThrow('MessageGroupId Reason');
  });

  it('allows a MessageGroupId on standard topics but not a deduplication id', async () => {
    const topic = await herald.createTopic('standard');
    const queue = await queueOn(topic.arn, 'fair');
    const { sequenceNumber } = await herald.publish({
      topicArn: topic.arn,
      message: 'm',
      messageGroupId: 'tenant-1',
    });
    expect(sequenceNumber).toBeUndefined();
    await expect(
      herald.publish({ topicArn: topic.arn, message: 'm', messageDeduplicationId: 'd' }),
    ).rejects.toThrow(
      'MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter ' +
        'that is not valid for this topic type',
    );
    expect(await bodies(queue)).toEqual(['m']);
  });

  it('answers a duplicate with the original MessageId and delivers it once', async () => {
    const topic = await fifoTopic();
    const queue = await queueOn(topic.arn, 'q');
    const publish = (message: string, messageDeduplicationId: string) =>
      herald.publish({ topicArn: topic.arn, message, messageGroupId: 'g', messageDeduplicationId });

    const first = await publish('one', 'd1');
    const again = await publish('one again', 'd1');
    const second = await publish('two', 'd2');
    expect(again).toEqual(first);
    expect(first.sequenceNumber).toMatch(/^\d{20}$/);
    expect(BigInt(second.sequenceNumber!)).toBeGreaterThan(BigInt(first.sequenceNumber!));
    expect(await bodies(queue)).toEqual(['one', 'two']);
  });

  it('deduplicates by the SHA-256 of the body with ContentBasedDeduplication', async () => {
    const topic = await fifoTopic('content.fifo', { ContentBasedDeduplication: 'true' });
    const queue = await queueOn(topic.arn, 'q');
    const publish = (message: string) =>
      herald.publish({ topicArn: topic.arn, message, messageGroupId: 'g' });

    const first = await publish('same');
    expect(await publish('same')).toEqual(first);
    expect((await publish('different')).messageId).not.toBe(first.messageId);
    expect(await bodies(queue)).toEqual(['same', 'different']);
  });

  it('scopes deduplication to the message group with FifoThroughputScope=MessageGroup', async () => {
    const topic = await fifoTopic('groups.fifo', { FifoThroughputScope: 'MessageGroup' });
    const queue = await queueOn(topic.arn, 'q');
    const publish = (message: string, messageGroupId: string) =>
      herald.publish({ topicArn: topic.arn, message, messageGroupId, messageDeduplicationId: 'd' });

    await publish('a', 'g1');
    await publish('b', 'g2');
    await publish('c', 'g1');
    expect(await bodies(queue)).toEqual(['a', 'b']);
  });

  it('checks a whole batch for FIFO fields and deduplicates within it', async () => {
    const topic = await fifoTopic();
    const queue = await queueOn(topic.arn, 'q');
    await expect(
      herald.publishBatch(topic.arn, [
        { id: 'a', message: 'm', messageGroupId: 'g', messageDeduplicationId: 'd' },
        { id: 'b', message: 'm', messageDeduplicationId: 'd' },
      ]),
    ).rejects.toThrow('The MessageGroupId parameter is required for FIFO topics');

    const result = await herald.publishBatch(topic.arn, [
      { id: 'a', message: 'first', messageGroupId: 'g', messageDeduplicationId: 'd1' },
      { id: 'b', message: 'repeat', messageGroupId: 'g', messageDeduplicationId: 'd1' },
      { id: 'c', message: 'second', messageGroupId: 'g', messageDeduplicationId: 'd2' },
    ]);
    const [a, b, c] = result.successful;
    expect(b?.messageId).toBe(a?.messageId);
    expect(b?.sequenceNumber).toBe(a?.sequenceNumber);
    expect(BigInt(c!.sequenceNumber!)).toBeGreaterThan(BigInt(a!.sequenceNumber!));
    expect(await bodies(queue)).toEqual(['first', 'second']);
  });

  it('remembers deduplication ids and sequence numbers across a restart', async () => {
    const topic = await fifoTopic();
    await queueOn(topic.arn, 'q');
    const publish = (message: string, messageDeduplicationId: string) =>
      herald.publish({ topicArn: topic.arn, message, messageGroupId: 'g', messageDeduplicationId });

    const first = await publish('one', 'd1');
    await herald.idle();
    await herald.close(1000);

    herald = await createHerald({ dataDir: dir.path });
    expect(await publish('one', 'd1')).toEqual(first);
    const next = await publish('two', 'd2');
    expect(BigInt(next.sequenceNumber!)).toBeGreaterThan(BigInt(first.sequenceNumber!));
    expect(await bodies('q')).toEqual(['one', 'two']);
  });
});
