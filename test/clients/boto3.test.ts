import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/server/start.js';

const run = promisify(execFile);
const SCRIPT = join(import.meta.dirname, 'boto3_suite.py');

type Server = Awaited<ReturnType<typeof startServer>>;
type Step = {
  ok?: Record<string, unknown>;
  error?: { code: string; status: number; message: string };
};

let dataDir: string;
let server: Server;
let steps: Record<string, Step>;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'herald-boto3-'));
  server = await startServer({ dataDir, host: '127.0.0.1', port: 0 });
  const queue = await server.herald.createQueue('boto-queue');
  const { stdout } = await run('python3', [SCRIPT, server.url, queue.arn], {
    env: { ...process.env, AWS_CONFIG_FILE: '/dev/null', AWS_EC2_METADATA_DISABLED: 'true' },
  });
  steps = JSON.parse(stdout) as Record<string, Step>;
});

afterAll(async () => {
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

function ok(name: string): Record<string, unknown> {
  const step = steps[name];
  if (step?.ok === undefined) throw new Error(`${name} failed: ${JSON.stringify(step)}`);
  return step.ok;
}

function error(name: string) {
  const step = steps[name];
  if (step?.error === undefined) throw new Error(`${name} succeeded: ${JSON.stringify(step)}`);
  return step.error;
}

const TOPIC = 'arn:aws:sns:us-east-1:000000000000:boto-orders';

describe('boto3 against Herald', () => {
  it('manages topics and their attributes', () => {
    expect(ok('CreateTopic')).toEqual({ TopicArn: TOPIC });
    expect(ok('CreateTopicFifo')).toEqual({ TopicArn: `${TOPIC}.fifo` });
    expect(error('CreateTopicBadName')).toMatchObject({ code: 'InvalidParameter', status: 400 });
    expect(ok('SetTopicAttributes')).toEqual({});
    expect(error('SetTopicAttributesUnknown')).toMatchObject({ code: 'InvalidParameter' });
    expect(ok('SetKmsMasterKeyId')).toEqual({});
    expect(ok('GetTopicAttributes').Attributes).toMatchObject({
      TopicArn: TOPIC,
      DisplayName: 'Shown',
      KmsMasterKeyId: 'alias/aws/sns',
      Owner: '000000000000',
      SubscriptionsConfirmed: '0',
      SubscriptionsPending: '0',
      SubscriptionsDeleted: '0',
    });
    expect(error('GetTopicAttributesMissing')).toMatchObject({ code: 'NotFound', status: 404 });
    expect(ok('ListTopics').Topics).toEqual(
      expect.arrayContaining([{ TopicArn: TOPIC }, { TopicArn: `${TOPIC}.fifo` }]),
    );
  });

  it('manages subscriptions', () => {
    const arn = ok('Subscribe').SubscriptionArn;
    expect(arn).toMatch(/^arn:aws:sns:us-east-1:000000000000:boto-orders:[0-9a-f-]{36}$/);
    expect(error('SubscribeBadProtocol')).toMatchObject({ code: 'InvalidParameter', status: 400 });
    expect(ok('ListSubscriptions').Subscriptions).toEqual(
      expect.arrayContaining([
        {
          SubscriptionArn: arn,
          Owner: '000000000000',
          Protocol: 'sqs',
          Endpoint: 'arn:aws:sqs:us-east-1:000000000000:boto-queue',
          TopicArn: TOPIC,
        },
      ]),
    );
    expect(ok('ListSubscriptionsByTopic').Subscriptions).toHaveLength(1);
    expect(ok('SetSubscriptionAttributes')).toEqual({});
    expect(error('SetSubscriptionAttributesBadFilter')).toMatchObject({ code: 'InvalidParameter' });
    expect(ok('GetSubscriptionAttributes').Attributes).toMatchObject({
      SubscriptionArn: arn,
      TopicArn: TOPIC,
      Protocol: 'sqs',
      RawMessageDelivery: 'true',
      FilterPolicy: '{"kind": ["order"]}',
      PendingConfirmation: 'false',
    });
    expect(ok('Unsubscribe')).toEqual({});
  });

  it('publishes', () => {
    expect(ok('Publish').MessageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(error('PublishMissingTopic')).toMatchObject({ code: 'NotFound', status: 404 });
    expect(error('PublishEmpty')).toMatchObject({ code: 'InvalidParameter' });
    expect(error('PublishPhone')).toMatchObject({ code: 'InvalidParameter' });
    const batch = ok('PublishBatch');
    expect((batch.Successful as unknown[]).length).toBe(2);
    expect(batch.Failed).toEqual([]);
    expect(error('PublishBatchDuplicateIds')).toMatchObject({
      code: 'BatchEntryIdsNotDistinct',
      status: 400,
    });
  });

  it('tags topics', () => {
    expect(ok('TagResource')).toEqual({});
    expect(error('TagResourceTooMany')).toMatchObject({ code: 'TagLimitExceeded', status: 400 });
    expect(ok('UntagResource')).toEqual({});
    expect(ok('ListTagsForResource')).toEqual({ Tags: [{ Key: 'env', Value: 'test' }] });
    expect(error('ListTagsForResourceMissing')).toMatchObject({
      code: 'ResourceNotFound',
      status: 404,
    });
  });

  it('edits permissions and data-protection policies', () => {
    expect(ok('AddPermission')).toEqual({});
    expect(error('AddPermissionDuplicate')).toMatchObject({
      code: 'InvalidParameter',
      message: 'Invalid parameter: Statement already exists',
    });
    const attributes = ok('PolicyAfterAdd').Attributes as Record<string, string>;
    expect(JSON.parse(attributes.Policy ?? '{}').Statement[1]).toMatchObject({
      Sid: 'partner',
      Action: ['SNS:Publish', 'SNS:Subscribe'],
      Principal: { AWS: 'arn:aws:iam::111111111111:root' },
    });
    expect(ok('RemovePermission')).toEqual({});
    expect(ok('PutDataProtectionPolicy')).toEqual({});
    expect(ok('GetDataProtectionPolicy')).toEqual({
      DataProtectionPolicy: '{"Name":"p","Version":"2021-06-01","Statement":[]}',
    });
  });

  it('refuses SMS and mobile push clearly', () => {
    for (const name of [
      'GetSMSAttributes',
      'CreatePlatformApplication',
      'ListOriginationNumbers',
    ]) {
      expect(error(name)).toMatchObject({
        code: 'InvalidAction',
        status: 400,
        message: expect.stringMatching(/^Herald does not support SMS \/ mobile push: /),
      });
    }
  });

  it('deletes topics idempotently', () => {
    expect(ok('DeleteTopic')).toEqual({});
    expect(ok('DeleteTopicAgain')).toEqual({});
  });
});
