import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exited, freePort, startServerProcess } from '../support/server-process.js';
import { tempDir } from '../support/temp-dir.js';

describe('two servers on one data directory', () => {
  const dir = tempDir();
  afterAll(() => dir.remove());

  it('refuses the second with a message that says why', async () => {
    const dataDir = join(dir.path, 'data');
    const first = await startServerProcess(['--data-dir', dataDir], await freePort());

    const second = startServerProcess(['--data-dir', dataDir], await freePort());
    await expect(second).rejects.toThrow(/in use by another Herald process/);

    first.child.kill('SIGTERM');
    await exited(first.child);
  });
});
