import { once } from 'node:events';
import { Worker as Thread } from 'node:worker_threads';

import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

import { natsUrl, removePrefix, uniquePrefix } from '../../test/support/nats.js';
import { payload } from '../fanout-case.js';
import { percentile } from '../percentiles.js';
import { withTimeout } from '../timeout.js';

/** JetStream publishes the raw client keeps in flight before awaiting their acks. */
export const RAW_PUBLISHES_IN_FLIGHT = 1_000;

/** Messages the raw consumer asks the server for at a time. */
const RAW_CONSUMER_BATCH = 1_000;
const CONSUME_TIMEOUT_MS = 300_000;
const CONSUMER_SCRIPT = new URL('./nats-raw-consumer.mjs', import.meta.url);

/** How one publish → consume run went, on raw JetStream or through Herald. */
export interface NatsRate {
  messages: number;
  /** From the first publish until the last publish was acknowledged. */
  publishMs: number;
  /** From the first publish until the last message was received. */
  totalMs: number;
  /** Distinct messages received. */
  received: number;
  /** Receipts beyond the first of a message (at-least-once redeliveries). */
  duplicates: number;
  /** Publish call to receipt, over the first receipt of each message. */
  p50Ms: number;
  p99Ms: number;
}

/** Messages received per second, first publish to last receipt. */
export function ratePerSecond(rate: NatsRate): number {
  return Math.round(rate.received / (rate.totalMs / 1000));
}

/** The NATS server the benchmark runs on: `$HERALD_BENCH_NATS`, else the tests' one. */
export function benchNatsUrl(): string {
  return process.env['HERALD_BENCH_NATS'] ?? natsUrl();
}

/** Whether a NATS server with JetStream answers at `url` within two seconds. */
export async function jetStreamAnswers(url: string): Promise<boolean> {
  try {
    const connection = await connect({ servers: url.split(','), timeout: 2_000 });
    try {
      await (await jetstreamManager(connection)).getAccountInfo();
      return true;
    } finally {
      await connection.close();
    }
  } catch {
    return false;
  }
}

/** What the consumer thread reports once it has received every message. */
interface ConsumerReport {
  type: 'done';
  /** Receipt time by sequence number, epoch ms to the microsecond. */
  times: Float64Array;
  received: number;
  duplicates: number;
}

/** Starts the consumer thread on the stream's durable consumer and waits until it pulls. */
async function startConsumer(url: string, stream: string, messages: number): Promise<Thread> {
  const consumer = new Thread(CONSUMER_SCRIPT, {
    workerData: { url, stream, messages, batch: RAW_CONSUMER_BATCH },
  });
  const [message] = (await Promise.race([once(consumer, 'message'), once(consumer, 'error')])) as [
    unknown,
  ];
  if (message instanceof Error) throw message;
  return consumer;
}

/** Now, as epoch ms to the microsecond, comparable with other threads' and processes'. */
export function epochMs(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * Raw JetStream, as a floor for Herald on NATS: a file-backed stream with one replica, one
 * client publishing `messages` bodies of the bench's size with
 * {@link RAW_PUBLISHES_IN_FLIGHT} publishes awaiting their ack at any time, and a durable
 * pull consumer in another thread, on its own connection, acking each message. Latency is
 * publish call to receipt. The stream is deleted afterwards.
 */
export async function runRawJetStream(url: string, messages: number): Promise<NatsRate> {
  const prefix = uniquePrefix();
  const stream = `${prefix}-raw`;
  const subject = `${prefix}.raw`;
  const connection = await connect({ servers: url.split(',') });
  let consumer: Thread | undefined;

  try {
    const manager = await jetstreamManager(connection);
    await manager.streams.add({ name: stream, subjects: [subject], num_replicas: 1 });
    await manager.consumers.add(stream, { durable_name: 'bench', ack_policy: AckPolicy.Explicit });
    consumer = await startConsumer(url, stream, messages);
    const report = once(consumer, 'message') as Promise<[ConsumerReport]>;
    const js = jetstream(connection);

    const sentAt = new Float64Array(messages);
    let next = 0;
    const publisher = async () => {
      while (next < messages) {
        const seq = next++;
        sentAt[seq] = epochMs();
        await js.publish(subject, payload(seq));
      }
    };
    const startedAt = epochMs();
    await Promise.all(Array.from({ length: RAW_PUBLISHES_IN_FLIGHT }, publisher));
    const publishMs = epochMs() - startedAt;
    const [done] = await withTimeout(report, CONSUME_TIMEOUT_MS, 'raw JetStream consumption');

    const latencies = done.times.map((time, seq) => time - sentAt[seq]!);
    return {
      messages,
      publishMs,
      totalMs: done.times.reduce((last, time) => Math.max(last, time), 0) - startedAt,
      received: done.received,
      duplicates: done.duplicates,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
    };
  } finally {
    await consumer?.terminate();
    await connection.close();
    await removePrefix(prefix, url);
  }
}
