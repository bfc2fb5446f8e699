import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AddPermissionCommand,
  CreateTopicCommand,
  ListTopicsCommand,
  PublishCommand,
  SetTopicAttributesCommand,
  SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HeraldClient } from '../../src/cli/client.js';
import { startServer } from '../../src/server/start.js';
import { sdkFailure, snsClient, type Credentials } from '../support/sns-sdk.js';

type Server = Awaited<ReturnType<typeof startServer>>;

const OWNER = { accessKeyId: 'AKIDOWNER', secretAccessKey: 'owner-secret' };
const PARTNER = { accessKeyId: 'AKIDPARTNER', secretAccessKey: 'partner-secret' };
const PARTNER_ACCOUNT = '222222222222';

let dataDir: string;
let server: Server;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'herald-auth-'));
  server = await startServer({
    dataDir,
    host: '127.0.0.1',
    port: 0,
    auth: {
      accessKeys: [
        { id: OWNER.accessKeyId, secret: OWNER.secretAccessKey },
        { id: PARTNER.accessKeyId, secret: PARTNER.secretAccessKey, accountId: PARTNER_ACCOUNT },
      ],
    },
  });
});

afterAll(async () => {
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

function client(credentials: Credentials, extra: { systemClockOffset?: number } = {}): SNSClient {
  return snsClient(server.url, credentials, { maxAttempts: 1, ...extra });
}

/** Signs a request by hand with `@smithy/signature-v4`, optionally at another time. */
async function signed(
  body: string,
  credentials = OWNER,
  signingDate = new Date(),
): Promise<{ headers: Record<string, string>; body: string }> {
  const url = new URL(server.url);
  const signer = new SignatureV4({
    credentials,
    region: 'us-east-1',
    service: 'sns',
    sha256: Hash.bind(null, 'sha256'),
  });
  const request = await signer.sign(
    new HttpRequest({
      method: 'POST',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: '/',
      headers: {
        host: url.host,
        'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      },
      body,
    }),
    { signingDate },
  );
  return { headers: request.headers, body };
}

async function post(request: { headers: Record<string, string>; body: string }) {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: request.headers,
    body: request.body,
  });
  return { status: response.status, text: await response.text() };
}

describe('SigV4 access control', () => {
  it('lets a correctly signed SDK request in', async () => {
    const sns = client(OWNER);
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'auth-ok' }));
    expect(TopicArn).toBe('arn:aws:sns:us-east-1:000000000000:auth-ok');
    const { Topics } = await sns.send(new ListTopicsCommand({}));
    expect(Topics?.length).toBeGreaterThan(0);
    sns.destroy();
  });

  it('refuses an unsigned request with MissingAuthenticationToken', async () => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=ListTopics&Version=2010-03-31',
    });
    const text = await response.text();
    expect(response.status).toBe(403);
    expect(text).toContain('<Code>MissingAuthenticationToken</Code>');
    expect(text).toContain('<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">');
  });

  it('refuses a wrong secret with SignatureDoesNotMatch', async () => {
    const sns = client({ accessKeyId: OWNER.accessKeyId, secretAccessKey: 'wrong' });
    const error = await sdkFailure(sns.send(new ListTopicsCommand({})));
    expect(error).toMatchObject({ name: 'SignatureDoesNotMatch', status: 403 });
    sns.destroy();
  });

  it('refuses an unknown key with InvalidClientTokenId', async () => {
    const sns = client({ accessKeyId: 'AKIDUNKNOWN', secretAccessKey: 'whatever' });
    const error = await sdkFailure(sns.send(new ListTopicsCommand({})));
    expect(error).toMatchObject({ name: 'InvalidClientTokenId', status: 403 });
    sns.destroy();
  });

  it('refuses a stale timestamp with "Signature expired"', async () => {
    const sns = client(OWNER, { systemClockOffset: -20 * 60 * 1000 });
    const error = await sdkFailure(sns.send(new ListTopicsCommand({})));
    expect(error).toMatchObject({ name: 'SignatureDoesNotMatch', status: 403 });
    expect(error.message).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than/);
    sns.destroy();

    const old = await post(await signed('Action=ListTopics', OWNER, new Date(Date.now() - 3.6e6)));
    expect(old.status).toBe(403);
    expect(old.text).toContain('Signature expired');
  });

  it('refuses a body changed after signing', async () => {
    const request = await signed('Action=ListTopics');
    const response = await post({ ...request, body: 'Action=ListTopicz' });
    expect(response.status).toBe(403);
    expect(response.text).toContain('<Code>SignatureDoesNotMatch</Code>');
  });

  it('accepts a presigned query-string request', async () => {
    const url = new URL(server.url);
    const signer = new SignatureV4({
      credentials: OWNER,
      region: 'us-east-1',
      service: 'sns',
      sha256: Hash.bind(null, 'sha256'),
    });
    const presigned = await signer.presign(
      new HttpRequest({
        method: 'GET',
        protocol: 'http:',
        hostname: url.hostname,
        port: Number(url.port),
        path: '/',
        query: { Action: 'ListTopics', Version: '2010-03-31' },
        headers: { host: url.host },
      }),
      { expiresIn: 300 },
    );
    const query = new URLSearchParams(presigned.query as Record<string, string>).toString();
    const ok = await fetch(`${server.url}/?${query}`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('<ListTopicsResponse');

    const tampered = await fetch(`${server.url}/?${query.replace('ListTopics', 'ListTopicz')}`);
    expect(tampered.status).toBe(403);
  });

  it('protects the admin API too, and keeps the link and certificate GETs open', async () => {
    const admin = await fetch(`${server.url}/herald/v1/queues`);
    expect(admin.status).toBe(403);

    const confirm = await fetch(`${server.url}/?Action=ConfirmSubscription&TopicArn=x&Token=y`);
    expect(confirm.status).not.toBe(403);
    const certificate = await fetch(`${server.url}/herald/v1/signing-cert.pem`);
    expect(certificate.status).not.toBe(403);
  });
});

