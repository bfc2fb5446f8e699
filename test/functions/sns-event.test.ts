import { afterAll, describe, expect, it } from 'vitest';
import type { PublishedMessage } from '../../src/domain/message.js';
import { FunctionPool } from '../../src/functions/pool.js';
import {
  UNSIGNED_CERT_URL,
  UNSIGNED_SIGNATURE,
  buildSnsEvent,
} from '../../src/functions/sns-event.js';
import { silentLogger } from '../../src/log/logger.js';
import { fixtureFunction } from './fixtures.js';

const TOPIC_ARN = 'arn:aws:sns:us-east-1:000000000000:orders';
const SUBSCRIPTION_ARN = `${TOPIC_ARN}:5f0c2f8e-8d2a-4a53-9f6b-0a1f3c2b7d11`;

function message(overrides: Partial<PublishedMessage> = {}): PublishedMessage {
  return {
    seq: 1,
    messageId: '95df01b4-ee98-5cb9-9903-4c221d41eb5e',
    topicArn: TOPIC_ARN,
    subject: 'Order created',
    body: '{"orderId":42}',
    attributes: { eventType: { Type: 'String', Value: 'order.created' } },
    publishedAt: Date.UTC(2024, 4, 17, 9, 30, 15, 123),
    ...overrides,
  };
}

describe('buildSnsEvent', () => {
  it('builds the event SNS hands to a Lambda subscriber', () => {
    const event = buildSnsEvent(message(), SUBSCRIPTION_ARN, 'https://herald/unsubscribe');

    expect(event).toEqual({
      Records: [
        {
          EventSource: 'aws:sns',
          EventVersion: '1.0',
          EventSubscriptionArn: SUBSCRIPTION_ARN,
          Sns: {
            Type: 'Notification',
            MessageId: '95df01b4-ee98-5cb9-9903-4c221d41eb5e',
            TopicArn: TOPIC_ARN,
            Subject: 'Order created',
            Message: '{"orderId":42}',
            Timestamp: '2024-05-17T09:30:15.123Z',
            SignatureVersion: '1',
            Signature: UNSIGNED_SIGNATURE,
            SigningCertUrl: UNSIGNED_CERT_URL,
            UnsubscribeUrl: 'https://herald/unsubscribe',
            MessageAttributes: { eventType: { Type: 'String', Value: 'order.created' } },
          },
        },
      ],
    });
  });

  it('sends a null Subject when the message has none, as SNS does', () => {
    const event = buildSnsEvent(message({ subject: undefined }), SUBSCRIPTION_ARN);

    expect(event.Records[0].Sns.Subject).toBeNull();
    expect(JSON.stringify(event)).toContain('"Subject":null');
  });

  it('gives every delivery of a message the same timestamp', () => {
    const published = message();
    const first = buildSnsEvent(published, SUBSCRIPTION_ARN);
    const second = buildSnsEvent(published, `${TOPIC_ARN}:other`);

    expect(second.Records[0].Sns.Timestamp).toBe(first.Records[0].Sns.Timestamp);
  });
});

describe('an SNSEvent-typed TypeScript handler', () => {
  const pool = new FunctionPool({ logger: silentLogger(), maxThreadsPerFunction: 1 });
  afterAll(() => pool.close());

  it('runs unchanged on events built by buildSnsEvent', async () => {
    const fn = fixtureFunction('sns-typed');
    const deliveries = [message(), message({ messageId: 'm-2', subject: undefined, body: 'hi' })];

    const outcomes = await pool.invoke(
      fn,
      deliveries.map((each, n) => ({
        requestId: `sns-${n}`,
        payload: buildSnsEvent(each, SUBSCRIPTION_ARN),
      })),
    );

    expect(outcomes[0]).toMatchObject({
      status: 'ok',
      result: [
        {
          messageId: '95df01b4-ee98-5cb9-9903-4c221d41eb5e',
          subject: 'Order created',
          message: '{"orderId":42}',
          attributes: { eventType: 'String:order.created' },
          timestamp: '2024-05-17T09:30:15.123Z',
          functionName: 'sns-typed',
        },
      ],
    });
    expect(outcomes[1]).toMatchObject({
      status: 'ok',
      result: [{ messageId: 'm-2', subject: null, message: 'hi' }],
    });
  });
});
