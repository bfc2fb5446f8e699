import { join } from 'node:path';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { afterAll, describe, expect, it } from 'vitest';
import { exited, freePort, startServerProcess } from '../support/server-process.js';
import { tempDir } from '../support/temp-dir.js';

describe('herald serve on SIGTERM', () => {
  const dir = tempDir();
  afterAll(() => dir.remove());

  it('drains, exits 0 and keeps what it was told', async () => {
    const dataDir = join(dir.path, 'data');
    const port = await freePort();
    let server = await startServerProcess(['--data-dir', dataDir], port);
    const sns = new SNSClient({
      endpoint: server.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    await sns.send(new CreateTopicCommand({ Name: 'kept' }));

    server.child.kill('SIGTERM');
    await exited(server.child);
    expect(server.child.exitCode).toBe(0);
    expect(server.output()).toContain('stopped cleanly');

    server = await startServerProcess(['--data-dir', dataDir], port);
    const response = await fetch(`${server.url}/?Action=ListTopics`);
    expect(await response.text()).toContain('arn:aws:sns:us-east-1:000000000000:kept');
    server.child.kill('SIGTERM');
    await exited(server.child);
  });
});
