import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PublishBatchCommand, SNSClient } from '@aws-sdk/client-sns';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureHandler } from '../support/functions.js';
import {
  exited,
  freePort,
  startServerProcess,
  type ServerProcess,
} from '../support/server-process.js';
import { tempDir } from '../support/temp-dir.js';

const TOPIC_ARN = 'arn:aws:sns:us-east-1:000000000000:orders';

function deliveredIds(file: string): Set<string> {
  if (!existsSync(file)) return new Set();
  const ids = new Set<string>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.startsWith('{')) {
      try {
        ids.add((JSON.parse(line) as { messageId: string }).messageId);
      } catch {
        // a line cut short by the kill
      }
    }
  }
  return ids;
}

function client(url: string): SNSClient {
  return new SNSClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
}

describe('a server killed with SIGKILL mid-publish', () => {
  const dir = tempDir();
  let server: ServerProcess | undefined;

  afterAll(async () => {
    server?.child.kill('SIGKILL');
    if (server) await exited(server.child);
    dir.remove();
  });

  it('delivers every message whose Publish answered, after a restart', async () => {
    const out = join(dir.path, 'delivered.jsonl');
    const config = join(dir.path, 'herald.json');
    writeFileSync(
      config,
      JSON.stringify({
        functions: [
          {
            name: 'recorder',
            code: fixtureHandler('recorder'),
            environment: { OUT_FILE: out },
          },
        ],
        topics: [{ name: 'orders', subscriptions: [{ protocol: 'lambda', endpoint: 'recorder' }] }],
      }),
    );
    const args = ['--data-dir', join(dir.path, 'data'), '--config', config, '--log-level', 'warn'];
    const port = await freePort();
    server = await startServerProcess(args, port);

    const sns = client(server.url);
    const acknowledged: string[] = [];
    let batch = 0;
    const killAfter = 3000;
    const publisher = async () => {
      while (acknowledged.length < 20_000) {
        const id = batch++;
        const entries = Array.from({ length: 10 }, (_, i) => ({
          Id: `e${i}`,
          Message: JSON.stringify({ batch: id, entry: i, pad: 'x'.repeat(200) }),
        }));
        try {
          const result = await sns.send(
            new PublishBatchCommand({ TopicArn: TOPIC_ARN, PublishBatchRequestEntries: entries }),
          );
          for (const ok of result.Successful ?? []) acknowledged.push(ok.MessageId!);
        } catch {
          return;
        }
      }
    };
    const killer = (async () => {
      while (acknowledged.length < killAfter) await new Promise((r) => setTimeout(r, 5));
      server!.child.kill('SIGKILL');
    })();
    await Promise.all([killer, ...Array.from({ length: 8 }, publisher)]);
    await exited(server.child);
    expect(acknowledged.length).toBeGreaterThanOrEqual(killAfter);

    server = await startServerProcess(args, port);
    const deadline = Date.now() + 60_000;
    let missing = acknowledged.filter((id) => !deliveredIds(out).has(id));
    while (missing.length > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      const delivered = deliveredIds(out);
      missing = missing.filter((id) => !delivered.has(id));
    }
    expect(missing).toEqual([]);
  });
});