describe('the herald CLI against an authenticating server', () => {
  it('signs admin requests with the AWS credentials in its environment', async () => {
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    try {
      process.env.AWS_ACCESS_KEY_ID = OWNER.accessKeyId;
      process.env.AWS_SECRET_ACCESS_KEY = OWNER.secretAccessKey;
      const admin = new HeraldClient(server.url);
      await admin.createQueue('signed-queue');
      expect((await admin.listQueues()).map((queue) => queue.name)).toContain('signed-queue');

      process.env.AWS_SECRET_ACCESS_KEY = 'wrong';
      await expect(admin.listQueues()).rejects.toThrow(/signature/i);
    } finally {
      process.env.AWS_ACCESS_KEY_ID = saved.id;
      process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
      if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
      if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
    }
  });
});

describe('topic access policies', () => {
  it('allows the owner by the default policy and refuses another account', async () => {
    const owner = client(OWNER);
    const partner = client(PARTNER);
    const { TopicArn } = await owner.send(new CreateTopicCommand({ Name: 'auth-policy' }));

    await owner.send(new PublishCommand({ TopicArn, Message: 'from the owner' }));
    const refused = await sdkFailure(partner.send(new PublishCommand({ TopicArn, Message: 'no' })));
    expect(refused).toMatchObject({ name: 'AuthorizationErrorException', status: 403 });
    expect(refused.message).toContain(`arn:aws:iam::${PARTNER_ACCOUNT}:root`);
    const subscribe = new SubscribeCommand({
      TopicArn,
      Protocol: 'sqs',
      Endpoint: 'arn:aws:sqs:us-east-1:000000000000:nowhere',
    });
    expect(await sdkFailure(partner.send(subscribe))).toMatchObject({
      name: 'AuthorizationErrorException',
    });

    await owner.send(
      new AddPermissionCommand({
        TopicArn,
        Label: 'partner-publish',
        AWSAccountId: [PARTNER_ACCOUNT],
        ActionName: ['Publish'],
      }),
    );
    const { MessageId } = await partner.send(new PublishCommand({ TopicArn, Message: 'yes' }));
    expect(MessageId).toBeDefined();
    owner.destroy();
    partner.destroy();
  });

  it('lets an explicit Deny win over an Allow', async () => {
    const owner = client(OWNER);
    const { TopicArn } = await owner.send(new CreateTopicCommand({ Name: 'auth-deny' }));
    const policy = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: 'SNS:*', Resource: TopicArn },
        {
          Effect: 'Deny',
          Principal: { AWS: ['000000000000'] },
          Action: 'sns:Publish',
          Resource: '*',
        },
      ],
    };
    await owner.send(
      new SetTopicAttributesCommand({
        TopicArn,
        AttributeName: 'Policy',
        AttributeValue: JSON.stringify(policy),
      }),
    );
    expect(
      await sdkFailure(owner.send(new PublishCommand({ TopicArn, Message: 'denied' }))),
    ).toMatchObject({ name: 'AuthorizationErrorException', status: 403 });

    const partner = client(PARTNER);
    expect(await partner.send(new PublishCommand({ TopicArn, Message: 'allowed' }))).toHaveProperty(
      'MessageId',
    );
    owner.destroy();
    partner.destroy();
  });
});
