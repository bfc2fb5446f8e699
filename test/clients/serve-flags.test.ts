import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dir.js';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../../bin/herald.js', import.meta.url));
const dir = tempDir('herald-serve-flags-');

afterAll(() => dir.remove());

describe('herald serve flags', () => {
  it('refuses an unknown --log-level with the levels it takes', async () => {
    const args = [BIN, 'serve', '--log-level', 'loud', '--port', '0'];
    const outcome = await run(process.execPath, [...args, '--data-dir', join(dir.path, 'd')], {
      timeout: 20_000,
    }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );

    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain(
      "--log-level must be one of fatal, error, warn, info, debug, trace, silent; got 'loud'",
    );
    expect(outcome.stderr).not.toContain('custom levels');
  });
});
