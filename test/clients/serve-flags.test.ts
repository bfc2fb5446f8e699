import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dir.js';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../../bin/herald.js', import.meta.url));
const dir = tempDir('herald-serve-flags-');

afterAll(() => dir.remove());

/** Runs `herald serve` with `flags`, expecting it to stop on its own. */
async function serve(flags: string[]): Promise<{ code: number; stderr: string }> {
  const args = [BIN, 'serve', '--port', '0', '--data-dir', join(dir.path, 'd'), ...flags];
  return run(process.execPath, args, { timeout: 30_000 }).then(
    () => ({ code: 0, stderr: '' }),
    (error: { code: number; stderr: string }) => error,
  );
}

describe('herald serve flags', () => {
  it('refuses an unknown --log-level with the levels it takes', async () => {
    const outcome = await serve(['--log-level', 'loud']);

    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain(
      "--log-level must be one of fatal, error, warn, info, debug, trace, silent; got 'loud'",
    );
    expect(outcome.stderr).not.toContain('custom levels');
  });

  it('refuses a --store that is neither sqlite nor nats://', async () => {
    const outcome = await serve(['--store', 'redis://127.0.0.1:6379']);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain("--store must be 'sqlite' or nats://host:port");
  });

  it('refuses NATS settings without a NATS store, and bad values', async () => {
    const alone = await serve(['--replicas', '3']);
    expect(alone.code).toBe(1);
    expect(alone.stderr).toContain('--replicas: only for the NATS store');

    const zero = await serve(['--store', 'nats://127.0.0.1:4222', '--replicas', '0']);
    expect(zero.code).toBe(1);
    expect(zero.stderr).toContain('--replicas must be a whole number from 1 to 5');

    const port = await serve(['--store', 'nats://127.0.0.1:abc']);
    expect(port.stderr).toContain("--store: 'nats://127.0.0.1:abc' is not a NATS server URL");

    const prefix = await serve(['--store', 'nats://127.0.0.1:4222', '--nats-prefix', 'Orders']);
    expect(prefix.stderr).toContain('--nats-prefix must be 1-32 lowercase letters');
  });

  it('names the config file key, not a flag, when the file holds a bad store setting', async () => {
    const config = join(dir.path, 'herald.json');
    writeFileSync(config, JSON.stringify({ store: 'nats://127.0.0.1:4222', ackWaitMs: 50 }));
    const outcome = await serve(['--config', config]);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain('"ackWaitMs" in the config file must be a whole number');

    writeFileSync(config, JSON.stringify({ natsPrefix: 'orders' }));
    const sqlite = await serve(['--config', config]);
    expect(sqlite.stderr).toContain('"natsPrefix" in the config file: only for the NATS store');
  });

  it('stops with a clear error when no NATS server answers', async () => {
    const outcome = await serve(['--store', 'nats://127.0.0.1:1']);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain('cannot connect to NATS at nats://127.0.0.1:1');
  });
});
