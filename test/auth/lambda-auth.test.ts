import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateFunctionCommand,
  InvokeCommand,
  LambdaClient,
  ListFunctionsCommand,
  UpdateFunctionCodeCommand,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zipDirectory } from '../../src/functions/bundle.js';
import { startServer, type RunningServer } from '../../src/server/start.js';
import { sdkFailure } from '../support/sns-sdk.js';
import { tempDir } from '../support/temp-dir.js';

const KEY = { accessKeyId: 'AKIDLAMBDA', secretAccessKey: 'lambda-secret' };
const ROLE = 'arn:aws:iam::000000000000:role/x';
const dir = tempDir('herald-lambda-auth-');
let server: RunningServer;

beforeAll(async () => {
  server = await startServer({
    dataDir: join(dir.path, 'data'),
    host: '127.0.0.1',
    port: 0,
    auth: { accessKeys: [{ id: KEY.accessKeyId, secret: KEY.secretAccessKey }] },
  });
});

afterAll(async () => {
  await server?.close();
  dir.remove();
});

function client(credentials = KEY): LambdaClient {
  return new LambdaClient({
    endpoint: server.url,
    region: 'us-east-1',
    credentials,
    maxAttempts: 1,
  });
}

/** A zip of a handler plus `padding` bytes of incompressible data. */
function bigZip(name: string, padding: number): Uint8Array {
  const folder = join(dir.path, name);
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'index.mjs'), `export const handler = async () => '${name}';`);
  writeFileSync(join(folder, 'padding.bin'), randomBytes(padding));
  return zipDirectory(folder);
}

describe('the Lambda API with --auth', () => {
  it('takes signed code uploads larger than the SNS body limit', async () => {
    const lambda = client();
    const zip = bigZip('big', 4 * 1024 * 1024);
    expect(zip.byteLength).toBeGreaterThan(4 * 1024 * 1024);

    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'big',
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Role: ROLE,
        Code: { ZipFile: zip },
      }),
    );
    await lambda.send(
      new UpdateFunctionCodeCommand({ FunctionName: 'big', ZipFile: bigZip('bigger', 5_000_000) }),
    );
    const invoked = await lambda.send(new InvokeCommand({ FunctionName: 'big' }));
    expect(Buffer.from(invoked.Payload ?? []).toString()).toBe('"bigger"');
    lambda.destroy();
  });

  it("refuses wrong or unknown keys with Lambda's error names", async () => {
    const wrongSecret = client({ ...KEY, secretAccessKey: 'not-the-secret' });
    expect(await sdkFailure(wrongSecret.send(new ListFunctionsCommand({})))).toMatchObject({
      name: 'InvalidSignatureException',
      status: 403,
    });
    const unknownKey = client({ accessKeyId: 'AKIDUNKNOWN', secretAccessKey: 'x' });
    expect(await sdkFailure(unknownKey.send(new ListFunctionsCommand({})))).toMatchObject({
      name: 'UnrecognizedClientException',
      status: 403,
      message: 'The security token included in the request is invalid.',
    });
    wrongSecret.destroy();
    unknownKey.destroy();
  });

  it('answers refusals as Lambda JSON, not SNS XML', async () => {
    for (const path of [
      '/2015-03-31/functions',
      '/2017-10-31/functions/big/concurrency',
      '/2019-09-25/functions/big/event-invoke-config',
    ]) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status, path).toBe(403);
      expect(response.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
      expect(await response.json()).toEqual({
        Type: 'User',
        message: 'Request is missing Authentication Token',
      });
    }
  });
});
