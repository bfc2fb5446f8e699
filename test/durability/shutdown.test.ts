import { join } from 'node:path';
import { CreateFunctionCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { afterAll, describe, expect, it } from 'vitest';
import { exited, freePort, startServerProcess } from '../support/server-process.js';
import { zipHandler } from '../lambda/support.js';
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

  it('ends a synchronous invoke still running after the drain timeout, and exits', async () => {
    const dataDir = join(dir.path, 'invoke');
    const server = await startServerProcess(['--data-dir', dataDir], await freePort());
    const lambda = new LambdaClient({
      endpoint: server.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
    const source = 'export const handler = () => new Promise((r) => setTimeout(r, 120_000));';
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'sleeper',
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        Role: 'arn:aws:iam::000000000000:role/any',
        Timeout: 300,
        Code: { ZipFile: zipHandler(dir.path, 'sleeper', source) },
      }),
    );
    const invoked = lambda.send(new InvokeCommand({ FunctionName: 'sleeper' })).then(
      (response) => response.FunctionError ?? 'answered',
      (error: Error) => error.name,
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    server.child.kill('SIGTERM');
    await exited(server.child);
    expect(server.child.exitCode).toBe(0);
    expect(await invoked).toBeDefined();
    lambda.destroy();
  }, 60_000);
});
