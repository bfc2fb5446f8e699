import {
  CreateTopicCommand,
  DeleteTopicCommand,
  GetSubscriptionAttributesCommand,
  GetTopicAttributesCommand,
  ListSubscriptionsByTopicCommand,
  ListSubscriptionsCommand,
  ListTopicsCommand,
  PublishBatchCommand,
  PublishCommand,
  SetSubscriptionAttributesCommand,
  SetTopicAttributesCommand,
  SNSClient,
  SubscribeCommand,
  UnsubscribeCommand,
} from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/start.js';
import { createTopic, drain, sdkFailure, startSnsServer } from '../support/sns-sdk.js';

let server: RunningServer;
let sns: SNSClient;
let close: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ server, sns, close } = await startSnsServer('herald-sns-sdk-'));
});

afterAll(() => close?.());

describe('topics over the AWS SDK', () => {
  it('creates topics idempotently, with attributes and tags', async () => {
    const command = new CreateTopicCommand({
      Name: 'sdk-orders',
      Attributes: { DisplayName: 'Orders' },
      Tags: [{ Key: 'team', Value: 'core' }],
    });
    const first = await sns.send(command);
    const second = await sns.send(command);

    expect(first.TopicArn).toBe('arn:aws:sns:us-east-1:000000000000:sdk-orders');
    expect(second.TopicArn).toBe(first.TopicArn);
    expect(first.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('gets and sets topic attributes', async () => {
    const arn = await createTopic(sns, 'sdk-attributes');
    await sns.send(
      new SetTopicAttributesCommand({
        TopicArn: arn,
        AttributeName: 'DisplayName',
        AttributeValue: 'Shown <&> here',
      }),
    );

    const { Attributes } = await sns.send(new GetTopicAttributesCommand({ TopicArn: arn }));
    expect(Attributes).toMatchObject({ TopicArn: arn, DisplayName: 'Shown <&> here' });
  });

  it('pages through ListTopics with NextToken', async () => {
    for (let i = 0; i < 101; i++) await createTopic(sns, `sdk-page-${String(i).padStart(3, '0')}`);

    const arns: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await sns.send(new ListTopicsCommand({ NextToken: nextToken }));
      arns.push(...(page.Topics ?? []).map((topic) => topic.TopicArn ?? ''));
      nextToken = page.NextToken;
      pages++;
    } while (nextToken);

    expect(pages).toBeGreaterThan(1);
    expect(new Set(arns).size).toBe(arns.length);
    expect(arns.filter((arn) => arn.includes(':sdk-page-'))).toHaveLength(101);
  });

  it('deletes topics', async () => {
    const arn = await createTopic(sns, 'sdk-doomed');
    await sns.send(new DeleteTopicCommand({ TopicArn: arn }));

    const error = await sdkFailure(sns.send(new GetTopicAttributesCommand({ TopicArn: arn })));
    expect(error).toMatchObject({ name: 'NotFoundException', status: 404 });
  });
});

describe('publishing over the AWS SDK', () => {
  let topicArn: string;
  const queue = 'sdk-publish-queue';

  beforeAll(async () => {
    topicArn = await createTopic(sns, 'sdk-publish');
    const { arn } = await server.herald.createQueue(queue);
    await sns.send(
      new SubscribeCommand({
        TopicArn: topicArn,
        Protocol: 'sqs',
        Endpoint: arn,
        Attributes: { RawMessageDelivery: 'true' },
      }),
    );
  });

  it('publishes a message with every attribute type, delivered as sent', async () => {
    const { MessageId } = await sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Message: 'héllo <world> & all',
        Subject: 'Greeting',
        MessageAttributes: {
          kind: { DataType: 'String', StringValue: 'order' },
          total: { DataType: 'Number', StringValue: '12.50' },
          blob: { DataType: 'Binary', BinaryValue: new Uint8Array([0, 1, 254, 255]) },
          tags: { DataType: 'String.Array', StringValue: '["a","b"]' },
        },
      }),
    );
    expect(MessageId).toMatch(/^[0-9a-f-]{36}$/);

    const [delivered] = await drain(server.herald, queue, 1);
    expect(delivered?.body).toBe('héllo <world> & all');
    expect(delivered?.attributes).toEqual({
      kind: { Type: 'String', Value: 'order' },
      total: { Type: 'Number', Value: '12.50' },
      blob: { Type: 'Binary', Value: Buffer.from([0, 1, 254, 255]).toString('base64') },
      tags: { Type: 'String.Array', Value: '["a","b"]' },
    });
  });

  it('publishes through TargetArn and picks the default of a JSON message', async () => {
    await sns.send(
      new PublishCommand({
        TargetArn: topicArn,
        MessageStructure: 'json',
        Message: JSON.stringify({ default: 'for everyone', email: 'for mail' }),
      }),
    );
    const [delivered] = await drain(server.herald, queue, 1);
    expect(delivered?.body).toBe('for everyone');
  });

  it('publishes batches and reports each entry', async () => {
    const { Successful, Failed } = await sns.send(
      new PublishBatchCommand({
        TopicArn: topicArn,
        PublishBatchRequestEntries: [
          { Id: 'one', Message: 'first' },
          {
            Id: 'two',
            Message: 'second',
            MessageAttributes: { n: { DataType: 'Number', StringValue: '2' } },
          },
          { Id: 'broken', Message: '{}', MessageStructure: 'json' },
        ],
      }),
    );

    expect(Successful?.map((entry) => entry.Id).sort()).toEqual(['one', 'two']);
    expect(Successful?.every((entry) => /^[0-9a-f-]{36}$/.test(entry.MessageId ?? ''))).toBe(true);
    expect(Failed).toEqual([
      {
        Id: 'broken',
        Code: 'InvalidParameter',
        Message: 'Invalid parameter: Message Structure - No default entry in JSON message body',
        SenderFault: true,
      },
    ]);
    const bodies = (await drain(server.herald, queue, 2)).map((message) => message.body).sort();
    expect(bodies).toEqual(['first', 'second']);
  });

  it('refuses invalid publishes with the errors AWS answers', async () => {
    const tooLong = await sdkFailure(
      sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'x'.repeat(256 * 1024 + 1) })),
    );
    expect(tooLong).toMatchObject({
      name: 'InvalidParameterException',
      status: 400,
      message: 'Invalid parameter: Message too long',
    });

    const badNumber = await sdkFailure(
      sns.send(
        new PublishCommand({
          TopicArn: topicArn,
          Message: 'x',
          MessageAttributes: { n: { DataType: 'Number', StringValue: 'twelve' } },
        }),
      ),
    );
    expect(badNumber).toMatchObject({ name: 'InvalidParameterValueException', status: 400 });

    const badName = await sdkFailure(
      sns.send(
        new PublishCommand({
          TopicArn: topicArn,
          Message: 'x',
          MessageAttributes: { 'AWS.reserved': { DataType: 'String', StringValue: 'x' } },
        }),
      ),
    );
    expect(badName).toMatchObject({ name: 'InvalidParameterValueException', status: 400 });

    const noDefault = await sdkFailure(
      sns.send(new PublishCommand({ TopicArn: topicArn, Message: '{}', MessageStructure: 'json' })),
    );
    expect(noDefault.message).toBe(
      'Invalid parameter: Message Structure - No default entry in JSON message body',
    );

    const sms = await sdkFailure(
      sns.send(new PublishCommand({ PhoneNumber: '+15555550100', Message: 'x' })),
    );
    expect(sms).toMatchObject({ name: 'InvalidParameterException', status: 400 });

    const missingTopic = await sdkFailure(
      sns.send(
        new PublishCommand({ TopicArn: 'arn:aws:sns:us-east-1:000000000000:absent', Message: 'x' }),
      ),
    );
    expect(missingTopic).toMatchObject({ name: 'NotFoundException', status: 404 });
  });

  it('refuses invalid batches with the batch errors', async () => {
    const batch = (entries: Array<{ Id: string; Message: string }>) =>
      sdkFailure(
        sns.send(
          new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: entries }),
        ),
      );

    const eleven = Array.from({ length: 11 }, (_, i) => ({ Id: `e${i}`, Message: 'm' }));
    expect(await batch(eleven)).toMatchObject({
      name: 'TooManyEntriesInBatchRequestException',
      status: 400,
    });
    expect(
      await batch([
        { Id: 'a', Message: '1' },
        { Id: 'a', Message: '2' },
      ]),
    ).toMatchObject({
      name: 'BatchEntryIdsNotDistinctException',
      status: 400,
    });
    expect(await batch([])).toMatchObject({ name: 'EmptyBatchRequestException', status: 400 });
    expect(await batch([{ Id: 'bad id!', Message: '1' }])).toMatchObject({
      name: 'InvalidBatchEntryIdException',
    });
    const half = 'x'.repeat(130 * 1024);
    expect(
      await batch([
        { Id: 'a', Message: half },
        { Id: 'b', Message: half },
      ]),
    ).toMatchObject({
      name: 'BatchRequestTooLongException',
    });
  });
});

