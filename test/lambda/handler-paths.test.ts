import {
  CreateFunctionCommand,
  LambdaClient,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/start.js';
import { sdkFailure } from '../support/sns-sdk.js';
import { tempDir } from '../support/temp-dir.js';
import { zipHandler } from './support.js';

const ROLE = 'arn:aws:iam::000000000000:role/x';
const ESCAPING = ['../../rec/index.handler', '/etc/index.handler', 'lib/../../x.handler', 'C:/x.h'];
const dir = tempDir('herald-handler-paths-');
let server: RunningServer;
let lambda: LambdaClient;
let zip: Uint8Array;

beforeAll(async () => {
  server = await startServer({ dataDir: join(dir.path, 'data'), host: '127.0.0.1', port: 0 });
  lambda = new LambdaClient({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxAttempts: 1,
  });
  zip = zipHandler(dir.path, 'paths', 'export const handler = async () => "ok";');
});

afterAll(async () => {
  lambda?.destroy();
  await server?.close();
  dir.remove();
});

const RULE = "must name a file inside the function's code: a relative path without '..' segments";

describe('function handler paths', () => {
  it('refuses handlers outside the code bundle over the Lambda API', async () => {
    for (const handler of ESCAPING) {
      const create = lambda.send(
        new CreateFunctionCommand({
          FunctionName: 'escape',
          Runtime: 'nodejs22.x',
          Handler: handler,
          Role: ROLE,
          Code: { ZipFile: zip },
        }),
      );
      expect(await sdkFailure(create), handler).toMatchObject({
        name: 'InvalidParameterValueException',
        status: 400,
        message: `Handler '${handler}' ${RULE}`,
      });
    }

    await server.herald.deployFunction({ name: 'inside', handler: 'index.handler', zip });
    const update = lambda.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: 'inside', Handler: ESCAPING[0] }),
    );
    expect(await sdkFailure(update)).toMatchObject({ name: 'InvalidParameterValueException' });
    expect((await server.herald.getFunction('inside')).handler).toBe('index.handler');
  });

  it('refuses them over the admin API', async () => {
    const response = await fetch(`${server.url}/herald/v1/functions/escape`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        handler: ESCAPING[0],
        zipBase64: Buffer.from(zip).toString('base64'),
      }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: { code: 'InvalidParameterValue', message: `Handler '${ESCAPING[0]}' ${RULE}` },
    });
  });

  it('still takes handlers in subfolders', async () => {
    const created = await server.herald.deployFunction({
      name: 'nested',
      handler: 'src/./lib/index.handler',
      zip,
    });
    expect(created.handler).toBe('src/./lib/index.handler');
  });
});
