import {
  CreateTopicCommand,
  ListSubscriptionsByTopicCommand,
  SetSubscriptionAttributesCommand,
  SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/start.js';
import { startSnsServer } from '../support/sns-sdk.js';

describe('filter policies through the SNS API', () => {
  let server: RunningServer;
  let sns: SNSClient;
  let close: (() => Promise<void>) | undefined;
  let topicArn: string;
  let queueArn: string;

  beforeAll(async () => {
    ({ server, sns, close } = await startSnsServer('herald-test-'));
    topicArn = (await sns.send(new CreateTopicCommand({ Name: 'policies' }))).TopicArn!;
    queueArn = (await server.herald.createQueue('policies-queue')).arn;
  });

  afterAll(() => close?.());

  const invalid = [
    ['an unknown operator', '{"price":[{"between":[1,2]}]}'],
    ['an empty list', '{"store":[]}'],
    ['a number out of range', '{"price":[{"numeric":[">",1e10]}]}'],
    ['text that is not JSON', '{"store":["a"'],
    ['a nested key in MessageAttributes scope', '{"a":{"b":["c"]}}'],
    ['too many keys', '{"a":["1"],"b":["1"],"c":["1"],"d":["1"],"e":["1"],"f":["1"]}'],
  ];

  for (const [what, policy] of invalid) {
    it(`Subscribe rejects ${what} with InvalidParameter and creates nothing`, async () => {
      const error = await sns
        .send(
          new SubscribeCommand({
            TopicArn: topicArn,
            Protocol: 'sqs',
            Endpoint: queueArn,
            Attributes: { FilterPolicy: policy! },
          }),
        )
        .catch((e: unknown) => e);

      expect(error).toMatchObject({
        name: 'InvalidParameterException',
        $metadata: { httpStatusCode: 400 },
      });
      expect((error as Error).message).toMatch(/^Invalid parameter: Filter ?[Pp]olicy/);
      const listed = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }));
      expect(listed.Subscriptions ?? []).toEqual([]);
    });
  }

  it('SetSubscriptionAttributes rejects an invalid policy and keeps the old one', async () => {
    const { SubscriptionArn } = await sns.send(
      new SubscribeCommand({
        TopicArn: topicArn,
        Protocol: 'sqs',
        Endpoint: queueArn,
        Attributes: { FilterPolicy: '{"store":["a"]}' },
      }),
    );
    const error = await sns
      .send(
        new SetSubscriptionAttributesCommand({
          SubscriptionArn,
          AttributeName: 'FilterPolicy',
          AttributeValue: '{"store":[{"prefix":5}]}',
        }),
      )
      .catch((e: unknown) => e);

    expect(error).toMatchObject({ name: 'InvalidParameterException' });
    const attributes = await server.herald.getSubscriptionAttributes(SubscriptionArn!);
    expect(attributes.FilterPolicy).toBe('{"store":["a"]}');
  });
});
