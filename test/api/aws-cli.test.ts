import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/start.js';
import { awsCli } from '../support/aws-cli.js';
import { startTestServer } from '../support/test-server.js';

let server: RunningServer;
let close: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ server, close } = await startTestServer('herald-aws-cli-'));
});

afterAll(() => close?.());

const aws = awsCli(() => server.url);

/** Runs `aws sns <args>` against the server; resolves with its parsed JSON output. */
const sns = (...args: string[]) => aws.run('sns', ...args);

describe('the AWS CLI against Herald', () => {
  it('creates a topic, subscribes, publishes with attributes and lists subscriptions', async () => {
    const { TopicArn } = await sns('create-topic', '--name', 'cli-orders');
    expect(TopicArn).toBe('arn:aws:sns:us-east-1:000000000000:cli-orders');

    const queue = await server.herald.createQueue('cli-orders-queue');
    const { SubscriptionArn } = await sns(
      'subscribe',
      '--topic-arn',
      String(TopicArn),
      '--protocol',
      'sqs',
      '--notification-endpoint',
      queue.arn,
      '--attributes',
      'RawMessageDelivery=true',
      '--return-subscription-arn',
    );
    expect(SubscriptionArn).toMatch(/^arn:aws:sns:us-east-1:000000000000:cli-orders:/);

    const { MessageId } = await sns(
      'publish',
      '--topic-arn',
      String(TopicArn),
      '--message',
      'order placed',
      '--message-attributes',
      JSON.stringify({
        kind: { DataType: 'String', StringValue: 'order' },
        total: { DataType: 'Number', StringValue: '42' },
      }),
    );
    expect(MessageId).toMatch(/^[0-9a-f-]{36}$/);

    const listed = await sns('list-subscriptions-by-topic', '--topic-arn', String(TopicArn));
    expect(listed.Subscriptions).toEqual([
      {
        SubscriptionArn,
        Owner: '000000000000',
        Protocol: 'sqs',
        Endpoint: queue.arn,
        TopicArn,
      },
    ]);

    const deadline = Date.now() + 10_000;
    let received = await server.herald.receiveMessages(queue.name, 1);
    while (received.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      received = await server.herald.receiveMessages(queue.name, 1);
    }
    expect(received[0]?.body).toBe('order placed');
    expect(received[0]?.attributes).toEqual({
      kind: { Type: 'String', Value: 'order' },
      total: { Type: 'Number', Value: '42' },
    });
  });

  it('reports SNS errors as the CLI expects them', async () => {
    const stderr = await aws.failure(
      'sns',
      'get-topic-attributes',
      '--topic-arn',
      'arn:aws:sns:us-east-1:000000000000:cli-absent',
    );
    expect(stderr).toContain(
      'An error occurred (NotFound) when calling the GetTopicAttributes operation: ' +
        'Topic does not exist',
    );
  });
});
