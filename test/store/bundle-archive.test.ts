import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log/logger.js';
import { BundleArchive } from '../../src/store/nats/bundle-archive.js';
import { NatsConnection } from '../../src/store/nats/connection.js';
import { natsUrl, removePrefix, uniquePrefix } from '../support/nats.js';

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('base64');

describe('BundleArchive', () => {
  const prefix = uniquePrefix();
  let connection: NatsConnection | undefined;
  let archive: BundleArchive;

  beforeAll(async () => {
    const options = { servers: [natsUrl()], replicas: 1, prefix, ackWaitMs: 30_000 };
    connection = await NatsConnection.open(options, silentLogger());
    archive = await BundleArchive.open(connection);
  });

  afterAll(async () => {
    await connection?.close();
    await removePrefix(prefix);
  });

  it('stores a bundle once under its digest and gives it back', async () => {
    const zip = new Uint8Array(300_000).map((_, i) => i % 251);
    await archive.put(sha256(zip), zip);
    await archive.put(sha256(zip), zip);

    expect(await archive.get(sha256(zip))).toEqual(zip);
    const objects = await connection!.objm.open(connection!.names.bundles);
    const hex = createHash('sha256').update(zip).digest('hex');
    expect((await objects.list()).map((info) => info.name)).toEqual([hex]);
  });

  it('answers undefined for a bundle it does not hold', async () => {
    expect(await archive.get(sha256(new Uint8Array([1, 2, 3])))).toBeUndefined();
  });

  it("refuses a digest that is not the bundle's, or not a SHA-256 at all", async () => {
    const zip = new Uint8Array([4, 5, 6]);
    await expect(archive.put(sha256(new Uint8Array([7])), zip)).rejects.toMatchObject({
      code: 'InvalidParameterValue',
    });
    await expect(archive.get('not-a-digest')).rejects.toMatchObject({
      code: 'InvalidParameterValue',
    });
  });
});
