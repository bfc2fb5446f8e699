import {
  ConfirmSubscriptionCommand,
  CreateTopicCommand,
  GetSubscriptionAttributesCommand,
  PublishCommand,
  SetSubscriptionAttributesCommand,
  SetTopicAttributesCommand,
  SNSClient,
  SubscribeCommand,
  UnsubscribeCommand,
} from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/start.js';
import { tempDir } from '../support/temp-dir.js';
import { Receiver, typeOf, type Received } from './support/receiver.js';
import { verifySnsSignature } from './support/verify-signature.js';

let dir: ReturnType<typeof tempDir>;
let server: RunningServer;
let sns: SNSClient;
let receiver: Receiver;

beforeAll(async () => {
  dir = tempDir('herald-http-');
  server = await startServer({
    dataDir: dir.path,
    host: '127.0.0.1',
    port: 0,
    allowPrivateEndpoints: true,
  });
  sns = new SNSClient({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  receiver = await Receiver.start();
  receiver.responder = async (request) => {
    if (typeOf(request) === 'SubscriptionConfirmation' && request.path === '/confirming') {
      const { SubscribeURL } = JSON.parse(request.body) as { SubscribeURL: string };
      const visit = await fetch(SubscribeURL);
      confirmations.push(await visit.text());
    }
    return 200;
  };
});

afterAll(async () => {
  sns?.destroy();
  await server?.close();
  await receiver?.close();
  dir?.remove();
});

/** What the receiver got back from each SubscribeURL it visited. */
const confirmations: string[] = [];

async function createTopic(name: string): Promise<string> {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: name }));
  return TopicArn!;
}

function json(request: Received): Record<string, string> {
  return JSON.parse(request.body) as Record<string, string>;
}

async function subscribeConfirmed(topicArn: string): Promise<string> {
  const from = receiver.received.length;
  await sns.send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: 'http',
      Endpoint: receiver.url('/confirming'),
    }),
  );
  await receiver.waitFor((r) => typeOf(r) === 'SubscriptionConfirmation', from);
  await waitUntil(() => confirmations.length > 0);
  const { SubscriptionArn } = await sns.send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: 'http',
      Endpoint: receiver.url('/confirming'),
      ReturnSubscriptionArn: true,
    }),
  );
  return SubscriptionArn!;
}

async function waitUntil(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('HTTP subscription confirmation', () => {
  it('posts a signed SubscriptionConfirmation, and visiting SubscribeURL confirms', async () => {
    const topicArn = await createTopic('http-confirm');
    const from = receiver.received.length;

    const answer = await sns.send(
      new SubscribeCommand({
        TopicArn: topicArn,
        Protocol: 'http',
        Endpoint: receiver.url('/confirming'),
      }),
    );
    expect(answer.SubscriptionArn).toBe('pending confirmation');

    const request = await receiver.waitFor((r) => typeOf(r) === 'SubscriptionConfirmation', from);
    const message = json(request);
    expect(request.headers['x-amz-sns-topic-arn']).toBe(topicArn);
    expect(request.headers['user-agent']).toBe('Amazon Simple Notification Service Agent');
    expect(message).toMatchObject({
      Type: 'SubscriptionConfirmation',
      TopicArn: topicArn,
      Message:
        `You have chosen to subscribe to the topic ${topicArn}.\n` +
        'To confirm the subscription, visit the SubscribeURL included in this message.',
      SignatureVersion: '1',
      SigningCertURL: `${server.url}/herald/v1/signing-cert.pem`,
    });
    expect(message.Token).toMatch(/^[0-9a-f]{64,}$/);
    expect(message.SubscribeURL).toBe(
      `${server.url}/?Action=ConfirmSubscription&TopicArn=${encodeURIComponent(topicArn)}` +
        `&Token=${message.Token}`,
    );
    expect(await verifySnsSignature(message, server.url)).toBe(true);

    await waitUntil(() => confirmations.length > 0);
    expect(confirmations.at(-1)).toContain('<ConfirmSubscriptionResult>');
    const arn = /<SubscriptionArn>(.*)<\/SubscriptionArn>/.exec(confirmations.at(-1)!)?.[1];
    const { Attributes } = await sns.send(
      new GetSubscriptionAttributesCommand({ SubscriptionArn: arn }),
    );
    expect(Attributes?.PendingConfirmation).toBe('false');
    expect(JSON.parse(Attributes?.EffectiveDeliveryPolicy ?? '{}')).toMatchObject({
      healthyRetryPolicy: { numRetries: 3, minDelayTarget: 20, backoffFunction: 'linear' },
    });
  });

  it('confirms through the ConfirmSubscription action; unconfirmed endpoints get nothing', async () => {
    const topicArn = await createTopic('http-confirm-action');
    const from = receiver.received.length;
    await sns.send(
      new SubscribeCommand({ TopicArn: topicArn, Protocol: 'http', Endpoint: receiver.url('/a') }),
    );
    const request = await receiver.waitFor((r) => r.path === '/a', from);

    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'before confirming' }));
    await server.herald.idle();
    expect(receiver.received.slice(from).filter((r) => r.path === '/a')).toHaveLength(1);

    await expect(
      sns.send(new ConfirmSubscriptionCommand({ TopicArn: topicArn, Token: 'nope' })),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
    const { SubscriptionArn } = await sns.send(
      new ConfirmSubscriptionCommand({ TopicArn: topicArn, Token: json(request).Token }),
    );
    expect(SubscriptionArn).toMatch(/^arn:aws:sns:us-east-1:000000000000:http-confirm-action:/);

    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'after confirming' }));
    const notification = await receiver.waitFor((r) => typeOf(r) === 'Notification', from);
    expect(json(notification).Message).toBe('after confirming');
  });
});

