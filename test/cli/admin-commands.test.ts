import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zipDirectory } from '../../src/functions/bundle.js';
import { startServer } from '../../src/server/start.js';

type Server = Awaited<ReturnType<typeof startServer>>;

const BIN = fileURLToPath(new URL('../../bin/herald.js', import.meta.url));
const FIXTURES = new URL('../fixtures/', import.meta.url);

let dataDir: string;
let codeDir: string;
let server: Server;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'herald-cli-data-'));
  codeDir = await mkdtemp(join(tmpdir(), 'herald-cli-code-'));
  await writeFile(join(codeDir, 'index.js'), 'export const handler = async () => "ok";\n');
  server = await startServer({ dataDir, host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
  await rm(codeDir, { recursive: true, force: true });
});

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `herald <args>` as a child process, against the test server unless told otherwise. */
function herald(args: string[], env: Record<string, string> = {}): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: { ...process.env, HERALD_ENDPOINT: server.url, ...env } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

async function json(args: string[]): Promise<unknown> {
  const outcome = await herald([...args, '--json']);
  expect(outcome.stderr).toBe('');
  expect(outcome.code).toBe(0);
  return JSON.parse(outcome.stdout);
}

describe('herald queue', () => {
  it('creates, lists, receives from and purges queues', async () => {
    const created = await herald(['queue', 'create', 'cli-jobs']);
    expect(created).toMatchObject({ code: 0, stderr: '' });
    expect(created.stdout).toBe(
      'Created queue cli-jobs (arn:aws:sqs:us-east-1:000000000000:cli-jobs)\n',
    );

    const listed = await herald(['queue', 'list']);
    expect(listed.stdout).toMatch(/^NAME\s+ARN\s+DEPTH\s+CREATED\n/);
    expect(listed.stdout).toMatch(/cli-jobs\s+arn:aws:sqs:us-east-1:000000000000:cli-jobs\s+0 /);
    expect(await json(['queue', 'list'])).toContainEqual(
      expect.objectContaining({
        name: 'cli-jobs',
        arn: 'arn:aws:sqs:us-east-1:000000000000:cli-jobs',
        depth: 0,
      }),
    );

    const topic = await server.herald.createTopic('cli-jobs-topic');
    await server.herald.subscribe(topic.arn, 'sqs', 'arn:aws:sqs:us-east-1:000000000000:cli-jobs', {
      RawMessageDelivery: 'true',
    });
    for (const message of ['one', 'two', 'three']) {
      await server.herald.publish({ topicArn: topic.arn, message });
    }
    await new Promise((resolve) => setTimeout(resolve, 300));

    const received = await json(['queue', 'receive', 'cli-jobs', '--max', '1']);
    expect(received).toEqual([expect.objectContaining({ queueName: 'cli-jobs' })]);

    const human = await herald(['queue', 'receive', 'cli-jobs', '--max', '1']);
    expect(human.stdout).toMatch(/^ID\s+RECEIVES\s+SENT\s+BODY\n\d+\s+\d+\s+\S+Z\s+\w+\n$/);

    expect(await herald(['queue', 'purge', 'cli-jobs'])).toMatchObject({
      code: 0,
      stdout: 'Purged 1 message from cli-jobs\n',
    });
    expect((await herald(['queue', 'receive', 'cli-jobs'])).stdout).toBe(
      'No messages in cli-jobs.\n',
    );
  });
});

describe('herald function', () => {
  it('deploys, lists and removes a function', async () => {
    const deployed = await json([
      'function',
      'deploy',
      'cli-greeter',
      '--code',
      codeDir,
      '--handler',
      'index.handler',
      '--timeout',
      '5',
      '--memory',
      '256',
      '--retries',
      '0',
      '--env',
      'GREETING=hello',
      '--env',
      'EMPTY=',
    ]);
    expect(deployed).toMatchObject({
      name: 'cli-greeter',
      handler: 'index.handler',
      timeoutSeconds: 5,
      memoryMb: 256,
      maximumRetryAttempts: 0,
      environment: { GREETING: 'hello', EMPTY: '' },
    });

    const listed = await herald(['function', 'list']);
    expect(listed.stdout).toMatch(/^NAME\s+RUNTIME\s+HANDLER\s+TIMEOUT\s+MEMORY/);
    expect(listed.stdout).toMatch(/cli-greeter\s+\S+\s+index\.handler\s+5s\s+256MB/);

    expect(await herald(['function', 'remove', 'cli-greeter'])).toMatchObject({
      code: 0,
      stdout: 'Removed function cli-greeter\n',
    });
    expect(await json(['function', 'list'])).toEqual([]);
  });

  it('reports server errors as herald: <code>: <message>', async () => {
    const outcome = await herald(['function', 'remove', 'cli-never-deployed']);
    expect(outcome.code).toBe(1);
    expect(outcome.stdout).toBe('');
    expect(outcome.stderr).toMatch(/^herald: \w+: .*cli-never-deployed.*\n$/);
  });

  it('refuses bad option values before calling the server', async () => {
    const outcome = await herald([
      'function',
      'deploy',
      'f',
      '--code',
      codeDir,
      '--handler',
      'index.handler',
      '--timeout',
      'soon',
    ]);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(/^herald: UsageError: .*--timeout/);

    const missing = join(codeDir, 'absent');
    const noCode = await herald(['function', 'deploy', 'f', '--code', missing, '--handler', 'i.h']);
    expect(noCode).toMatchObject({
      code: 1,
      stderr: `herald: InvalidCode: --code ${missing} is not a directory\n`,
    });
  });
});

