import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log/logger.js';
import type { DeduplicationRecord } from '../../src/store/journal.js';
import { NatsConnection } from '../../src/store/nats/connection.js';
import { DeduplicationClaims } from '../../src/store/nats/deduplication-claims.js';
import { natsUrl, removePrefix, uniquePrefix } from '../support/nats.js';

const CLAIM_TIMEOUT_MS = 300;

function record(messageId: string, overrides: Partial<DeduplicationRecord> = {}) {
  return {
    topicArn: 'arn:aws:sns:us-east-1:000000000000:orders.fifo',
    scope: '',
    deduplicationId: 'd1 !"#$%&()*+,-./:;<=>?@[]^_`{|}~',
    messageId,
    sequenceNumber: 1,
    expiresAt: Date.now() + 60_000,
    ...overrides,
  };
}

/** Two nodes' views of one claims bucket on the local NATS. */
describe('DeduplicationClaims shared by two nodes', () => {
  let prefix: string;
  let connections: NatsConnection[] = [];
  let a: DeduplicationClaims;
  let b: DeduplicationClaims;

  beforeEach(async () => {
    prefix = uniquePrefix();
    const options = { servers: [natsUrl()], replicas: 1, prefix, ackWaitMs: 30_000 };
    connections = [
      await NatsConnection.open(options, silentLogger()),
      await NatsConnection.open(options, silentLogger()),
    ];
    a = await DeduplicationClaims.open(connections[0]!, CLAIM_TIMEOUT_MS);
    b = await DeduplicationClaims.open(connections[1]!, CLAIM_TIMEOUT_MS);
  });

  afterEach(async () => {
    await Promise.all(connections.map((connection) => connection.close()));
    await removePrefix(prefix);
  });

  it('answers the first publish of an id to a later one through another node', async () => {
    const first = record('m1');
    expect(await a.claim(first)).toBeUndefined();
    await a.confirm(first);
    expect(await b.claim(record('m2'))).toEqual(first);

    // Long after its claim, a stored publish still holds its id for the whole window.
    await new Promise((resolve) => setTimeout(resolve, CLAIM_TIMEOUT_MS * 2));
    expect(await b.claim(record('m3'))).toEqual(first);
  });

  it('makes a duplicate wait for an unconfirmed claim until it is confirmed', async () => {
    const first = record('m1');
    await a.claim(first);
    const waiting = b.claim(record('m2'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await a.confirm(first);
    expect(await waiting).toEqual(first);
  });

  it('lets a released claim, an expired publish or a dead node’s claim be taken', async () => {
    await a.claim(record('m1'));
    await a.release(record('m1'));
    expect(await b.claim(record('m2'))).toBeUndefined();

    const claimedAt = Date.now();
    expect(await a.claim(record('m3'))).toBeUndefined();
    expect(Date.now() - claimedAt).toBeGreaterThanOrEqual(CLAIM_TIMEOUT_MS - 50);
    await a.confirm(record('m3', { expiresAt: Date.now() - 1 }));
    expect(await b.claim(record('m4'))).toBeUndefined();
    await b.confirm(record('m4'));
    expect(await a.claim(record('m5'))).toEqual(record('m4', { expiresAt: expect.any(Number) }));
  });

  it('gives one of two simultaneous claims the id, and the other its record', async () => {
    const [one, two] = [record('m1'), record('m2')];
    const answers = await Promise.all([
      a.claim(one).then(async (earlier) => (earlier ? earlier : (await a.confirm(one), one))),
      b.claim(two).then(async (earlier) => (earlier ? earlier : (await b.confirm(two), two))),
    ]);
    expect(answers[0]).toEqual(answers[1]);
  });
});
