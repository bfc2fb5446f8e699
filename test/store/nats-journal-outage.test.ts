import { afterEach, describe, expect, it } from 'vitest';
import type { PublishedMessage } from '../../src/domain/message.js';
import { silentLogger } from '../../src/log/logger.js';
import type { LeasedDelivery } from '../../src/store/journal.js';
import { NatsConnection } from '../../src/store/nats/connection.js';
import { NatsJournal } from '../../src/store/nats/nats-journal.js';
import { startNatsServer, uniquePrefix, type NatsServer } from '../support/nats.js';

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
    journal.lease(1, { deliver: (lease) => leased.push(lease), maxLeased: 4, ordered: false });
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