describe('herald dlq', () => {
  it('lists and redrives dead letters', async () => {
    await server.herald.createQueue('cli-dead');
    expect(await json(['dlq', 'list', '--queue', 'cli-dead', '--max', '5'])).toEqual([]);
    expect((await herald(['dlq', 'list', '--queue', 'cli-dead'])).stdout).toBe(
      'No dead letters.\n',
    );

    expect(await json(['dlq', 'redrive', 'cli-dead'])).toEqual({ redriven: 0, remaining: 0 });
    expect((await herald(['dlq', 'redrive', 'cli-dead', '--max', '3'])).stdout).toBe(
      'Redrove 0 dead letters from cli-dead\n',
    );
  });
});

describe('herald dlq with more than 1,000 dead letters', () => {
  /** Deploys (or redeploys) the function `name` from a fixture folder under test/fixtures. */
  function deploy(name: string, fixture: string, maximumRetryAttempts?: number) {
    return server.herald.deployFunction({
      name,
      handler: 'index.handler',
      zip: zipDirectory(fileURLToPath(new URL(fixture, FIXTURES))),
      ...(maximumRetryAttempts === undefined ? {} : { maximumRetryAttempts }),
    });
  }

  it('lists past 1,000, says what is not shown, and redrives in chunks up to --max', async () => {
    const letters = 1200;
    const fn = await deploy('cli-bulk', 'handlers/thrower', 0);
    const dlq = await server.herald.createQueue('bulk-dlq');
    const topic = await server.herald.createTopic('cli-bulk');
    await server.herald.subscribe(topic.arn, 'lambda', fn.arn, {
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }),
    });
    const batches = Array.from({ length: letters / 10 }, (_, b) =>
      Array.from({ length: 10 }, (_, i) => ({ id: `e${i}`, message: `m${b * 10 + i}` })),
    );
    await Promise.all(batches.map((batch) => server.herald.publishBatch(topic.arn, batch)));
    await server.herald.idle();

    const shown = await herald(['dlq', 'list', '--queue', 'bulk-dlq']);
    expect(shown.stdout.split('\n').at(-2)).toBe(
      `Showing 100 of ${letters} dead letters: use --max to list more`,
    );
    expect(await json(['dlq', 'list', '--queue', 'bulk-dlq', '--max', '5000'])).toHaveLength(
      letters,
    );

    await deploy('cli-bulk', 'functions/noop');
    expect((await herald(['dlq', 'redrive', 'bulk-dlq', '--max', '1100'])).stdout).toMatch(
      /^Redrove 1100 dead letters; 100 remain in bulk-dlq \(beyond --max/,
    );
    expect((await herald(['queue', 'list'])).stdout).toMatch(/\nbulk-dlq\s+\S+\s+100\s/);

    expect(await json(['dlq', 'redrive', 'bulk-dlq', '--max', '5000'])).toEqual({
      redriven: 100,
      remaining: 0,
    });
    await server.herald.idle();
    expect(await server.herald.countDeadLetters('bulk-dlq')).toBe(0);
  });
});

describe('reaching the server', () => {
  it('tells how to start a server when none answers', async () => {
    const url = 'http://127.0.0.1:9';
    const outcome = await herald(['queue', 'list', '--endpoint', url]);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toBe(
      `herald: ServerUnreachable: no Herald server at ${url}: ` +
        'start one with `npx herald serve --port 9` or point --endpoint (or HERALD_ENDPOINT) ' +
        'at a running one\n',
    );
  });

  it('takes the endpoint from HERALD_ENDPOINT, and --endpoint over it', async () => {
    const fromEnv = await herald(['queue', 'list', '--json']);
    expect(fromEnv.code).toBe(0);

    const overridden = await herald(['queue', 'list', '--endpoint', server.url], {
      HERALD_ENDPOINT: 'http://127.0.0.1:9',
    });
    expect(overridden.code).toBe(0);
  });
});
