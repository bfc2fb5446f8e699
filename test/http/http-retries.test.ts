import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueArn } from '../../src/domain/arn.js';
import { HttpTransport } from '../../src/delivery/http/http-transport.js';
import { startServer, type RunningServer } from '../../src/server/start.js';
import { tempDir } from '../support/temp-dir.js';
import { Receiver, typeOf } from './support/receiver.js';

/** Delivery-policy seconds become 50 ms. */
const TIME_SCALE = 0.05;

let dir: ReturnType<typeof tempDir>;
let server: RunningServer;
let receiver: Receiver;

beforeAll(async () => {
  dir = tempDir('herald-http-retries-');
  server = await startServer({
    dataDir: dir.path,
    host: '127.0.0.1',
    port: 0,
    allowPrivateEndpoints: true,
    deliveryPolicyTimeScale: TIME_SCALE,
  });
  receiver = await Receiver.start();
});

afterAll(async () => {
  await server?.close();
  await receiver?.close();
  dir?.remove();
});

/** Subscribes `path` on the receiver and confirms it with the token it was sent. */
async function confirmedSubscription(
  topicName: string,
  path: string,
  attributes: Record<string, string>,
) {
  const topic = await server.herald.createTopic(topicName);
  const from = receiver.received.length;
  await server.herald.subscribe(topic.arn, 'http', receiver.url(path), attributes);
  const request = await receiver.waitFor(
    (r) => r.path === path && typeOf(r) === 'SubscriptionConfirmation',
    from,
  );
  const { Token } = JSON.parse(request.body) as { Token: string };
  await server.herald.confirmSubscription(topic.arn, Token);
  return topic.arn;
}

/** Answers `failures` notifications to `path` with `status`, then 200. */
function failing(path: string, failures: number, status = 500) {
  let seen = 0;
  const previous = receiver.responder;
  receiver.responder = (request) => {
    if (request.path !== path || typeOf(request) !== 'Notification') return previous(request);
    seen++;
    return seen <= failures ? status : 200;
  };
}

function notificationsTo(path: string) {
  return receiver.received.filter((r) => r.path === path && typeOf(r) === 'Notification');
}

const policy = {
  healthyRetryPolicy: {
    numRetries: 6,
    numNoDelayRetries: 1,
    numMinDelayRetries: 1,
    numMaxDelayRetries: 1,
    minDelayTarget: 1,
    maxDelayTarget: 4,
    backoffFunction: 'linear',
  },
};

describe('HTTP retries', () => {
  it('retries through the four phases of the delivery policy, then delivers', async () => {
    const topicArn = await confirmedSubscription('retry-phases', '/flaky', {
      DeliveryPolicy: JSON.stringify(policy),
    });
    failing('/flaky', 6);

    await server.herald.publish({ topicArn, message: 'eventually' });
    await server.herald.idle();

    const attempts = notificationsTo('/flaky');
    expect(attempts).toHaveLength(7);
    const gaps = attempts.slice(1).map((attempt, i) => attempt.at - attempts[i]!.at);
    // Immediate, pre-backoff 1 s, backoff 1 s → 2.5 s → 4 s, post-backoff 4 s; scaled.
    const expected = [0, 1, 1, 2.5, 4, 4].map((seconds) => seconds * 1000 * TIME_SCALE);
    gaps.forEach((gap, i) => {
      expect(gap).toBeGreaterThanOrEqual(expected[i]! - 5);
      expect(gap).toBeLessThan(expected[i]! + 60);
    });
  });

  it('dead-letters a delivery whose retries are exhausted, with the reason', async () => {
    await server.herald.createQueue('http-dlq');
    const topicArn = await confirmedSubscription('retry-exhausted', '/down', {
      DeliveryPolicy: JSON.stringify({
        healthyRetryPolicy: { numRetries: 2, minDelayTarget: 1, maxDelayTarget: 1 },
      }),
      RedrivePolicy: JSON.stringify({
        deadLetterTargetArn: queueArn(server.herald.partition, 'http-dlq'),
      }),
    });
    failing('/down', Infinity, 503);

    const { messageId } = await server.herald.publish({ topicArn, message: 'lost cause' });
    await server.herald.idle();

    expect(notificationsTo('/down')).toHaveLength(3);
    const [letter] = await server.herald.listDeadLetters('http-dlq');
    expect(letter).toMatchObject({ messageId, topicArn });
    expect(letter?.errorMessage).toContain('answered HTTP 503');
  });

  it('does not retry a 4xx answer and dead-letters it at once', async () => {
    const topicArn = await confirmedSubscription('client-error', '/gone', {});
    failing('/gone', Infinity, 404);

    await server.herald.publish({ topicArn, message: 'nobody home' });
    await server.herald.idle();

    expect(notificationsTo('/gone')).toHaveLength(1);
    const letters = await server.herald.listDeadLetters();
    expect(letters.some((l) => l.errorMessage?.includes('HTTP 404'))).toBe(true);
  });
});

describe('private endpoints', () => {
  it('refuses loopback and private addresses unless allowed', async () => {
    const transport = new HttpTransport({
      allowPrivateEndpoints: false,
      timeoutMs: 2000,
      connectionsPerOrigin: 4,
    });
    try {
      for (const url of [
        receiver.url('/x'),
        'http://10.1.2.3/',
        'http://[::1]:9/',
        'http://localhost:9/',
      ]) {
        const result = await transport.post(new URL(url), {}, 'probe');
        expect(result).toMatchObject({ ok: false, retryable: false });
        expect(result.ok ? '' : result.error).toContain('--allow-private-endpoints');
      }
      expect(receiver.received.some((r) => r.path === '/x')).toBe(false);
    } finally {
      await transport.close();
    }
  });
});
