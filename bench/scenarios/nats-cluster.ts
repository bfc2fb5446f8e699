import type { ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, open, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  CreateTopicCommand,
  ListSubscriptionsByTopicCommand,
  SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import { request } from 'undici';

import { zipDirectory } from '../../src/functions/bundle.js';
import { removePrefix, uniquePrefix } from '../../test/support/nats.js';
import {
  exited,
  freePort,
  startServerProcess,
  type ServerProcess,
} from '../../test/support/server-process.js';
import { PAYLOAD_BYTES } from '../fanout-case.js';
import { percentile } from '../percentiles.js';
import type { BenchTable, Scenario } from '../scenario.js';
import { withTimeout } from '../timeout.js';
import {
  RAW_PUBLISHES_IN_FLIGHT,
  benchNatsUrl,
  epochMs,
  jetStreamAnswers,
  ratePerSecond,
  runRawJetStream,
  type NatsRate,
} from './nats-raw.js';

/** Concurrent PublishBatch loops (10 messages each), split evenly over the nodes. */
const CLIENT_LOOPS = 128;
const WARM_UP_MESSAGES = 200;
const DELIVERY_TIMEOUT_MS = 600_000;
const CREDENTIALS = { accessKeyId: 'bench', secretAccessKey: 'bench' };

/**
 * The function under test: parses the publish time out of the body and appends `seq sentAt
 * receivedAt` to a file of its own worker (one write, no waiting), which the bench reads.
 */
const REPORTER = `
import { openSync, writeSync } from 'node:fs';
import { threadId } from 'node:worker_threads';
const fd = openSync(process.env.RECEIPTS_DIR + '/' + process.pid + '-' + threadId + '.txt', 'a');
export const handler = async (event) => {
  const receivedAt = performance.timeOrigin + performance.now();
  const { seq, t } = JSON.parse(event.Records[0].Sns.Message);
  writeSync(fd, seq + ' ' + t + ' ' + receivedAt + '\\n');
};
`;

/** A body of {@link PAYLOAD_BYTES} bytes carrying its sequence number and publish time. */
function timedPayload(seq: number, sentAt: number): string {
  const head = `{"seq":${seq},"t":${sentAt},"pad":"`;
  return `${head}${'x'.repeat(PAYLOAD_BYTES - head.length - 2)}"}`;
}

/**
 * Collects what the function wrote: first receipt and latency per message, by node pid.
 * Each worker's file is read from where the last poll stopped.
 */
class Collector {
  readonly receivedAt: Float64Array;
  readonly latencies: Float64Array;
  received = 0;
  duplicates = 0;
  warmUps = 0;
  readonly perPid = new Map<number, number>();
  private readonly offsets = new Map<string, number>();
  private readonly partial = new Map<string, string>();

  constructor(
    messages: number,
    readonly dir: string,
  ) {
    this.receivedAt = new Float64Array(messages);
    this.latencies = new Float64Array(messages);
  }

  /** Reads what the workers appended since the last poll. */
  private async poll(): Promise<void> {
    for (const name of await readdir(this.dir)) {
      const file = join(this.dir, name);
      const offset = this.offsets.get(name) ?? 0;
      const { size } = await stat(file);
      if (size <= offset) continue;
      const handle = await open(file, 'r');
      const buffer = Buffer.alloc(size - offset);
      await handle.read(buffer, 0, buffer.length, offset);
      await handle.close();
      this.offsets.set(name, size);
      const text = (this.partial.get(name) ?? '') + buffer.toString('utf8');
      const lines = text.split('\n');
      this.partial.set(name, lines.pop() ?? '');
      const pid = Number(name.split('-')[0]);
      for (const line of lines) this.record(pid, line);
    }
  }

  private record(pid: number, line: string): void {
    const [seq, sentAt, receivedAt] = line.split(' ').map(Number) as [number, number, number];
    if (seq < 0) {
      this.warmUps += 1;
    } else if (this.receivedAt[seq] === 0) {
      this.receivedAt[seq] = receivedAt;
      this.latencies[seq] = receivedAt - sentAt;
      this.received += 1;
      this.perPid.set(pid, (this.perPid.get(pid) ?? 0) + 1);
    } else {
      this.duplicates += 1;
    }
  }

  /** Resolves once `count()` reaches `target`, polling every 50 ms. */
  async until(count: () => number, target: number, what: string): Promise<void> {
    const reached = async () => {
      for (;;) {
        await this.poll();
        if (count() >= target) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    await withTimeout(reached(), DELIVERY_TIMEOUT_MS, what);
  }
}

const FORM_HEADERS = { 'content-type': 'application/x-www-form-urlencoded' };

/**
 * One PublishBatch of 10 as a form POST through undici's request API (lighter on the CPU
 * the nodes share with this client than fetch); resolves with the entries accepted.
 */
async function publishBatch(url: string, topicArn: string, bodies: string[]): Promise<number> {
  const form = new URLSearchParams({ Action: 'PublishBatch', TopicArn: topicArn });
  bodies.forEach((body, i) => {
    form.set(`PublishBatchRequestEntries.member.${i + 1}.Id`, `e${i}`);
    form.set(`PublishBatchRequestEntries.member.${i + 1}.Message`, body);
  });
  const response = await request(url, {
    method: 'POST',
    headers: FORM_HEADERS,
    body: form.toString(),
  });
  const text = await response.body.text();
  if (response.statusCode !== 200) {
    throw new Error(`PublishBatch answered ${response.statusCode}: ${text}`);
  }
  return text.split('<MessageId>').length - 1;
}

/** Publishes `count` messages numbered from `first` through every loop's node. */
async function publishAll(urls: string[], topicArn: string, first: number, count: number) {
  let next = 0;
  const loop = async (url: string) => {
    while (next < count) {
      const size = Math.min(10, count - next);
      const seqs = Array.from({ length: size }, (_, i) => first + next + i);
      next += size;
      const sentAt = epochMs();
      const accepted = await publishBatch(
        url,
        topicArn,
        seqs.map((s) => timedPayload(s, sentAt)),
      );
      if (accepted !== size) throw new Error(`${size - accepted} of a batch were refused`);
    }
  };
  await Promise.all(Array.from({ length: CLIENT_LOOPS }, (_, i) => loop(urls[i % urls.length]!)));
}

/**
 * Through the first node: deploys the reporter, creates a topic and subscribes the reporter;
 * then waits until every node lists the subscription. Resolves with the topic ARN.
 */
async function setUp(urls: string[], receiptsDir: string, dir: string): Promise<string> {
  const code = join(dir, 'reporter');
  await mkdir(code);
  await writeFile(join(code, 'index.mjs'), REPORTER);
  const client = { endpoint: urls[0]!, region: 'us-east-1', credentials: CREDENTIALS };
  const lambda = new LambdaClient(client);
  const sns = new SNSClient(client);
  try {
    const fn = await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'reporter',
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        Role: 'arn:aws:iam::000000000000:role/bench',
        Code: { ZipFile: zipDirectory(code) },
        Environment: { Variables: { RECEIPTS_DIR: receiptsDir } },
      }),
    );
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'bench' }));
    const topicArn = TopicArn!;
    const subscribe = new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: 'lambda',
      Endpoint: fn.FunctionArn,
      ReturnSubscriptionArn: true,
    });
    const { SubscriptionArn } = await sns.send(subscribe);
    await Promise.all(urls.map((url) => seesSubscription(url, topicArn, SubscriptionArn!)));
    return topicArn;
  } finally {
    lambda.destroy();
    sns.destroy();
  }
}

