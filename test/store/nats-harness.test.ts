import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { Objm } from '@nats-io/obj';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  removePrefix,
  startNatsCluster,
  startNatsServer,
  uniquePrefix,
  type NatsCluster,
  type NatsServer,
} from '../support/nats.js';

const STREAM = 'harness';

/** Retries `attempt` every 100 ms until it resolves, for up to `timeoutMs`. */
async function eventually<T>(attempt: () => Promise<T>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

describe('the test harness NATS cluster', () => {
  let cluster: NatsCluster | undefined;
  let connection: NatsConnection | undefined;

  beforeAll(async () => {
    cluster = await startNatsCluster(3);
  }, 120_000);

  afterAll(async () => {
    await connection?.close();
    await cluster?.stop();
  });

  it('keeps an R3 stream writable and readable after its leader is SIGKILLed', async () => {
    connection = await connect({
      servers: cluster!.urls,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
    });
    const manager = await jetstreamManager(connection);
    await manager.streams.add({ name: STREAM, subjects: [`${STREAM}.>`], num_replicas: 3 });
    const js = jetstream(connection, { timeout: 5_000 });
    const publish = (i: number) =>
      eventually(() => js.publish(`${STREAM}.m`, `m${i}`, { msgID: `m${i}` }));

    for (let i = 0; i < 200; i++) await publish(i);
    const before = await manager.streams.info(STREAM);
    const leader = before.cluster?.leader ?? '';
    expect(before.cluster?.replicas?.length).toBe(2);
    expect(leader).toMatch(/^node\d$/);

    await cluster!.kill(Number(leader.slice('node'.length)));
    for (let i = 200; i < 400; i++) await publish(i);

    const after = await eventually(() => manager.streams.info(STREAM));
    expect(after.cluster?.leader).not.toBe(leader);
    expect(after.state.messages).toBe(400);

    await eventually(() =>
      manager.consumers.add(STREAM, { durable_name: 'reader', ack_policy: AckPolicy.Explicit }),
    );
    const consumer = await js.consumers.get(STREAM, 'reader');
    const received = new Set<string>();
    const deadline = Date.now() + 30_000;
    while (received.size < 400 && Date.now() < deadline) {
      const batch = await consumer.fetch({ max_messages: 100, expires: 2_000 });
      for await (const message of batch) {
        received.add(message.string());
        await message.ackAck();
      }
    }
    expect(received.size).toBe(400);
    expect(received).toEqual(new Set(Array.from({ length: 400 }, (_, i) => `m${i}`)));
  }, 120_000);
});

describe('a throwaway NATS server and prefix cleanup', () => {
  let server: NatsServer | undefined;

  beforeAll(async () => {
    server = await startNatsServer();
  }, 60_000);

  afterAll(() => server?.stop());

  it('makes prefixes a --nats-prefix accepts', () => {
    const prefixes = new Set(Array.from({ length: 100 }, uniquePrefix));
    expect(prefixes.size).toBe(100);
    for (const prefix of prefixes) expect(prefix).toMatch(/^t-[a-z0-9-]{1,30}$/);
  });

  it("removes one prefix's streams, buckets and object stores, and nothing else", async () => {
    const [mine, other] = [uniquePrefix(), uniquePrefix()];
    const connection = await connect({ servers: server!.url });
    try {
      const manager = await jetstreamManager(connection);
      for (const prefix of [mine, other]) {
        await manager.streams.add({ name: `${prefix}-events`, subjects: [`${prefix}.events.>`] });
        await new Kvm(connection).create(`${prefix}-catalog`);
        await new Objm(connection).create(`${prefix}-code`);
      }

      const removed = await removePrefix(mine, server!.url);

      expect(removed.sort()).toEqual(
        [`${mine}-events`, `KV_${mine}-catalog`, `OBJ_${mine}-code`].sort(),
      );
      const left: string[] = [];
      for await (const name of manager.streams.names()) left.push(name);
      expect(left.sort()).toEqual(
        [`${other}-events`, `KV_${other}-catalog`, `OBJ_${other}-code`].sort(),
      );
    } finally {
      await connection.close();
    }
  });
});
