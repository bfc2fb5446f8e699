import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createHerald, type Herald } from '../../src/core/herald.js';
import { silentLogger } from '../../src/log/logger.js';
import { percentile } from '../percentiles.js';
import type { BenchTable, Scenario } from '../scenario.js';
import { withTimeout } from '../timeout.js';

/** Publishes kept in flight. */
const PUBLISHES_IN_FLIGHT = 200;
const DELIVERY_TIMEOUT_MS = 300_000;

/** A local webhook receiver: answers at once, or never answers notifications at all. */
interface Endpoint {
  url: string;
  /** Tokens of the confirmation requests it received. */
  tokens: string[];
  /** Publish-to-receipt latency of each notification, ms. */
  latencies: number[];
  lastReceiptAt: number;
  close(): Promise<void>;
}

async function startEndpoint(healthy: boolean): Promise<Endpoint> {
  const endpoint: Endpoint = {
    url: '',
    tokens: [],
    latencies: [],
    lastReceiptAt: 0,
    close: async () => undefined,
  };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      if (request.headers['x-amz-sns-message-type'] === 'SubscriptionConfirmation') {
        endpoint.tokens.push((JSON.parse(body) as { Token: string }).Token);
        response.end();
        return;
      }
      if (!healthy) return;
      endpoint.latencies.push(Date.now() - Number(body));
      endpoint.lastReceiptAt = performance.now();
      response.end();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  endpoint.close = () => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(() => resolve()));
  };
  return endpoint;
}

/** Subscribes an endpoint with raw delivery and confirms it with the token it got. */
async function subscribe(herald: Herald, topicArn: string, endpoint: Endpoint): Promise<void> {
  await herald.subscribe(topicArn, 'http', endpoint.url, { RawMessageDelivery: 'true' });
  const deadline = Date.now() + 5000;
  while (endpoint.tokens.length === 0) {
    if (Date.now() > deadline) throw new Error('no confirmation request arrived');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await herald.confirmSubscription(topicArn, endpoint.tokens[0]!);
}

interface IsolationResult {
  deliveriesPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/**
 * Publishes `messages` messages (the body is the publish time) to a topic with a healthy
 * endpoint, and with a dead one beside it when `withDeadEndpoint`, and measures the
 * healthy endpoint's deliveries per second and publish-to-receipt latency.
 */
async function runCase(messages: number, withDeadEndpoint: boolean): Promise<IsolationResult> {
  const dataDir = await mkdtemp(join(tmpdir(), 'herald-bench-http-'));
  const herald = await createHerald({
    dataDir,
    logger: silentLogger(),
    allowPrivateEndpoints: true,
  });
  const healthy = await startEndpoint(true);
  const dead = await startEndpoint(false);

  try {
    const topic = await herald.createTopic('isolation');
    await subscribe(herald, topic.arn, healthy);
    if (withDeadEndpoint) await subscribe(herald, topic.arn, dead);

    const startedAt = performance.now();
    let next = 0;
    const publisher = async (): Promise<void> => {
      while (next < messages) {
        next++;
        await herald.publish({ topicArn: topic.arn, message: String(Date.now()) });
      }
    };
    await Promise.all(Array.from({ length: PUBLISHES_IN_FLIGHT }, publisher));

    const allDelivered = async () => {
      while (healthy.latencies.length < messages) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    };
    await withTimeout(allDelivered(), DELIVERY_TIMEOUT_MS, 'healthy endpoint deliveries');

    const latencies = Float64Array.from(healthy.latencies);
    return {
      deliveriesPerSecond: messages / ((healthy.lastReceiptAt - startedAt) / 1000),
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
    };
  } finally {
    await herald.close(100);
    await healthy.close();
    await dead.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/**
 * HTTP isolation: a healthy endpoint's throughput and latency alone, then with an endpoint
 * that accepts connections but never answers subscribed to the same topic.
 */
export const httpIsolationScenario: Scenario = {
  name: 'http-isolation',
  async run({ quick }): Promise<BenchTable> {
    const messages = quick ? 2_000 : 20_000;
    const rows: Array<Array<string | number>> = [];
    for (const [label, withDead] of [
      ['healthy endpoint alone', false],
      ['healthy + dead endpoint', true],
    ] as const) {
      process.stderr.write(`http-isolation: ${label}, ${messages} messages...\n`);
      const result = await runCase(messages, withDead);
      rows.push([
        label,
        messages,
        Math.round(result.deliveriesPerSecond),
        result.p50Ms.toFixed(1),
        result.p99Ms.toFixed(1),
      ]);
    }
    return {
      title: 'HTTP delivery: a dead endpoint beside a healthy one',
      columns: ['case', 'messages', 'healthy deliveries/s', 'p50 ms', 'p99 ms'],
      rows,
      notes: [
        'One topic; the healthy endpoint (local node:http server, raw delivery) answers 200 at once;',
        'the dead one accepts connections and never answers, so its deliveries wait for the 15 s timeout.',
        `Latency: publish to receipt at the healthy endpoint; ${PUBLISHES_IN_FLIGHT} publishes in flight.`,
      ],
    };
  },
};
