import { once } from 'node:events';
import { Worker as Thread } from 'node:worker_threads';

import { Queue, type ConnectionOptions } from 'bullmq';
import { Redis } from 'ioredis';

import { payload, type FanoutCase, type FanoutResult } from '../fanout-case.js';
import { percentile } from '../percentiles.js';
import { withTimeout } from '../timeout.js';

/** The local Redis BullMQ runs on. */
const REDIS = { host: '127.0.0.1', port: 6379 } as const;

/** Jobs added per `addBulk` call. */
export const BULLMQ_CHUNK = 1_000;

/** Processor concurrency of each queue's Worker. */
export const BULLMQ_WORKER_CONCURRENCY = 100;

/** `addBulk` calls kept in flight per queue. */
const CHUNKS_IN_FLIGHT = 4;
const DRAIN_TIMEOUT_MS = 600_000;
const CONSUMER_SCRIPT = new URL('./bullmq-consumer.mjs', import.meta.url);

/** What the consumer thread reports once every job has been processed. */
interface ConsumerReport {
  type: 'done';
  processed: number;
  latencies: Float64Array;
}

/** Whether a Redis server answers PING at 127.0.0.1:6379 within half a second. */
export async function redisAnswers(): Promise<boolean> {
  const redis = new Redis({
    ...REDIS,
    lazyConnect: true,
    connectTimeout: 500,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);

  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

async function addAll(queue: Queue, messages: number): Promise<void> {
  let nextChunk = 0;
  const chunks = Math.ceil(messages / BULLMQ_CHUNK);

  const producer = async (): Promise<void> => {
    while (nextChunk < chunks) {
      const first = BULLMQ_CHUNK * nextChunk++;
      const count = Math.min(BULLMQ_CHUNK, messages - first);
      const jobs = Array.from({ length: count }, (_, i) => ({
        name: 'message',
        data: { body: payload(first + i) },
        opts: { removeOnComplete: true, removeOnFail: true },
      }));
      await queue.addBulk(jobs);
    }
  };

  await Promise.all(Array.from({ length: CHUNKS_IN_FLIGHT }, producer));
}

async function startConsumer(names: string[], total: number): Promise<Thread> {
  const consumer = new Thread(CONSUMER_SCRIPT, {
    workerData: { names, total, concurrency: BULLMQ_WORKER_CONCURRENCY, connection: REDIS },
  });
  const [message] = (await Promise.race([once(consumer, 'message'), once(consumer, 'error')])) as [
    unknown,
  ];
  if (message instanceof Error) throw message;
  return consumer;
}

/**
 * Runs one fan-out case on BullMQ: a queue per subscription, each message added to every
 * queue (fan-out by the producer), a Worker per queue with a no-op processor in a consumer
 * thread. Latency is processor start − `job.timestamp` (set when the job was created), in
 * whole milliseconds. The queues are obliterated afterwards.
 */
export async function runBullmqFanout(fanout: FanoutCase): Promise<FanoutResult> {
  const connection: ConnectionOptions = { ...REDIS, maxRetriesPerRequest: null };
  const runId = `herald-bench-${process.pid}-${Date.now()}`;
  const total = fanout.messages * fanout.subscriptions;
  const names = Array.from({ length: fanout.subscriptions }, (_, i) => `${runId}-${i}`);
  const queues = names.map((name) => new Queue(name, { connection }));
  const consumer = await startConsumer(names, total);

  try {
    await Promise.all(queues.map((queue) => queue.waitUntilReady()));
    const report = once(consumer, 'message') as Promise<[ConsumerReport]>;

    const startedAt = performance.now();
    await Promise.all(queues.map((queue) => addAll(queue, fanout.messages)));
    const publishMs = performance.now() - startedAt;
    const [done] = await withTimeout(report, DRAIN_TIMEOUT_MS, 'BullMQ processing');
    const totalMs = performance.now() - startedAt;

    return {
      ...fanout,
      deliveries: done.processed,
      publishMs,
      totalMs,
      p50Ms: percentile(done.latencies, 50),
      p99Ms: percentile(done.latencies, 99),
    };
  } finally {
    await consumer.terminate();
    await Promise.all(queues.map((queue) => queue.obliterate({ force: true })));
    await Promise.all(queues.map((queue) => queue.close()));
  }
}
