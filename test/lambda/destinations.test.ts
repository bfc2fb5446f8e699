import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createHerald, type Herald } from '../../src/core/herald.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor, zipHandler } from './support.js';

const COUNTING_THROWER = `
let calls = 0;
export const handler = async () => {
  calls++;
  throw new Error('attempt ' + calls);
};
`;

const dir = tempDir('herald-lambda-destinations-');
let herald: Herald | undefined;

afterEach(async () => {
  await herald?.close();
  herald = undefined;
});

describe('asynchronous invocations', () => {
  it('retries a failing Event invocation MaximumRetryAttempts times, then records it on failure', async () => {
    herald = await createHerald({ dataDir: join(dir.path, 'fail'), retryBaseDelayMs: 20 });
    await herald.deployFunction({
      name: 'failing',
      handler: 'index.handler',
      zip: zipHandler(dir.path, 'failing', COUNTING_THROWER),
    });
    const queue = await herald.createQueue('failures');
    await herald.updateFunction('failing', {
      eventInvokeConfig: {
        maximumRetryAttempts: 1,
        onFailure: queue.arn,
        lastModified: Date.now(),
      },
    });

    const { requestId } = await herald.invokeFunctionAsync('failing', '{"order":42}');
    await herald.idle();

    expect(herald.metrics().functions['failing']?.invocations).toBe(2);
    const [message, ...others] = await herald.receiveMessages('failures', 10);
    expect(others).toEqual([]);
    const record = JSON.parse(message?.body ?? '{}') as Record<string, unknown>;
    expect(record).toMatchObject({
      version: '1.0',
      requestContext: {
        requestId,
        functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:failing:$LATEST',
        condition: 'RetriesExhausted',
        approximateInvokeCount: 2,
      },
      requestPayload: { order: 42 },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: { errorType: 'Error', errorMessage: 'attempt 2' },
    });
    expect(await herald.listDeadLetters()).toEqual([]);
  });

  it('sends a success record and keeps Event invocations across a restart', async () => {
    const dataDir = join(dir.path, 'restart');
    herald = await createHerald({ dataDir });
    await herald.deployFunction({
      name: 'ok',
      handler: 'index.handler',
      zip: zipHandler(dir.path, 'ok', 'export const handler = async (e) => ({ got: e });'),
    });
    const queue = await herald.createQueue('successes');
    await herald.updateFunction('ok', {
      reservedConcurrency: 0,
      eventInvokeConfig: { onSuccess: queue.arn, lastModified: Date.now() },
    });
    await herald.invokeFunctionAsync('ok', '{"n":1}');
    await herald.close();

    herald = await createHerald({ dataDir });
    await herald.updateFunction('ok', { reservedConcurrency: null });
    await herald.idle();
    await waitFor(() => herald?.metrics().functions['ok']?.invocations === 1);
    const [message] = await herald.receiveMessages('successes', 10);
    expect(JSON.parse(message?.body ?? '{}')).toMatchObject({
      requestContext: { condition: 'Success', approximateInvokeCount: 1 },
      requestPayload: { n: 1 },
      responsePayload: { got: { n: 1 } },
    });
  });
});
