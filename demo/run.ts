import { Agent } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';

import { createLogger } from '../src/log/logger.js';
import { startServer } from '../src/server/start.js';
import { checkConsistency } from './checks.js';
import { deployExample } from './deploy.js';
import { expectOutcomes } from './expectations.js';
import { waitForIdle } from './idle.js';
import { generateOrderEvents } from './orders.js';
import { createProgress } from './progress.js';
import { publishOrderEvents } from './publisher.js';
import type { DemoResults } from './results.js';
import { subscribeFunction } from './subscribe.js';
import { DEMO_SUBSCRIPTIONS, EXAMPLES_DIR } from './subscriptions.js';
import { formatSummary } from './summary.js';

// Herald supports Node 20; the SDK's notice that it will one day need Node 22 is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** PublishBatch requests kept in flight. */
const CONCURRENCY = 48;

/** How long deliveries may take to drain after the last publish before the demo gives up. */
const IDLE_TIMEOUT_MS = 90_000;

function messageCount(): number {
  const count = Number(process.env.DEMO_MESSAGES ?? 100_000);
  if (!Number.isInteger(count) || count <= 0) {
    throw new Error(`DEMO_MESSAGES must be a positive integer, got ${process.env.DEMO_MESSAGES}`);
  }
  return count;
}

/**
 * The Herald demo: an embedded server, the example functions subscribed to an `orders`
 * topic through the AWS SDK, a stream of order events, and a summary that accounts for
 * every message. Resolves with the process exit code.
 */
async function runDemo(): Promise<number> {
  const events = generateOrderEvents(messageCount());
  const dataDir = await mkdtemp(join(tmpdir(), 'herald-demo-'));
  const server = await startServer({ dataDir, port: 0, logger: createLogger('error') });
  const sns = new SNSClient({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'herald-demo', secretAccessKey: 'herald-demo' },
    maxAttempts: 1,
    requestHandler: { httpAgent: new Agent({ keepAlive: true, maxSockets: CONCURRENCY }) },
  });
  const { herald } = server;

  try {
    console.log(`Herald listening at ${server.url} (data in ${dataDir})`);
    const { TopicArn: topicArn } = await sns.send(new CreateTopicCommand({ Name: 'orders' }));
    if (!topicArn) throw new Error('CreateTopic returned no TopicArn');

    const subscriptionArns = new Map<string, string>();
    for (const subscription of DEMO_SUBSCRIPTIONS) {
      const fn = await deployExample(herald, subscription.functionName, EXAMPLES_DIR);
      const arn = await subscribeFunction(sns, herald, topicArn, fn.arn, subscription);
      subscriptionArns.set(subscription.functionName, arn);
      console.log(`Subscribed ${fn.name} with filter policy ${subscription.filterPolicy.trim()}`);
    }

    const progress = createProgress('Publishing', events.length);
    const startedAt = performance.now();
    const publish = await publishOrderEvents(sns, topicArn, events, CONCURRENCY, progress);
    await waitForIdle(herald, IDLE_TIMEOUT_MS);
    const endToEndMs = performance.now() - startedAt;

    const deadLetters = new Map<string, number>();
    for (const { deadLetterQueue } of DEMO_SUBSCRIPTIONS) {
      if (!deadLetterQueue) continue;
      const letters = await herald.listDeadLetters(deadLetterQueue, events.length + 1);
      deadLetters.set(deadLetterQueue, letters.length);
    }

    const results: DemoResults = {
      publish,
      concurrency: CONCURRENCY,
      endToEndMs,
      metrics: herald.metrics(),
      subscriptionArns,
      expectations: expectOutcomes(DEMO_SUBSCRIPTIONS, publish.accepted),
      deadLetters,
    };
    const checks = checkConsistency(results, DEMO_SUBSCRIPTIONS);
    console.log(formatSummary(results, DEMO_SUBSCRIPTIONS, checks));
    return checks.every((c) => c.ok) ? 0 : 1;
  } finally {
    sns.destroy();
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

process.exitCode = await runDemo();