async function seesSubscription(url: string, topicArn: string, subscriptionArn: string) {
  const sns = new SNSClient({ endpoint: url, region: 'us-east-1', credentials: CREDENTIALS });
  const deadline = Date.now() + 30_000;
  try {
    for (;;) {
      const listed = await sns
        .send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }))
        .catch(() => undefined);
      if (listed?.Subscriptions?.some((s) => s.SubscriptionArn === subscriptionArn)) return;
      if (Date.now() > deadline) throw new Error(`${url} did not see the subscription in 30 s`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    sns.destroy();
  }
}

/** Stops a node: SIGTERM (drain), SIGKILL after 10 s. */
async function stopNode(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited(child);
  clearTimeout(timer);
}

/** How a Herald case went: the rate, and how many messages each node's function ran. */
export type HeraldRate = NatsRate & { perNode: number[] };

/**
 * Runs Herald with one `herald serve` per entry of `nodeArgs` (extra arguments, e.g. the
 * store's; each node gets its own data dir) and measures `messages` messages published
 * through the nodes until the reporter function has run for each.
 */
export async function runHeraldNodes(nodeArgs: string[][], messages: number): Promise<HeraldRate> {
  const dir = await mkdtemp(join(tmpdir(), 'herald-bench-nats-'));
  const receipts = join(dir, 'receipts');
  await mkdir(receipts);
  const collector = new Collector(messages, receipts);
  const nodes: ServerProcess[] = [];
  try {
    for (const [i, args] of nodeArgs.entries()) {
      const dataDir = ['--data-dir', join(dir, `node${i + 1}`), '--log-level', 'warn'];
      nodes.push(await startServerProcess([...dataDir, ...args], await freePort()));
    }
    const urls = nodes.map((node) => node.url);
    const topicArn = await setUp(urls, receipts, dir);

    await publishAll(urls, topicArn, -WARM_UP_MESSAGES - 1, WARM_UP_MESSAGES);
    await collector.until(() => collector.warmUps, WARM_UP_MESSAGES, 'warm-up deliveries');

    const startedAt = epochMs();
    await publishAll(urls, topicArn, 0, messages);
    const publishMs = epochMs() - startedAt;
    await collector.until(() => collector.received, messages, 'Herald deliveries');

    const lastReceipt = collector.receivedAt.reduce((last, time) => Math.max(last, time), 0);
    return {
      messages,
      publishMs,
      totalMs: lastReceipt - startedAt,
      received: collector.received,
      duplicates: collector.duplicates,
      p50Ms: percentile(collector.latencies, 50),
      p99Ms: percentile(collector.latencies, 99),
      perNode: nodes.map((node) => collector.perPid.get(node.child.pid ?? -1) ?? 0),
    };
  } finally {
    await Promise.all(nodes.map((node) => stopNode(node.child)));
    await rm(dir, { recursive: true, force: true });
  }
}

