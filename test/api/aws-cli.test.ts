import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/server/start.js';

const run = promisify(execFile);

type Server = Awaited<ReturnType<typeof startServer>>;

let dataDir: string;
let server: Server;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'herald-aws-cli-'));
  server = await startServer({ dataDir, host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const ENV = {
  ...process.env,
  AWS_ACCESS_KEY_ID: 'x',
  AWS_SECRET_ACCESS_KEY: 'x',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_PAGER: '',
};

/** Runs `aws sns <args>` against the server; resolves with its parsed JSON output. */
async function sns(...args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run(
    'aws',
    ['--endpoint-url', server.url, '--output', 'json', 'sns', ...args],
    {
      env: ENV,
    },
  );
  return stdout.trim() === '' ? {} : (JSON.parse(stdout) as Record<string, unknown>);
}

/** Runs a failing `aws sns` command; resolves with its stderr. */
async function snsFailure(...args: string[]): Promise<string> {
  try {
    await sns(...args);
  } catch (error) {
    return (error as { stderr: string }).stderr;
  }
  throw new Error('expected the aws command to fail');
}

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
    const stderr = await snsFailure(
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
