import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('npm run demo', () => {
  it('publishes a small stream and accounts for every message', async () => {
    const { stdout } = await run('npx', ['tsx', 'demo/run.ts'], {
      cwd: ROOT,
      env: { ...process.env, DEMO_MESSAGES: '2000' },
      timeout: 110_000,
      maxBuffer: 16 * 1024 * 1024,
    });

    expect(stdout).toMatch(/^Published\s+2,000 order events$/m);
    expect(stdout).toMatch(/^Summary: all \d+ checks passed, every message accounted for$/m);
  }, 120_000);
});
