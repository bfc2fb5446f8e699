import {
  CreateTopicCommand,
  ListTagsForResourceCommand,
  PublishBatchCommand,
  PublishCommand,
  SetSubscriptionAttributesCommand,
  SNSClient,
  SubscribeCommand,
  type MessageAttributeValue,
} from '@aws-sdk/client-sns';
import type Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/start.js';
import { createTopic, drain, sdkFailure, startSnsServer } from '../support/sns-sdk.js';
import { zipHandler } from '../lambda/support.js';

const LIMIT = 256 * 1024;

let dataDir: string;
let server: RunningServer;
let sns: SNSClient;
let close: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ server, sns, dataDir, close } = await startSnsServer('herald-publish-rules-', {
    client: { maxAttempts: 1 },
  }));
});

afterAll(() => close?.());

/** A topic with one queue subscription, raw or enveloped. */
async function topicWithQueue(name: string, raw: boolean) {
  const topicArn = await createTopic(sns, name);
  const queue = await server.herald.createQueue(`${name}-queue`);
  await sns.send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: 'sqs',
      Endpoint: queue.arn,
      Attributes: { RawMessageDelivery: String(raw) },
    }),
  );
  return { topicArn, queue: queue.name };
}

/** Attributes named after JavaScript built-ins, as own properties (`__proto__` included). */
function builtInNamedAttributes(): Record<string, MessageAttributeValue> {
  const attributes: Record<string, MessageAttributeValue> = {};
  for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
    Object.defineProperty(attributes, name, {
      value: { DataType: 'String', StringValue: `value of ${name}` },
      enumerable: true,
    });
  }
  return attributes;
}

describe('attribute and tag names that are JavaScript built-ins', () => {
  const expected = {
    constructor: { Type: 'String', Value: 'value of constructor' },
    ['__proto__']: { Type: 'String', Value: 'value of __proto__' },
    toString: { Type: 'String', Value: 'value of toString' },
    hasOwnProperty: { Type: 'String', Value: 'value of hasOwnProperty' },
  };

  it('publishes them and delivers them raw to a queue', async () => {
    const { topicArn, queue } = await topicWithQueue('builtin-raw', true);
    await sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Message: 'raw',
        MessageAttributes: builtInNamedAttributes(),
      }),
    );

    const [delivered] = await drain(server.herald, queue, 1);
    const attributes = delivered?.attributes ?? {};
    expect(Object.keys(attributes).sort()).toEqual(Object.keys(expected).sort());
    for (const [name, value] of Object.entries(expected)) {
      expect(Object.hasOwn(attributes, name)).toBe(true);
      expect(Object.getOwnPropertyDescriptor(attributes, name)?.value).toEqual(value);
    }
  });

  it('keeps them in the notification envelope', async () => {
    const { topicArn, queue } = await topicWithQueue('builtin-envelope', false);
    await sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Message: 'enveloped',
        MessageAttributes: builtInNamedAttributes(),
      }),
    );

    const [delivered] = await drain(server.herald, queue, 1);
    const envelope = JSON.parse(delivered?.body ?? '{}') as { MessageAttributes: object };
    expect(Object.keys(envelope.MessageAttributes).sort()).toEqual(Object.keys(expected).sort());
    const proto = Object.getOwnPropertyDescriptor(envelope.MessageAttributes, '__proto__');
    expect(proto?.value).toEqual({ Type: 'String', Value: 'value of __proto__' });
  });

  it('takes tags with such keys, and CreateTopic again with the same tags', async () => {
    const tags = [
      { Key: 'constructor', Value: 'c' },
      { Key: '__proto__', Value: 'p' },
    ];
    const command = new CreateTopicCommand({ Name: 'builtin-tags', Tags: tags });
    const { TopicArn } = await sns.send(command);
    await sns.send(command);

    const listed = await sns.send(new ListTagsForResourceCommand({ ResourceArn: TopicArn }));
    expect(listed.Tags).toEqual(expect.arrayContaining(tags));
    expect(listed.Tags).toHaveLength(2);

    const untagged = { Name: 'builtin-untagged', Tags: [{ Key: 'team', Value: 't' }] };
    await sns.send(new CreateTopicCommand(untagged));
    const again = { ...untagged, Tags: [...untagged.Tags, { Key: 'constructor', Value: 'c' }] };
    await expect(sns.send(new CreateTopicCommand(again))).resolves.toBeDefined();
  });
});

