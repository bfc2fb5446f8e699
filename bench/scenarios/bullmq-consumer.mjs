/**
 * The consumer side of the BullMQ comparison, run in its own thread so that, as in a real
 * deployment (and as Herald's function workers do), consuming does not share the
 * producer's event loop. One BullMQ Worker per queue with a no-op processor; records
 * processor start − job.timestamp for each job and reports the latencies once every job
 * has been processed.
 *
 * workerData: { names: string[], total: number, concurrency: number, connection: object }
 * posts: { type: 'ready' }, then { type: 'done', processed, latencies: Float64Array }
 */
import { parentPort, workerData } from 'node:worker_threads';

import { Worker } from 'bullmq';

const { names, total, concurrency, connection } = workerData;
const latencies = new Float64Array(total);
let processed = 0;
let finishing = false;

const finish = async () => {
  finishing = true;
  await Promise.all(workers.map((worker) => worker.close()));
  parentPort.postMessage({ type: 'done', processed, latencies }, [latencies.buffer]);
};

const processor = async (job) => {
  if (processed < total) latencies[processed] = Date.now() - job.timestamp;
  processed += 1;
  if (processed === total && !finishing) void finish();
};

const workers = names.map((name) => new Worker(name, processor, { connection, concurrency }));
await Promise.all(workers.map((worker) => worker.waitUntilReady()));
parentPort.postMessage({ type: 'ready' });
