import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/server/start.js';
import { awsCli, awsEnvironment } from '../support/aws-cli.js';

const run = promisify(execFile);

type Server = Awaited<ReturnType<typeof startServer>>;

let dataDir: string;
let server: Server;
let authServer: Server;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'herald-cli-suite-'));
  server = await startServer({ dataDir: join(dataDir, 'open'), host: '127.0.0.1', port: 0 });
  authServer = await startServer({
    dataDir: join(dataDir, 'auth'),
    host: '127.0.0.1',
    port: 0,
    auth: { accessKeys: [{ id: 'AKIDCLI', secret: 'cli-secret' }] },
  });
});

afterAll(async () => {
  await server?.close();
  await authServer?.close();
  await rm(dataDir, { recursive: true, force: true });
});

function environment(key = 'x', secret = 'x'): NodeJS.ProcessEnv {
  return awsEnvironment({ key, secret, maxAttempts: 1 });
}

/** Runs `aws sns <args>`; resolves with its parsed JSON output. */
const sns = (...args: string[]) => awsCli(server.url, environment()).run('sns', ...args);

/** The error code a failing `aws sns` command reports, from `An error occurred (Code)`. */
async function errorCode(args: string[], url = server.url, env = environment()): Promise<string> {
  const stderr = await awsCli(url, env).failure('sns', ...args);
  return /An error occurred \(([A-Za-z]+)\)/.exec(stderr)?.[1] ?? stderr;
}

const TOPIC = 'arn:aws:sns:us-east-1:000000000000:cli-suite';

describe('the AWS CLI over the whole SNS API', () => {
  it('manages topics, attributes and tags', async () => {
    expect(
      await sns('create-topic', '--name', 'cli-suite', '--tags', 'Key=team,Value=core'),
    ).toEqual({
      TopicArn: TOPIC,
    });
    await sns(
      'set-topic-attributes',
      '--topic-arn',
      TOPIC,
      '--attribute-name',
      'DisplayName',
      '--attribute-value',
      'Suite',
    );
    const { Attributes } = await sns('get-topic-attributes', '--topic-arn', TOPIC);
    expect(Attributes).toMatchObject({ DisplayName: 'Suite', TopicArn: TOPIC });

    await sns('tag-resource', '--resource-arn', TOPIC, '--tags', 'Key=env,Value=ci');
    await sns('untag-resource', '--resource-arn', TOPIC, '--tag-keys', 'team');
    expect(await sns('list-tags-for-resource', '--resource-arn', TOPIC)).toEqual({
      Tags: [{ Key: 'env', Value: 'ci' }],
    });
    const many = Array.from({ length: 51 }, (_, i) => `Key=k${i},Value=v`);
    expect(await errorCode(['tag-resource', '--resource-arn', TOPIC, '--tags', ...many])).toBe(
      'TagLimitExceeded',
    );
    expect(await errorCode(['list-tags-for-resource', '--resource-arn', `${TOPIC}-no`])).toBe(
      'ResourceNotFound',
    );
    expect(await errorCode(['get-topic-attributes', '--topic-arn', `${TOPIC}-no`])).toBe(
      'NotFound',
    );
    expect(((await sns('list-topics')).Topics as unknown[]).length).toBeGreaterThan(0);
  });

  it('subscribes, publishes and unsubscribes', async () => {
    const queue = await server.herald.createQueue('cli-suite-queue');
    const { SubscriptionArn } = await sns(
      'subscribe',
      '--topic-arn',
      TOPIC,
      '--protocol',
      'sqs',
      '--notification-endpoint',
      queue.arn,
      '--return-subscription-arn',
    );
    const arn = String(SubscriptionArn);
    await sns(
      'set-subscription-attributes',
      '--subscription-arn',
      arn,
      '--attribute-name',
      'RawMessageDelivery',
      '--attribute-value',
      'true',
    );
    expect(
      (await sns('get-subscription-attributes', '--subscription-arn', arn)).Attributes,
    ).toMatchObject({
      RawMessageDelivery: 'true',
    });
    expect(
      (await sns('list-subscriptions-by-topic', '--topic-arn', TOPIC)).Subscriptions,
    ).toHaveLength(1);
    expect(((await sns('list-subscriptions')).Subscriptions as unknown[]).length).toBeGreaterThan(
      0,
    );

    expect((await sns('publish', '--topic-arn', TOPIC, '--message', 'hi')).MessageId).toMatch(
      /^[0-9a-f-]{36}$/,
    );
    const batch = await sns(
      'publish-batch',
      '--topic-arn',
      TOPIC,
      '--publish-batch-request-entries',
      'Id=a,Message=one',
      'Id=b,Message=two',
    );
    expect((batch.Successful as unknown[]).length).toBe(2);
    expect(await errorCode(['publish', '--phone-number', '+15555550100', '--message', 'x'])).toBe(
      'InvalidParameter',
    );
    expect(
      await errorCode([
        'subscribe',
        '--topic-arn',
        TOPIC,
        '--protocol',
        'fax',
        '--notification-endpoint',
        'x',
      ]),
    ).toBe('InvalidParameter');
    await sns('unsubscribe', '--subscription-arn', arn);
  });

  it('edits permissions and data-protection policies', async () => {
    const addPermission = [
      'add-permission',
      '--topic-arn',
      TOPIC,
      '--label',
      'p1',
      '--aws-account-id',
      '111111111111',
      '--action-name',
      'Publish',
    ];
    await sns(...addPermission);
    expect(await errorCode(addPermission)).toBe('InvalidParameter');
    const { Attributes } = await sns('get-topic-attributes', '--topic-arn', TOPIC);
    expect(String((Attributes as Record<string, string>).Policy)).toContain('"Sid":"p1"');
    await sns('remove-permission', '--topic-arn', TOPIC, '--label', 'p1');

    const policy = '{"Name":"p","Version":"2021-06-01","Statement":[]}';
    await sns(
      'put-data-protection-policy',
      '--resource-arn',
      TOPIC,
      '--data-protection-policy',
      policy,
    );
    expect(await sns('get-data-protection-policy', '--resource-arn', TOPIC)).toEqual({
      DataProtectionPolicy: policy,
    });
  });

  it('refuses SMS and mobile push with InvalidAction', async () => {
    expect(await errorCode(['get-sms-attributes'])).toBe('InvalidAction');
    expect(await errorCode(['list-platform-applications'])).toBe('InvalidAction');
    expect(
      await errorCode(['check-if-phone-number-is-opted-out', '--phone-number', '+15555550100']),
    ).toBe('InvalidAction');
  });

  it('deletes the topic', async () => {
    await sns('delete-topic', '--topic-arn', TOPIC);
    expect(await errorCode(['get-topic-attributes', '--topic-arn', TOPIC])).toBe('NotFound');
  });
});

