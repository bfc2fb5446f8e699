import { afterEach, describe, expect, it } from 'vitest';
import type { PublishedMessage } from '../../src/domain/message.js';
import { silentLogger } from '../../src/log/logger.js';
import type { LeasedDelivery } from '../../src/store/journal.js';
import { NatsConnection } from '../../src/store/nats/connection.js';
import { NatsJournal } from '../../src/store/nats/nats-journal.js';
import {
  natsUrl,
  removePrefix,
  startNatsServer,
  uniquePrefix,
  type NatsServer,
} from '../support/nats.js';

function message(body: string): PublishedMessage {
  return {
    seq: 0,
    messageId: body,
    topicArn: 'arn:aws:sns:us-east-1:000000000000:orders',
    body,
    attributes: {},
    publishedAt: Date.now(),
  };
}

/** The NATS journal while its server goes away, on a throwaway nats-server. */
describe('NatsJournal during a NATS outage', () => {
  let server: NatsServer | undefined;
  let connection: NatsConnection | undefined;

  afterEach(async () => {
    await connection?.nc.close();
    await server?.stop();
  });

  it('keeps running when a retry of a held batch cannot be stored', async () => {
    server = await startNatsServer();
    const options = {
      servers: [server.url],
      replicas: 1,
      prefix: uniquePrefix(),
      ackWaitMs: 30_000,
    };
    connection = await NatsConnection.open(options, silentLogger());
    const journal = await NatsJournal.open({
      js: connection.js,
      jsm: connection.jsm,
      names: connection.names,
      replicas: 1,
      ackWaitMs: options.ackWaitMs,
      logger: silentLogger(),
    });
    const leased: LeasedDelivery[] = [];
    journal.lease(1, { deliver: (lease) => leased.push(lease), maxDeliveries: 4, ordered: false });
    await journal.append([
      { message: message('fails'), subscriptionIds: [1] },
      { message: message('slow'), subscriptionIds: [1] },
    ]);
    for (let i = 0; i < 100 && leased.length < 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(leased.map((lease) => lease.message.body)).toEqual(['fails', 'slow']);

    await server.stop();
    const [fails, slow] = leased as [LeasedDelivery, LeasedDelivery];
    journal.retry({
      messageSeq: fails.message.seq,
      subscriptionId: 1,
      attempt: 1,
      dueAt: Date.now(),
    });
    // The retry's publish times out while the batch is still held for the slow delivery.
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    journal.ack({ messageSeq: slow.message.seq, subscriptionId: 1 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await journal.close();
  }, 20_000);
});

describe('NatsJournal consumers', () => {
  it('gives an existing deliveries consumer the ack wait of a node started with another', async () => {
    const prefix = uniquePrefix();
    const connect = () =>
      NatsConnection.open(
        { servers: [natsUrl()], replicas: 1, prefix, ackWaitMs: 1 },
        silentLogger(),
      );
    const openJournal = async (connection: NatsConnection, ackWaitMs: number) => {
      const journal = await NatsJournal.open({
        js: connection.js,
        jsm: connection.jsm,
        names: connection.names,
        replicas: 1,
        ackWaitMs,
        logger: silentLogger(),
      });
      journal.lease(7, { deliver: () => undefined, maxDeliveries: 1, ordered: false });
      return journal;
    };
    const ackWaitOf = async (connection: NatsConnection) => {
      const { names } = connection;
      for (let i = 0; i < 100; i++) {
        try {
          const info = await connection.jsm.consumers.info(names.deliveries, 'sub7');
          return (info.config.ack_wait ?? 0) / 1e6;
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
      throw new Error('the consumer was not created');
    };
    const connection = await connect();
    try {
      const first = await openJournal(connection, 2_000);
      expect(await ackWaitOf(connection)).toBe(2_000);
      await first.close();

      const second = await openJournal(connection, 60_000);
      for (let i = 0; i < 100 && (await ackWaitOf(connection)) !== 60_000; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(await ackWaitOf(connection)).toBe(60_000);
      await second.close();
    } finally {
      await connection.close();
      await removePrefix(prefix);
    }
  });
});
