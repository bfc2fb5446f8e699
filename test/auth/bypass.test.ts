import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import {
  AddPermissionCommand,
  CreateTopicCommand,
  DeleteTopicCommand,
  ListTopicsCommand,
  SetTopicAttributesCommand,
  SNSClient,
} from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/server/start.js';
import { snsClient } from '../support/sns-sdk.js';

const OWNER = { accessKeyId: 'AKIDOWNER', secretAccessKey: 'owner-secret' };
const STRANGER = { accessKeyId: 'AKIDSTRANGER', secretAccessKey: 'stranger-secret' };

let dataDir: string;
let server: Awaited<ReturnType<typeof startServer>>;
let topicArn: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'herald-bypass-'));
  server = await startServer({
    dataDir,
    port: 0,
    auth: {
      accessKeys: [
        { id: OWNER.accessKeyId, secret: OWNER.secretAccessKey },
        { id: STRANGER.accessKeyId, secret: STRANGER.secretAccessKey, accountId: '333333333333' },
      ],
    },
  });
  const owner = sns(OWNER);
  topicArn = (await owner.send(new CreateTopicCommand({ Name: 'guarded' }))).TopicArn!;
});

afterAll(async () => {
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

function sns(credentials: typeof OWNER): SNSClient {
  return snsClient(server.url, credentials, { maxAttempts: 1 });
}

async function errorOf(promise: Promise<unknown>): Promise<{ name: string; status?: number }> {
  const error = (await promise.then(
    () => {
      throw new Error('expected the request to be refused');
    },
    (caught: unknown) => caught,
  )) as Error & { $metadata?: { httpStatusCode?: number } };
  return { name: error.name, status: error.$metadata?.httpStatusCode };
}

describe('unsigned requests dressed as SNS links', () => {
  for (const query of [
    'Action=ConfirmSubscription&Action=ListTopics',
    'Action=Unsubscribe&Action=CreateTopic&Name=evil',
    'Action=ConfirmSubscription&Action=Publish&TopicArn=x&Message=m',
  ]) {
    it(`refuses ${query}`, async () => {
      const response = await fetch(`${server.url}/?${query}`);
      expect(response.status).toBe(403);
      expect(await response.text()).toContain('<Code>MissingAuthenticationToken</Code>');
    });
  }

  it('refuses Lambda paths that end like a certificate', async () => {
    const arn = 'arn:aws:lambda:us-east-1:000000000000:function:hello:x.pem';
    for (const path of ['000000000000:function:hello:x.pem', arn]) {
      const response = await fetch(`${server.url}/2015-03-31/functions/${path}`);
      expect(response.status).toBe(403);
    }
  });

  it('still serves the signing certificate unsigned', async () => {
    const response = await fetch(`${server.url}/herald/v1/signing-cert.pem`);
    expect(response.status).toBe(200);
  });
});

describe('a key of another account', () => {
  const stranger = () => sns(STRANGER);

  it('cannot change, share or delete the owner topic', async () => {
    const policy = JSON.stringify({
      Statement: [{ Effect: 'Allow', Principal: '*', Action: 'SNS:*', Resource: topicArn }],
    });
    const attempts = [
      stranger().send(
        new SetTopicAttributesCommand({
          TopicArn: topicArn,
          AttributeName: 'Policy',
          AttributeValue: policy,
        }),
      ),
      stranger().send(
        new AddPermissionCommand({
          TopicArn: topicArn,
          Label: 'open',
          AWSAccountId: ['333333333333'],
          ActionName: ['Publish'],
        }),
      ),
      stranger().send(new DeleteTopicCommand({ TopicArn: topicArn })),
      stranger().send(new CreateTopicCommand({ Name: 'squatter' })),
      stranger().send(new ListTopicsCommand({})),
    ];
    for (const attempt of attempts) {
      expect(await errorOf(attempt)).toEqual({ name: 'AuthorizationErrorException', status: 403 });
    }
    const topics = await sns(OWNER).send(new ListTopicsCommand({}));
    expect(topics.Topics?.map((t) => t.TopicArn)).toEqual([topicArn]);
  });

  it('cannot use the Lambda API or the admin API', async () => {
    const lambda = new LambdaClient({
      endpoint: server.url,
      region: 'us-east-1',
      credentials: STRANGER,
      maxAttempts: 1,
    });
    expect(await errorOf(lambda.send(new ListFunctionsCommand({})))).toMatchObject({
      status: 403,
    });
  });
});
