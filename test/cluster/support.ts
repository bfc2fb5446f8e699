import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateFunctionCommand, GetFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  ListSubscriptionsByTopicCommand,
  PublishBatchCommand,
  SubscribeCommand,
  type SNSClient,
} from '@aws-sdk/client-sns';
import { zipHandler } from '../lambda/support.js';
import {
  exited,
  freePort,
  startServerProcess,
  type ServerProcess,
} from '../support/server-process.js';
import { TEST_CREDENTIALS, createTopic, snsClient } from '../support/sns-sdk.js';

/** How the nodes of one Herald cluster reach their shared NATS store. */
export interface NatsStoreOptions {
  /** NATS server URLs (`--store`). */
  servers: string[];
  /** `--nats-prefix`: the cluster's streams and buckets. */
  prefix: string;
  /** `--replicas`: copies of each stream and bucket. */
  replicas: number;
  /** `--ack-wait`: how long a leased delivery may stay unacknowledged, ms. */
  ackWaitMs: number;
}

/** One `herald serve --store nats://…` child process, with SDK clients for it. */
export interface HeraldNode {
  server: ServerProcess;
  /** SNS client that makes one attempt per call, so a dead node fails fast. */
  sns: SNSClient;
  lambda: LambdaClient;
  /** False once the test killed the process. */
  alive: boolean;
}

/**
 * Starts `count` Herald nodes, each with its own data dir under `dir`: one after the other,
 * or all at once with `together` (as a deployment starts them, racing to create the
 * cluster's streams and buckets). When one fails to start, stops the others before
 * rejecting.
 */
export async function startHeraldNodes(
  count: number,
  store: NatsStoreOptions,
  dir: string,
  together = false,
): Promise<HeraldNode[]> {
  const nodes: HeraldNode[] = [];
  try {
    if (together) {
      const starts = Array.from({ length: count }, (_, i) => startHeraldNode(i + 1, store, dir));
      const started = await Promise.allSettled(starts);
      for (const outcome of started) if (outcome.status === 'fulfilled') nodes.push(outcome.value);
      const failed = started.find((outcome) => outcome.status === 'rejected');
      if (failed) throw failed.reason;
    } else {
      for (let i = 0; i < count; i++) nodes.push(await startHeraldNode(i + 1, store, dir));
    }
  } catch (error) {
    await stopHeraldNodes(nodes);
    throw error;
  }
  return nodes;
}

async function startHeraldNode(
  number: number,
  store: NatsStoreOptions,
  dir: string,
): Promise<HeraldNode> {
  const args = [
    ...['--data-dir', join(dir, `node${number}`), '--log-level', 'warn'],
    ...['--store', store.servers.join(','), '--replicas', String(store.replicas)],
    ...['--nats-prefix', store.prefix, '--ack-wait', String(store.ackWaitMs)],
  ];
  const server = await startServerProcess(args, await freePort());
  return {
    server,
    sns: snsClient(server.url, TEST_CREDENTIALS, { maxAttempts: 1 }),
    lambda: new LambdaClient({
      endpoint: server.url,
      region: 'us-east-1',
      credentials: TEST_CREDENTIALS,
    }),
    alive: true,
  };
}

/** What every node logged, for a failure message. */
export function nodeLogs(nodes: HeraldNode[]): string {
  return nodes.map((node, i) => `--- herald node ${i + 1}:\n${node.server.output()}`).join('\n');
}

/** SIGKILLs a node and waits until its process has exited. */
export async function killNode(node: HeraldNode): Promise<void> {
  node.alive = false;
  node.server.child.kill('SIGKILL');
  await exited(node.server.child);
}

/** Stops every node still running (SIGTERM, then SIGKILL after 10 s) and closes the clients. */
export async function stopHeraldNodes(nodes: HeraldNode[]): Promise<void> {
  await Promise.all(
    nodes.map(async (node) => {
      node.sns.destroy();
      node.lambda.destroy();
      const { child } = node.server;
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited(child);
      clearTimeout(timer);
    }),
  );
}

/**
 * The handler every cluster test deploys: appends `<MessageId> <pid>` to $OUT_FILE for each
 * SNS record. Worker threads share their node's pid, so the pid names the node that ran it.
 */
const RECORDER = `
import { appendFileSync } from 'node:fs';
export const handler = async (event) => {
  appendFileSync(process.env.OUT_FILE, event.Records[0].Sns.MessageId + ' ' + process.pid + '\\n');
};
`;

/** A topic with the recorder function subscribed to it. */
export interface RecorderSetup {
  topicArn: string;
  subscriptionArn: string;
}

/**
 * Through `node`: deploys the recorder as `recorder` (writing to `outFile`, code zipped under
 * `dir`), creates the topic `orders` and subscribes the function to it.
 */
