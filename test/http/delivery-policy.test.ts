import {
  CreateTopicCommand,
  GetTopicAttributesCommand,
  SetSubscriptionAttributesCommand,
  SetTopicAttributesCommand,
  SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  parseSubscriptionDeliveryPolicy,
  parseTopicDeliveryPolicy,
} from '../../src/delivery/http/delivery-policy.js';
import { startServer, type RunningServer } from '../../src/server/start.js';
import { tempDir } from '../support/temp-dir.js';

function rejection(parse: () => unknown): string {
  try {
    parse();
  } catch (error) {
    expect((error as { code?: string }).code).toBe('InvalidParameter');
    return (error as Error).message;
  }
  throw new Error('expected the policy to be rejected');
}

const retry = (policy: object) => JSON.stringify({ healthyRetryPolicy: policy });

describe('delivery policy validation', () => {
  it.each([
    ['{', 'Invalid parameter: DeliveryPolicy: failed to parse JSON'],
    ['[]', 'Invalid parameter: DeliveryPolicy: must be a JSON object'],
    [retry({ numRetries: 101 }), 'healthyRetryPolicy.numRetries must be from 0 to 100'],
    [retry({ numRetries: -1 }), 'healthyRetryPolicy.numRetries must be a non-negative integer'],
    [retry({ minDelayTarget: 0 }), 'healthyRetryPolicy.minDelayTarget must be at least 1 second'],
    [
      retry({ maxDelayTarget: 3601 }),
      'healthyRetryPolicy.maxDelayTarget must be at most 3600 seconds',
    ],
    [
      retry({ minDelayTarget: 10, maxDelayTarget: 5 }),
      'minDelayTarget (10) must not be greater than maxDelayTarget (5)',
    ],
    [
      retry({ numRetries: 3, numNoDelayRetries: 2, numMinDelayRetries: 2 }),
      'numRetries (3) must be at least numNoDelayRetries + numMinDelayRetries + numMaxDelayRetries (4)',
    ],
    [
      retry({ backoffFunction: 'cubic' }),
      'healthyRetryPolicy.backoffFunction must be one of linear, arithmetic, geometric, exponential',
    ],
    [retry({ retries: 3 }), 'unknown key retries in healthyRetryPolicy'],
    [
      retry({ numRetries: 100, minDelayTarget: 60, maxDelayTarget: 60 }),
      'the retries would take 6000 seconds in all; the limit is 3600',
    ],
    [
      JSON.stringify({ throttlePolicy: { maxReceivesPerSecond: 0 } }),
      'throttlePolicy.maxReceivesPerSecond must be an integer of at least 1',
    ],
    [
      JSON.stringify({ requestPolicy: { headerContentType: 'nonsense' } }),
      'requestPolicy.headerContentType must be a content type',
    ],
    [JSON.stringify({ speed: 'fast' }), 'unknown key speed'],
  ])('rejects the subscription policy %s', (text, message) => {
    expect(rejection(() => parseSubscriptionDeliveryPolicy(text))).toContain(message);
  });

  it('rejects invalid topic policies, naming the field', () => {
    expect(rejection(() => parseTopicDeliveryPolicy('{"https": {}}'))).toContain(
      'unknown key https; expected one of http',
    );
    expect(
      rejection(() =>
        parseTopicDeliveryPolicy('{"http": {"defaultHealthyRetryPolicy": {"numRetries": 500}}}'),
      ),
    ).toContain('http.defaultHealthyRetryPolicy.numRetries must be from 0 to 100');
    expect(
      rejection(() => parseTopicDeliveryPolicy('{"http": {"disableSubscriptionOverrides": 1}}')),
    ).toContain('http.disableSubscriptionOverrides must be true or false');
  });

  it("fills what a policy leaves out with SNS's defaults", () => {
    expect(parseSubscriptionDeliveryPolicy(retry({ numRetries: 5 })).healthyRetryPolicy).toEqual({
      minDelayTarget: 20,
      maxDelayTarget: 20,
      numRetries: 5,
      numMaxDelayRetries: 0,
      numNoDelayRetries: 0,
      numMinDelayRetries: 0,
      backoffFunction: 'linear',
    });
  });
});

describe('delivery policies over the SNS API', () => {
  let dir: ReturnType<typeof tempDir>;
  let server: RunningServer;
  let sns: SNSClient;

  beforeAll(async () => {
    dir = tempDir('herald-policy-');
    server = await startServer({ dataDir: dir.path, host: '127.0.0.1', port: 0 });
    sns = new SNSClient({
      endpoint: server.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
  });

  afterAll(async () => {
    sns?.destroy();
    await server?.close();
    dir?.remove();
  });

  it('rejects an invalid topic policy with InvalidParameter and reports the effective one', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'policies' }));
    await expect(
      sns.send(
        new SetTopicAttributesCommand({
          TopicArn,
          AttributeName: 'DeliveryPolicy',
          AttributeValue: '{"http":{"defaultHealthyRetryPolicy":{"minDelayTarget":0}}}',
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: expect.stringContaining(
        'DeliveryPolicy: http.defaultHealthyRetryPolicy.minDelayTarget',
      ),
    });

    const policy = {
      http: {
        defaultHealthyRetryPolicy: { numRetries: 5, backoffFunction: 'exponential' },
        defaultThrottlePolicy: { maxReceivesPerSecond: 7 },
      },
    };
    await sns.send(
      new SetTopicAttributesCommand({
        TopicArn,
        AttributeName: 'DeliveryPolicy',
        AttributeValue: JSON.stringify(policy),
      }),
    );
    const { Attributes } = await sns.send(new GetTopicAttributesCommand({ TopicArn }));
    expect(JSON.parse(Attributes!.EffectiveDeliveryPolicy!)).toEqual({
      http: {
        defaultHealthyRetryPolicy: {
          minDelayTarget: 20,
          maxDelayTarget: 20,
          numRetries: 5,
          numMaxDelayRetries: 0,
          numNoDelayRetries: 0,
          numMinDelayRetries: 0,
          backoffFunction: 'exponential',
        },
        disableSubscriptionOverrides: false,
        defaultThrottlePolicy: { maxReceivesPerSecond: 7 },
        defaultRequestPolicy: { headerContentType: 'text/plain; charset=UTF-8' },
      },
    });
  });

  it('rejects an invalid subscription policy with InvalidParameter', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'sub-policies' }));
    const { SubscriptionArn } = await sns.send(
      new SubscribeCommand({
        TopicArn,
        Protocol: 'https',
        Endpoint: 'https://example.invalid/hook',
        ReturnSubscriptionArn: true,
      }),
    );
    await expect(
      sns.send(
        new SetSubscriptionAttributesCommand({
          SubscriptionArn,
          AttributeName: 'DeliveryPolicy',
          AttributeValue: retry({ numRetries: 3, backoffFunction: 'random' }),
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: expect.stringContaining(
        'Invalid parameter: DeliveryPolicy: healthyRetryPolicy.backoffFunction must be one of',
      ),
    });
  });

  it('rejects an endpoint that does not match the protocol', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'bad-endpoints' }));
    await expect(
      sns.send(new SubscribeCommand({ TopicArn, Protocol: 'https', Endpoint: 'http://x.test/' })),
    ).rejects.toMatchObject({ message: expect.stringContaining('must start with https://') });
  });
});