describe('HTTP notifications', () => {
  it('posts signed notifications (version 1 and 2), raw messages, and an unsubscribe confirmation', async () => {
    const topicArn = await createTopic('http-notify');
    const subscriptionArn = await subscribeConfirmed(topicArn);
    let from = receiver.received.length;

    const { MessageId } = await sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Message: 'hello {"json": true}',
        Subject: 'greeting',
        MessageAttributes: { color: { DataType: 'String', StringValue: 'blue' } },
      }),
    );
    const v1 = await receiver.waitFor((r) => typeOf(r) === 'Notification', from);
    expect(v1.headers).toMatchObject({
      'x-amz-sns-message-id': MessageId,
      'x-amz-sns-topic-arn': topicArn,
      'x-amz-sns-subscription-arn': subscriptionArn,
      'content-type': 'text/plain; charset=UTF-8',
      'user-agent': 'Amazon Simple Notification Service Agent',
    });
    const message = json(v1);
    expect(message).toMatchObject({
      Type: 'Notification',
      MessageId,
      TopicArn: topicArn,
      Subject: 'greeting',
      Message: 'hello {"json": true}',
      SignatureVersion: '1',
      UnsubscribeURL: `${server.url}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(subscriptionArn)}`,
      MessageAttributes: { color: { Type: 'String', Value: 'blue' } },
    });
    expect(await verifySnsSignature(message, server.url)).toBe(true);
    expect(await verifySnsSignature({ ...message, Message: 'tampered' }, server.url)).toBe(false);

    await sns.send(
      new SetTopicAttributesCommand({
        TopicArn: topicArn,
        AttributeName: 'SignatureVersion',
        AttributeValue: '2',
      }),
    );
    from = receiver.received.length;
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'signed with sha256' }));
    const v2 = json(await receiver.waitFor((r) => typeOf(r) === 'Notification', from));
    expect(v2.SignatureVersion).toBe('2');
    expect(v2.Subject).toBeUndefined();
    expect(await verifySnsSignature(v2, server.url)).toBe(true);

    await sns.send(
      new SetSubscriptionAttributesCommand({
        SubscriptionArn: subscriptionArn,
        AttributeName: 'RawMessageDelivery',
        AttributeValue: 'true',
      }),
    );
    from = receiver.received.length;
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'raw body' }));
    const raw = await receiver.waitFor((r) => typeOf(r) === 'Notification', from);
    expect(raw.body).toBe('raw body');
    expect(raw.headers['x-amz-sns-rawdelivery']).toBe('true');

    from = receiver.received.length;
    await sns.send(new UnsubscribeCommand({ SubscriptionArn: subscriptionArn }));
    const goodbye = await receiver.waitFor((r) => typeOf(r) === 'UnsubscribeConfirmation', from);
    const farewell = json(goodbye);
    expect(farewell.Message).toContain(
      `You have chosen to deactivate subscription ${subscriptionArn}`,
    );
    expect(goodbye.headers['x-amz-sns-subscription-arn']).toBe(subscriptionArn);
    expect(await verifySnsSignature(farewell, server.url)).toBe(true);
  });

  it('honours the request policy content type', async () => {
    const topicArn = await createTopic('http-content-type');
    const subscriptionArn = await subscribeConfirmed(topicArn);
    await sns.send(
      new SetSubscriptionAttributesCommand({
        SubscriptionArn: subscriptionArn,
        AttributeName: 'DeliveryPolicy',
        AttributeValue: JSON.stringify({
          requestPolicy: { headerContentType: 'application/json' },
        }),
      }),
    );
    const from = receiver.received.length;
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'typed' }));
    const request = await receiver.waitFor((r) => typeOf(r) === 'Notification', from);
    expect(request.headers['content-type']).toBe('application/json');
  });
});