export async function setUpRecorder(
  node: HeraldNode,
  outFile: string,
  dir: string,
): Promise<RecorderSetup> {
  const created = await node.lambda.send(
    new CreateFunctionCommand({
      FunctionName: 'recorder',
      Runtime: 'nodejs20.x',
      Handler: 'index.handler',
      Role: 'arn:aws:iam::000000000000:role/any',
      Timeout: 10,
      Code: { ZipFile: zipHandler(dir, 'recorder', RECORDER) },
      Environment: { Variables: { OUT_FILE: outFile } },
    }),
  );
  const topicArn = await createTopic(node.sns, 'orders');
  const { SubscriptionArn } = await node.sns.send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: 'lambda',
      Endpoint: created.FunctionArn,
      ReturnSubscriptionArn: true,
    }),
  );
  if (!SubscriptionArn) throw new Error('Subscribe answered no SubscriptionArn');
  return { topicArn, subscriptionArn: SubscriptionArn };
}

/** Polls every 200 ms until `check` resolves true; throws naming `what` after `timeoutMs`. */
export async function waitUntil(
  check: () => Promise<boolean> | boolean,
  what: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not there yet: a node may answer NotFound until the change reaches it
    }
    if (Date.now() > deadline) throw new Error(`${what}: not so after ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Waits until every node lists the subscription and knows the recorder function. */
export async function waitUntilEveryNodeSees(
  nodes: HeraldNode[],
  setup: RecorderSetup,
  timeoutMs = 30_000,
): Promise<void> {
  await Promise.all(
    nodes.map((node, i) =>
      waitUntil(
        async () => {
          await node.lambda.send(new GetFunctionCommand({ FunctionName: 'recorder' }));
          const listed = await node.sns.send(
            new ListSubscriptionsByTopicCommand({ TopicArn: setup.topicArn }),
          );
          return (listed.Subscriptions ?? []).some(
            (s) => s.SubscriptionArn === setup.subscriptionArn,
          );
        },
        `node ${i + 1} sees the recorder and its subscription`,
        timeoutMs,
      ),
    ),
  );
}

/** What {@link publishSpread} did. */
export interface PublishOutcome {
  /** MessageIds of every entry whose publish was acknowledged. */
  acknowledged: string[];
  /** How many of them were acknowledged after `disrupt` had run. */
  acknowledgedAfterDisruption: number;
  /** PublishBatch calls that failed outright, or entries a batch reported as failed. */
  failures: number;
}

/**
 * Publishes until `total` messages are acknowledged: `loops` concurrent client loops send
 * PublishBatch calls of 10 entries, round-robin over the nodes still alive. Once `disruptAt`
 * messages are acknowledged, runs `disrupt` (kill a node, a NATS server…) while the loops go
 * on. Failed publishes are counted, not retried, and do not count as acknowledged.
 */
export async function publishSpread(
  nodes: HeraldNode[],
  topicArn: string,
  options: {
    total: number;
    loops: number;
    disruptAt: number;
    disrupt: () => Promise<void>;
    timeoutMs: number;
  },
): Promise<PublishOutcome> {
  const outcome: PublishOutcome = { acknowledged: [], acknowledgedAfterDisruption: 0, failures: 0 };
  const deadline = Date.now() + options.timeoutMs;
  let disrupted = false;
  let batch = 0;

  const loop = async () => {
    while (outcome.acknowledged.length < options.total) {
      if (Date.now() > deadline) throw new Error(`publishing took over ${options.timeoutMs} ms`);
      const alive = nodes.filter((node) => node.alive);
      const id = batch++;
      const node = alive[id % alive.length]!;
      const entries = Array.from({ length: 10 }, (_, i) => ({
        Id: `e${i}`,
        Message: JSON.stringify({ batch: id, entry: i }),
      }));
      const disruptedBefore = disrupted;
      try {
        const result = await node.sns.send(
          new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: entries }),
        );
        for (const ok of result.Successful ?? []) outcome.acknowledged.push(ok.MessageId!);
        if (disruptedBefore) outcome.acknowledgedAfterDisruption += result.Successful?.length ?? 0;
        outcome.failures += result.Failed?.length ?? 0;
      } catch {
        outcome.failures += 1;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  };
  const disruption = (async () => {
    while (outcome.acknowledged.length < options.disruptAt) {
      if (Date.now() > deadline) return;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await options.disrupt();
    disrupted = true;
  })();

  await Promise.all([disruption, ...Array.from({ length: options.loops }, loop)]);
  return outcome;
}

/** The lines the recorder wrote so far: which process ran each MessageId. */
export function deliveries(outFile: string): Array<{ messageId: string; pid: number }> {
  if (!existsSync(outFile)) return [];
  const lines = readFileSync(outFile, 'utf8').split('\n');
  return lines.flatMap((line) => {
    const match = /^(\S+) (\d+)$/.exec(line);
    return match ? [{ messageId: match[1]!, pid: Number(match[2]) }] : [];
  });
}

/**
 * Waits (up to `timeoutMs`) until the recorder ran for every id of `acknowledged`; resolves
 * with those still missing then (none, when all arrived).
 */
export async function awaitDeliveries(
  outFile: string,
  acknowledged: string[],
  timeoutMs: number,
): Promise<string[]> {
  let missing = acknowledged;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const delivered = new Set(deliveries(outFile).map((d) => d.messageId));
    missing = missing.filter((id) => !delivered.has(id));
    if (missing.length === 0 || Date.now() > deadline) return missing;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