describe('message size', () => {
  /** A Binary attribute of `bytes` decoded bytes, as the SDK takes it. */
  function binary(bytes: number): Record<string, MessageAttributeValue> {
    return { blob: { DataType: 'Binary', BinaryValue: new Uint8Array(bytes).fill(7) } };
  }
  const attributeOverhead = 'blob'.length + 'Binary'.length;

  it('counts Binary attributes decoded: a message at the limit is accepted', async () => {
    const topicArn = await createTopic(sns, 'size-binary');
    const message = 'x'.repeat(1000);
    const atLimit = binary(LIMIT - message.length - attributeOverhead);
    const published = await sns.send(
      new PublishCommand({ TopicArn: topicArn, Message: message, MessageAttributes: atLimit }),
    );
    expect(published.MessageId).toBeDefined();

    const overLimit = binary(LIMIT - message.length - attributeOverhead + 1);
    expect(
      await sdkFailure(
        sns.send(
          new PublishCommand({
            TopicArn: topicArn,
            Message: message,
            MessageAttributes: overLimit,
          }),
        ),
      ),
    ).toMatchObject({
      name: 'InvalidParameterException',
      message: 'Invalid parameter: Message too long',
    });
  });

  it('checks each PublishBatch entry and the batch total with the same count', async () => {
    const topicArn = await createTopic(sns, 'size-batch');
    const message = 'x'.repeat(10);
    const attributes = binary(LIMIT - message.length - attributeOverhead);
    const atLimit = await sns.send(
      new PublishBatchCommand({
        TopicArn: topicArn,
        PublishBatchRequestEntries: [{ Id: 'a', Message: message, MessageAttributes: attributes }],
      }),
    );
    expect(atLimit.Successful).toHaveLength(1);

    const overTogether = await sdkFailure(
      sns.send(
        new PublishBatchCommand({
          TopicArn: topicArn,
          PublishBatchRequestEntries: [
            { Id: 'a', Message: message, MessageAttributes: attributes },
            { Id: 'b', Message: 'y' },
          ],
        }),
      ),
    );
    expect(overTogether.name).toBe('BatchRequestTooLongException');
  });
});

describe('subjects', () => {
  it('takes UTF-8 subjects shorter than 100 characters and refuses others as AWS does', async () => {
    const { topicArn, queue } = await topicWithQueue('subjects', false);
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'm', Subject: 'héllo' }));
    const [delivered] = await drain(server.herald, queue, 1);
    expect(JSON.parse(delivered?.body ?? '{}').Subject).toBe('héllo');
    await sns.send(
      new PublishCommand({ TopicArn: topicArn, Message: 'm', Subject: 'é'.repeat(99) }),
    );

    for (const subject of ['a\nb', 'tab\there', 'x'.repeat(100)]) {
      const refused = await sdkFailure(
        sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'm', Subject: subject })),
      );
      expect(refused, subject).toMatchObject({
        name: 'InvalidParameterException',
        message: 'Invalid parameter: Subject',
      });
    }

    const batch = await sns.send(
      new PublishBatchCommand({
        TopicArn: topicArn,
        PublishBatchRequestEntries: [
          { Id: 'ok', Message: 'm', Subject: 'héllo' },
          { Id: 'bad', Message: 'm', Subject: 'a\nb' },
        ],
      }),
    );
    expect(batch.Successful?.map((entry) => entry.Id)).toEqual(['ok']);
    expect(batch.Failed).toEqual([
      expect.objectContaining({ Id: 'bad', Message: 'Invalid parameter: Subject' }),
    ]);
  });
});

describe('raw message delivery', () => {
  it('is refused for lambda subscriptions, at Subscribe and SetSubscriptionAttributes', async () => {
    const topicArn = await createTopic(sns, 'raw-lambda');
    const definition = await server.herald.deployFunction({
      name: 'raw-lambda',
      handler: 'index.handler',
      zip: zipHandler(dataDir, 'raw-lambda', 'export const handler = async () => ({});'),
    });
    const reason =
      'Invalid parameter: Attributes Reason: Delivery protocol [lambda] does not support raw ' +
      'message delivery.';

    const subscribe = (raw: string) =>
      sns.send(
        new SubscribeCommand({
          TopicArn: topicArn,
          Protocol: 'lambda',
          Endpoint: definition.arn,
          Attributes: { RawMessageDelivery: raw },
        }),
      );
    expect(await sdkFailure(subscribe('true'))).toMatchObject({
      name: 'InvalidParameterException',
      status: 400,
      message: reason,
    });

    const { SubscriptionArn } = await subscribe('false');
    const set = sns.send(
      new SetSubscriptionAttributesCommand({
        SubscriptionArn,
        AttributeName: 'RawMessageDelivery',
        AttributeValue: 'TRUE',
      }),
    );
    expect(await sdkFailure(set)).toMatchObject({
      name: 'InvalidParameterException',
      message: reason,
    });
  });
});

describe('a data directory that cannot be written', () => {
  it('answers 503 ServiceUnavailable and does not deliver the refused message', async () => {
    const { topicArn, queue } = await topicWithQueue('disk-full', true);
    type Internals = { stores: { catalog: { db: Database.Database } } };
    const db = (server.herald as unknown as Internals).stores.catalog.db;
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages}`);
    try {
      const refused = await sdkFailure(
        sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'z'.repeat(200_000) })),
      );
      expect(refused).toMatchObject({
        name: 'ServiceUnavailable',
        status: 503,
        message:
          'Herald cannot write to its data directory (SQLITE_FULL): free disk space / check ' +
          'permissions',
      });
    } finally {
      db.pragma('max_page_count = 1073741823');
    }

    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'after' }));
    const [delivered] = await drain(server.herald, queue, 1);
    expect(delivered?.body).toBe('after');
    expect(await server.herald.receiveMessages(queue, 10)).toEqual([]);
  });
});