describe('the AWS CLI and boto3 against an authenticating Herald', () => {
  it('signs with the right key and is refused with a wrong or unknown one', async () => {
    const owner = awsCli(authServer.url, environment('AKIDCLI', 'cli-secret'));
    expect(await owner.run('sns', 'create-topic', '--name', 'cli-auth')).toEqual({
      TopicArn: 'arn:aws:sns:us-east-1:000000000000:cli-auth',
    });

    const wrong = environment('AKIDCLI', 'nope');
    expect(await errorCode(['list-topics'], authServer.url, wrong)).toBe('SignatureDoesNotMatch');
    const unknown = environment('AKIDNOBODY', 'nope');
    expect(await errorCode(['list-topics'], authServer.url, unknown)).toBe('InvalidClientTokenId');
  });

  it('boto3 signs with the right key and is refused with a wrong one', async () => {
    const script = [
      'import json, sys, boto3',
      'from botocore.exceptions import ClientError',
      'def attempt(secret):',
      "    sns = boto3.client('sns', endpoint_url=sys.argv[1], region_name='us-east-1',",
      "        aws_access_key_id='AKIDCLI', aws_secret_access_key=secret)",
      '    try:',
      "        return len(sns.list_topics()['Topics'])",
      '    except ClientError as error:',
      "        return error.response['Error']['Code']",
      "print(json.dumps([attempt('cli-secret'), attempt('wrong')]))",
    ].join('\n');
    const { stdout } = await run('python3', ['-c', script, authServer.url], { env: environment() });
    expect(JSON.parse(stdout)).toEqual([1, 'SignatureDoesNotMatch']);
  });
});