describe('subscriptions over the AWS SDK', () => {
  it('subscribes a queue, lists it, reads and sets attributes, unsubscribes', async () => {
    const topicArn = await createTopic(sns, 'sdk-subscriptions');
    const queue = await server.herald.createQueue('sdk-subscriptions-queue');
    const { SubscriptionArn } = await sns.send(
      new SubscribeCommand({
        TopicArn: topicArn,
        Protocol: 'sqs',
        Endpoint: queue.arn,
        Attributes: { RawMessageDelivery: 'true' },
        ReturnSubscriptionArn: true,
      }),
    );
    expect(SubscriptionArn).toMatch(new RegExp(`^${topicArn}:`));

    const byTopic = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }));
    expect(byTopic.Subscriptions).toEqual([
      {
        SubscriptionArn,
        Owner: '000000000000',
        Protocol: 'sqs',
        Endpoint: queue.arn,
        TopicArn: topicArn,
      },
    ]);
    const all = await sns.send(new ListSubscriptionsCommand({}));
    expect(all.Subscriptions?.map((s) => s.SubscriptionArn)).toContain(SubscriptionArn);

    await sns.send(
      new SetSubscriptionAttributesCommand({
        SubscriptionArn,
        AttributeName: 'FilterPolicy',
        AttributeValue: '{"kind":["order"]}',
      }),
    );
    const { Attributes } = await sns.send(
      new GetSubscriptionAttributesCommand({ SubscriptionArn }),
    );
    expect(Attributes).toMatchObject({
      RawMessageDelivery: 'true',
      FilterPolicy: '{"kind":["order"]}',
      TopicArn: topicArn,
    });

    await sns.send(new UnsubscribeCommand({ SubscriptionArn }));
    const after = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }));
    expect(after.Subscriptions ?? []).toEqual([]);
  });

  it('reports unknown subscriptions and invalid protocols', async () => {
    const topicArn = await createTopic(sns, 'sdk-subscription-errors');
    const missing = await sdkFailure(
      sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: `${topicArn}:nope` })),
    );
    expect(missing.status).toBeGreaterThanOrEqual(400);
    expect(missing.status).toBeLessThan(500);

    const protocol = await sdkFailure(
      sns.send(
        new SubscribeCommand({ TopicArn: topicArn, Protocol: 'carrier-pigeon', Endpoint: 'x' }),
      ),
    );
    expect(protocol).toMatchObject({ name: 'InvalidParameterException', status: 400 });
  });
});

describe('raw requests', () => {
  it('answers an unknown action and a missing parameter with SNS XML errors', async () => {
    const post = (body: string) =>
      fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });

    const unknown = await post('Action=MakeCoffee&Version=2010-03-31');
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain(
      '<Code>InvalidAction</Code>' +
        '<Message>The action MakeCoffee is not valid for this web service.</Message>',
    );

    const missing = await post('Action=DeleteTopic&Version=2010-03-31');
    expect(missing.status).toBe(400);
    expect(await missing.text()).toMatch(/<Code>ValidationError<\/Code>.*'topicArn'/);
  });
});
