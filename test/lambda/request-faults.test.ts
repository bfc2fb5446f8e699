import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHerald } from '../../src/core/herald.js';
import { FunctionPool } from '../../src/functions/pool.js';
import { silentLogger } from '../../src/log/logger.js';
import { fixtureFunction } from '../functions/fixtures.js';
import { openHeraldApp, type HeraldApp } from '../support/herald-app.js';
import { tempDir } from '../support/temp-dir.js';
import { zipHandler } from './support.js';

const DEEP = '['.repeat(100_000) + ']'.repeat(100_000);
const CONFLICTING = zipSync({
  a: strToU8('file'),
  'a/b': strToU8('x'),
  'index.mjs': strToU8('export const handler = async () => 1;'),
});

let harness: HeraldApp;
const dir = tempDir('herald-request-faults-');

beforeAll(async () => {
  harness = await openHeraldApp();
  await harness.herald.deployFunction({
    name: 'echo',
    handler: 'index.handler',
    zip: zipHandler(dir.path, 'echo', 'export const handler = async (e) => e;'),
  });
});
afterAll(async () => {
  await harness.close();
  dir.remove();
});

function invoke(payload: string, type = 'RequestResponse') {
  return harness.app.inject({
    method: 'POST',
    url: '/2015-03-31/functions/echo/invocations',
    headers: { 'content-type': 'application/octet-stream', 'x-amz-invocation-type': type },
    payload: Buffer.from(payload),
  });
}

describe('payloads nested too deeply', () => {
  it.each(['RequestResponse', 'Event', 'DryRun'])(
    'refuses a %s invocation with a 400 that names no internals',
    async (type) => {
      const response = await invoke(DEEP, type);

      expect(response.statusCode).toBe(400);
      expect(response.headers['x-amz-function-error']).toBeUndefined();
      expect(response.headers['x-amzn-errortype']).toBe('InvalidRequestContentException');
      expect(response.body).toMatch(/deeper than 512 levels/);
      expect(response.body).not.toMatch(/RangeError|piscina|node:|\/src\//);
    },
  );

  it('still runs a payload nested within the limit, brackets inside strings not counted', async () => {
    const payload = '['.repeat(500) + '"]]]][[[["' + ']'.repeat(500);

    const response = await invoke(payload);

    expect(response.statusCode).toBe(200);
    expect(response.body).toBe(payload);
  });

  it("reports an event the workers cannot take as Herald's hand-off failure, not the handler's", async () => {
    const pool = new FunctionPool({ logger: silentLogger() });
    let deep: unknown = [];
    for (let i = 0; i < 200_000; i++) deep = [deep];

    const outcomes = await pool.invoke(fixtureFunction('noop'), [
      { requestId: 'deep', payload: deep },
      { requestId: 'flat', payload: { ok: true } },
    ]);
    await pool.close();

    expect(outcomes[0]).toMatchObject({
      requestId: 'deep',
      status: 'error',
      kind: 'handoff',
      errorType: 'Herald.HandoffError',
    });
    expect(outcomes[0]).not.toHaveProperty('stackTrace');
    expect(outcomes[1]).toMatchObject({ requestId: 'flat', status: 'ok' });
  });
});

describe('bundles with conflicting entries', () => {
  it('answers CreateFunction with InvalidParameterValueException', async () => {
    const response = await harness.app.inject({
      method: 'POST',
      url: '/2015-03-31/functions',
      headers: { 'content-type': 'application/json' },
      payload: {
        FunctionName: 'conflicted',
        Runtime: 'nodejs20.x',
        Role: 'arn:aws:iam::000000000000:role/lambda',
        Handler: 'index.handler',
        Code: { ZipFile: Buffer.from(CONFLICTING).toString('base64') },
      },
    });

    expect(response.statusCode).toBe(400);
    expect(response.headers['x-amzn-errortype']).toBe('InvalidParameterValueException');
    expect(response.json()).toMatchObject({
      message: expect.stringMatching(/"a" is both a file and a directory/) as unknown,
    });
  });

  it('answers an admin deploy with InvalidParameterValue', async () => {
    const response = await harness.app.inject({
      method: 'PUT',
      url: '/herald/v1/functions/conflicted-admin',
      payload: { handler: 'index.handler', zipBase64: Buffer.from(CONFLICTING).toString('base64') },
    });

    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('InvalidParameterValue');
  });

  it('leaves no function directory behind for a refused bundle', async () => {
    const dataDir = join(dir.path, 'refused');
    const herald = await createHerald({ dataDir });
    try {
      await expect(
        herald.deployFunction({ name: 'refused', handler: 'index.handler', zip: CONFLICTING }),
      ).rejects.toMatchObject({ code: 'InvalidParameterValue' });
      expect(existsSync(join(dataDir, 'functions', 'refused'))).toBe(false);
    } finally {
      await herald.close();
    }
  });
});

describe('settings beyond Lambda limits', () => {
  it('refuses environment variables over 4 KB with InvalidParameterValueException', async () => {
    const response = await harness.app.inject({
      method: 'PUT',
      url: '/2015-03-31/functions/echo/configuration',
      payload: { Environment: { Variables: { BIG: 'x'.repeat(5_000) } } },
    });

    expect(response.statusCode).toBe(400);
    expect(response.headers['x-amzn-errortype']).toBe('InvalidParameterValueException');
    expect(response.body).toMatch(/4 KB/);
    expect((await harness.herald.getFunction('echo')).environment).toEqual({});
  });
});
