/**
 * The consumer side of the raw JetStream run, in its own thread so that, as Herald's nodes
 * do, consuming does not share the publisher's event loop. Pulls from the durable consumer
 * `bench` of the stream, acks each message, and records its receipt time (epoch ms, to the
 * microsecond: `performance.timeOrigin + performance.now()`, comparable across threads) by
 * the sequence number its `payload(seq)` body starts with.
 *
 * workerData: { url: string, stream: string, messages: number, batch: number }
 * posts: { type: 'ready' }, then { type: 'done', times: Float64Array, received, duplicates }
 */
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';

import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

const { url, stream, messages, batch } = workerData;
const times = new Float64Array(messages);
let received = 0;
let duplicates = 0;

const connection = await connect({ servers: url.split(',') });
const consumer = await jetstream(connection).consumers.get(stream, 'bench');
const iterator = await consumer.consume({ max_messages: batch });
parentPort.postMessage({ type: 'ready' });

for await (const message of iterator) {
  const body = message.string();
  const seq = Number(body.slice('{"seq":'.length, body.indexOf(',')));
  if (times[seq] === 0) {
    times[seq] = performance.timeOrigin + performance.now();
    received += 1;
  } else {
    duplicates += 1;
  }
  message.ack();
  if (received === messages) break;
}
await iterator.close();
await connection.drain();
parentPort.postMessage({ type: 'done', times, received, duplicates }, [times.buffer]);
