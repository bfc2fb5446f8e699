import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/start.js';
import { awsCli } from '../support/aws-cli.js';
import { tempDir } from '../support/temp-dir.js';
import { ECHO_HANDLER, waitFor, zipHandler } from './support.js';

const dir = tempDir('herald-lambda-cli-');
let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ dataDir: join(dir.path, 'data'), host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await server?.close();
  dir.remove();
});

const { run: aws, failure: awsFailure } = awsCli(() => server.url);

/** The arguments of `aws lambda create-function` for function `f` with the zip at `zipPath`. */
function createFunction(zipPath: string): string[] {
  return [
    'lambda',
    'create-function',
    '--function-name',
    'f',
    '--runtime',
    'nodejs20.x',
    '--handler',
    'index.handler',
    '--role',
    'arn:aws:iam::000000000000:role/x',
    '--zip-file',
    `fileb://${zipPath}`,
  ];
}

describe('the AWS CLI against the Lambda API', () => {
  it('creates, invokes, lists and limits a function, then an SNS subscription reaches it', async () => {
    const zipPath = join(dir.path, 'f.zip');
    writeFileSync(zipPath, zipHandler(dir.path, 'f', ECHO_HANDLER));
    const outFile = join(dir.path, 'sns-out.txt');

    const created = await aws(
      ...createFunction(zipPath),
      '--environment',
      `Variables={OUT_FILE=${outFile}}`,
    );
    expect(created).toMatchObject({
      FunctionName: 'f',
      FunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f',
      Runtime: 'nodejs20.x',
      Handler: 'index.handler',
      Role: 'arn:aws:iam::000000000000:role/x',
      State: 'Active',
    });

    const conflict = await awsFailure(...createFunction(zipPath));
    expect(conflict).toContain('ResourceConflictException');

    const outPath = join(dir.path, 'out.json');
    const invoked = await aws(
      'lambda',
      'invoke',
      '--function-name',
      'f',
      '--payload',
      '{"n":1}',
      '--log-type',
      'Tail',
      outPath,
    );
    expect(invoked).toMatchObject({ StatusCode: 200, ExecutedVersion: '$LATEST' });
    expect(JSON.parse(readFileSync(outPath, 'utf8'))).toEqual({ echo: { n: 1 } });
    const log = Buffer.from(String(invoked['LogResult']), 'base64').toString('utf8');
    expect(log).toContain('invoked');
    expect(log).toContain('REPORT RequestId:');

    const listed = await aws('lambda', 'list-functions');
    expect(listed['Functions']).toEqual([expect.objectContaining({ FunctionName: 'f' })]);

    const concurrency = await aws(
      'lambda',
      'put-function-concurrency',
      '--function-name',
      'f',
      '--reserved-concurrent-executions',
      '5',
    );
    expect(concurrency).toEqual({ ReservedConcurrentExecutions: 5 });
    const fetched = await aws('lambda', 'get-function', '--function-name', 'f');
    expect(fetched['Concurrency']).toEqual({ ReservedConcurrentExecutions: 5 });

    const { TopicArn } = await aws('sns', 'create-topic', '--name', 'to-lambda');
    await aws(
      'sns',
      'subscribe',
      '--topic-arn',
      String(TopicArn),
      '--protocol',
      'lambda',
      '--notification-endpoint',
      String(created['FunctionArn']),
    );
    await aws('sns', 'publish', '--topic-arn', String(TopicArn), '--message', 'hello lambda');
    await waitFor(() => existsSync(outFile) && readFileSync(outFile, 'utf8').includes('hello'));
    expect(readFileSync(outFile, 'utf8')).toBe('hello lambda\n');
  });

  it('answers a missing function with ResourceNotFoundException', async () => {
    const stderr = await awsFailure('lambda', 'get-function', '--function-name', 'missing');
    expect(stderr).toContain('ResourceNotFoundException');
    expect(stderr).toContain(
      'Function not found: arn:aws:lambda:us-east-1:000000000000:function:missing',
    );
  });
});
