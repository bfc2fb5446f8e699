import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHerald, type Herald } from '../../src/core/herald.js';
import { isPublicAddress } from '../../src/delivery/http/endpoint-guard.js';
import { HttpTransport } from '../../src/delivery/http/http-transport.js';
import { memoryLogger } from '../functions/fixtures.js';
import { tempDir } from '../support/temp-dir.js';
import { Receiver } from './support/receiver.js';

/** IPv6 forms that carry a loopback, private or unspecified IPv4 address. */
const EMBEDDED_PRIVATE = [
  '::127.0.0.1',
  '::7f00:1',
  '::10.0.0.1',
  '::169.254.169.254',
  '::ffff:127.0.0.1',
  '::ffff:192.168.1.1',
  '64:ff9b::127.0.0.1',
  '64:ff9b::a00:1',
  '2002:7f00:1::',
  '2002:c0a8:101::1',
];

describe('isPublicAddress', () => {
  it.each(EMBEDDED_PRIVATE)('refuses %s by the IPv4 address it carries', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(['::', '::1', '0.0.0.0', '127.0.0.1', 'fe80::1', 'fc00::1'])('refuses %s', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(['8.8.8.8', '::8.8.8.8', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1'])(
    'accepts %s, which carries a public address',
    (address) => {
      expect(isPublicAddress(address)).toBe(true);
    },
  );

  it('accepts a public IPv6 address', () => {
    expect(isPublicAddress('2606:4700:4700::1111')).toBe(true);
  });
});

describe('endpoints at IPv6 forms of private addresses', () => {
  let receiver: Receiver;
  let port: number;
  beforeAll(async () => {
    receiver = await Receiver.start();
    port = Number(new URL(receiver.url()).port);
  });
  afterAll(() => receiver.close());

  it('refuses to post to them', async () => {
    const transport = new HttpTransport({
      allowPrivateEndpoints: false,
      timeoutMs: 2000,
      connectionsPerOrigin: 4,
    });
    try {
      for (const host of ['[::127.0.0.1]', '[64:ff9b::127.0.0.1]', '[2002:7f00:1::]']) {
        const result = await transport.post(new URL(`http://${host}:${port}/x`), {}, 'probe');
        expect(result).toMatchObject({ ok: false, retryable: false });
        expect(result.ok ? '' : result.error).toContain('--allow-private-endpoints');
      }
    } finally {
      await transport.close();
    }
  });

  it('refuses the subscription and sends nothing there', async () => {
    const dir = tempDir('herald-endpoint-guard-');
    const { logger } = memoryLogger();
    let herald: Herald | undefined;
    try {
      herald = await createHerald({
        dataDir: join(dir.path, 'data'),
        logger,
        allowPrivateEndpoints: false,
      });
      const topic = await herald.createTopic('guarded');
      await expect(
        herald.subscribe(topic.arn, 'http', `http://[::127.0.0.1]:${port}/hook`),
      ).rejects.toMatchObject({
        code: 'InvalidParameter',
        message: expect.stringContaining('--allow-private-endpoints') as unknown,
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(receiver.received).toEqual([]);
    } finally {
      await herald?.close();
      dir.remove();
    }
  });
});