/** Herald on the NATS store at `url`: `count` nodes sharing a fresh prefix, removed after. */
async function runHeraldOnNats(url: string, count: number, messages: number) {
  const prefix = uniquePrefix();
  const store = ['--store', url, '--replicas', '1', '--nats-prefix', prefix];
  try {
    return await runHeraldNodes(
      Array.from({ length: count }, () => store),
      messages,
    );
  } finally {
    await removePrefix(prefix, url).catch(() => undefined);
  }
}

type Outcome = NatsRate | HeraldRate | Error | 'skipped';

async function attempt(label: string, run: () => Promise<NatsRate>): Promise<Outcome> {
  process.stderr.write(`nats: ${label}...\n`);
  try {
    return await run();
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

function row(label: string, nodes: number, outcome: Outcome, raw: Outcome) {
  if (outcome === 'skipped' || outcome instanceof Error) {
    const word = outcome === 'skipped' ? 'skipped' : 'failed';
    return [label, nodes, word, word, word, word, word, 'n/a'];
  }
  const perNode =
    'perNode' in outcome
      ? outcome.perNode.map((n) => n.toLocaleString('en-US')).join(' / ')
      : 'n/a';
  const ratio =
    raw === 'skipped' || raw instanceof Error
      ? 'n/a'
      : `${(ratePerSecond(outcome) / ratePerSecond(raw)).toFixed(2)}x`;
  return [
    label,
    nodes,
    Math.round(outcome.messages / (outcome.publishMs / 1000)),
    ratePerSecond(outcome),
    `${outcome.p50Ms.toFixed(1)} / ${outcome.p99Ms.toFixed(1)}`,
    outcome.duplicates,
    perNode,
    ratio,
  ];
}

/**
 * Publish → function on NATS: raw JetStream as the floor, then Herald with the NATS store on
 * 1, 2 and 3 node processes sharing it, on the same NATS server and message count.
 */
export async function runNatsBench(opts: { quick: boolean }): Promise<BenchTable> {
  const url = benchNatsUrl();
  const messages = opts.quick ? 5_000 : 50_000;
  const reachable = await jetStreamAnswers(url);
  const outcomes: Array<[string, number, Outcome]> = [];

  const raw = reachable
    ? await attempt('raw JetStream', () => runRawJetStream(url, messages))
    : 'skipped';
  outcomes.push(['raw-JetStream', 1, raw]);
  for (const count of [1, 2, 3]) {
    const label = count === 1 ? 'herald-1-node' : `herald-${count}-nodes`;
    const run = () => runHeraldOnNats(url, count, messages);
    outcomes.push([label, count, reachable ? await attempt(label, run) : 'skipped']);
  }

  const notes = [
    `${messages} messages of ${PAYLOAD_BYTES} bytes per case, on the NATS server at ${url} ` +
      '(file storage, one replica). msg/s = messages received per second, first publish to ' +
      'last receipt; publish/s = acknowledged publishes per second. Latency = publish call ' +
      'to receipt (handler start), p50 / p99 in ms.',
    `raw-JetStream: one client, ${RAW_PUBLISHES_IN_FLIGHT} publishes awaiting their ack, a ` +
      'durable pull consumer (explicit ack of each message) in another thread.',
    `herald-N: N \`herald serve --store\` processes sharing a fresh --nats-prefix; ` +
      `${CLIENT_LOOPS} client loops send PublishBatch (10 entries, plain form POSTs) ` +
      'round-robin over the nodes; one Protocol lambda subscription to a function that ' +
      'appends its receipt time to a file of its worker (one write per message), which the ' +
      'bench reads. Deliveries per node counts ' +
      'first receipts by the pid of the node that ran the function.',
    `Each Herald case first delivers ${WARM_UP_MESSAGES} unmeasured messages. Every ` +
      'process shares this machine, so more nodes also means less CPU for each.',
  ];
  if (!reachable) notes.push(`Skipped: no NATS with JetStream answered at ${url}.`);
  for (const [label, , outcome] of outcomes) {
    if (outcome instanceof Error) notes.push(`${label} failed: ${outcome.message.slice(0, 300)}`);
  }

  return {
    title: 'Publish → function on NATS: raw JetStream vs Herald on 1-3 nodes',
    columns: [
      'Case',
      'Nodes',
      'publish/s',
      'msg/s',
      'p50 / p99 ms',
      'Duplicates',
      'Deliveries per node',
      'msg/s ÷ raw',
    ],
    rows: outcomes.map(([label, nodes, outcome]) => row(label, nodes, outcome, raw)),
    notes,
    data: outcomes.map(([label, nodes, outcome]) => ({
      label,
      nodes,
      result: outcome instanceof Error ? { error: outcome.message } : outcome,
    })),
  };
}

/** The nats scenario, for the runner. */
export const natsScenario: Scenario = { name: 'nats', run: runNatsBench };
