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

describe('destinations that cannot take a record', () => {
  const OK = 'export const handler = async (e) => ({ got: e });';

  it('refuses a FIFO topic as a destination', async () => {
    herald = await createHerald({ dataDir: join(dir.path, 'fifo-refused') });
    await herald.deployFunction({
      name: 'fn',
      handler: 'index.handler',
      zip: zipHandler(dir.path, 'fifo-refused', OK),
    });
    const fifo = 'arn:aws:sns:us-east-1:000000000000:records.fifo';
    for (const eventInvokeConfig of [{ onFailure: fifo }, { onSuccess: fifo }]) {
      await expect(
        herald.updateFunction('fn', {
          eventInvokeConfig: { ...eventInvokeConfig, lastModified: Date.now() },
        }),
      ).rejects.toMatchObject({ code: 'InvalidParameterValue', message: /FIFO/ });
    }
  });

  it('dead-letters a failed delivery whose on-failure topic refuses the record', async () => {
    // The record (payload, error, stack) is larger than the message limit: Publish refuses it.
    herald = await createHerald({
      dataDir: join(dir.path, 'failure-refused'),
      retryBaseDelayMs: 10,
      maxMessageBytes: 64,
    });
    await herald.deployFunction({
      name: 'thrower',
      handler: 'index.handler',
      zip: zipHandler(dir.path, 'failure-refused', COUNTING_THROWER),
      maximumRetryAttempts: 0,
    });
    const topic = await herald.createTopic('failure-records');
    await herald.subscribe(topic.arn, 'sqs', (await herald.createQueue('seen')).arn);
    await herald.updateFunction('thrower', {
      eventInvokeConfig: { onFailure: topic.arn, lastModified: Date.now() },
    });

    const { requestId } = await herald.invokeFunctionAsync('thrower', '{"n":7}');
    await herald.idle();

    const letters = await herald.listDeadLetters('herald-dead-letters');
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({
      body: '{"n":7}',
      messageId: requestId,
      errorMessage: expect.stringMatching(/on-failure destination: .*Message too long/) as unknown,
    });
  });

  it('dead-letters a failed delivery whose on-failure topic was deleted', async () => {
    herald = await createHerald({ dataDir: join(dir.path, 'failure-gone'), retryBaseDelayMs: 10 });
    await herald.deployFunction({
      name: 'thrower',
      handler: 'index.handler',
      zip: zipHandler(dir.path, 'failure-gone', COUNTING_THROWER),
      maximumRetryAttempts: 0,
    });
    const topic = await herald.createTopic('gone');
    await herald.updateFunction('thrower', {
      eventInvokeConfig: { onFailure: topic.arn, lastModified: Date.now() },
    });
    await herald.deleteTopic(topic.arn);

    await herald.invokeFunctionAsync('thrower', '{"n":8}');
    await herald.idle();

    expect(await herald.listDeadLetters('herald-dead-letters')).toMatchObject([
      { body: '{"n":8}' },
    ]);
  });

  it('keeps a success record its on-success topic refuses in the dead-letter queue', async () => {
    herald = await createHerald({
      dataDir: join(dir.path, 'success-refused'),
      maxMessageBytes: 64,
    });
    await herald.deployFunction({
      name: 'ok',
      handler: 'index.handler',
      zip: zipHandler(dir.path, 'success-refused', OK),
    });
    const topic = await herald.createTopic('success-records');
    await herald.subscribe(topic.arn, 'sqs', (await herald.createQueue('seen')).arn);
    await herald.updateFunction('ok', {
      eventInvokeConfig: { onSuccess: topic.arn, lastModified: Date.now() },
    });

    await herald.invokeFunctionAsync('ok', '{"n":9}');
    await herald.idle();

    const [message, ...others] = await herald.receiveMessages('herald-dead-letters', 10);
    expect(others).toEqual([]);
    expect(JSON.parse(message?.body ?? '{}')).toMatchObject({
      requestContext: { condition: 'Success' },
      requestPayload: { n: 9 },
      responsePayload: { got: { n: 9 } },
    });
  });

  it('keeps a success record whose on-success queue was deleted in the dead-letter queue', async () => {
    herald = await createHerald({ dataDir: join(dir.path, 'success-gone') });
    await herald.deployFunction({
      name: 'ok',
      handler: 'index.handler',
      zip: zipHandler(dir.path, 'success-gone', OK),
    });
    const queue = await herald.createQueue('successes');
    await herald.updateFunction('ok', {
      eventInvokeConfig: { onSuccess: queue.arn, lastModified: Date.now() },
    });
    await herald.deleteQueue('successes');

    await herald.invokeFunctionAsync('ok', '{"n":10}');
    await herald.idle();

    const [message] = await herald.receiveMessages('herald-dead-letters', 10);
    expect(JSON.parse(message?.body ?? '{}')).toMatchObject({ requestPayload: { n: 10 } });
  });
});
