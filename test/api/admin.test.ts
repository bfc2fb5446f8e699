import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Herald } from '../../src/core/herald.js';
import { bundleSha256, zipDirectory } from '../../src/functions/bundle.js';
import { fixtureHandler } from '../support/functions.js';
import { openHeraldApp, type HeraldApp } from '../support/herald-app.js';

let opened: HeraldApp;
let herald: Herald;
let app: FastifyInstance;

beforeEach(async () => {
  opened = await openHeraldApp({ maxMessageBytes: 1024, retryBaseDelayMs: 1 });
  ({ herald, app } = opened);
});

afterEach(async () => {
  await opened.close();
});

/** Publishes each body to a new topic feeding the queue, raw, and waits until they are in. */
async function fillQueue(queueName: string, bodies: string[]): Promise<void> {
  const topic = await herald.createTopic(`${queueName}-feed`);
  const queue = await herald.createQueue(queueName);
  await herald.subscribe(topic.arn, 'sqs', queue.arn, { RawMessageDelivery: 'true' });
  for (const message of bodies) await herald.publish({ topicArn: topic.arn, message });
  await herald.idle();
}

/** Dead-letters `count` messages into the queue `dlq`: their function always throws. */
async function deadLetters(count: number): Promise<void> {
  const fn = await herald.deployFunction({
    name: 'thrower',
    handler: 'index.handler',
    zip: zipDirectory(fixtureHandler('thrower')),
    maximumRetryAttempts: 0,
  });
  const dlq = await herald.createQueue('dlq');
  const topic = await herald.createTopic('doomed');
  await herald.subscribe(topic.arn, 'lambda', fn.arn, {
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }),
  });
  for (let i = 0; i < count; i++) await herald.publish({ topicArn: topic.arn, message: `m${i}` });
  await herald.idle();
}

describe('admin API', () => {
  it('reports health', async () => {
    const response = await app.inject({ method: 'GET', url: '/herald/v1/health' });
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('deploys a function from a base64 zip', async () => {
    const zip = zipDirectory(fixtureHandler('recorder'));
    const response = await app.inject({
      method: 'PUT',
      url: '/herald/v1/functions/resize',
      payload: {
        handler: 'index.handler',
        timeoutSeconds: 5,
        environment: { A: '1' },
        maximumRetryAttempts: 0,
        zipBase64: Buffer.from(zip).toString('base64'),
      },
    });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ name: 'resize', handler: 'index.handler' });
    const deployed = await herald.getFunction('resize');
    expect(deployed).toMatchObject({
      name: 'resize',
      timeoutSeconds: 5,
      environment: { A: '1' },
      maximumRetryAttempts: 0,
      codeSize: zip.length,
    });
    expect(deployed.codeSha256).toBe(bundleSha256(zip));
  });

  it('refuses deploy bodies that are incomplete, mistyped or not base64', async () => {
    const deploy = (payload: object) =>
      app.inject({ method: 'PUT', url: '/herald/v1/functions/f', payload });

    const missing = await deploy({ zipBase64: 'AAAA' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.code).toBe('ValidationError');
    expect(missing.json().error.message).toMatch(/handler/);

    const mistyped = await deploy({ handler: 'i.h', zipBase64: 'AAAA', memoryMb: 'lots' });
    expect(mistyped.json().error.code).toBe('ValidationError');

    const garbled = await deploy({ handler: 'i.h', zipBase64: 'not base64!' });
    expect(garbled.json().error).toEqual({
      code: 'InvalidParameterValueException',
      message: 'zipBase64 is not valid base64',
    });
  });

  it('answers errors as JSON with the registry status', async () => {
    const response = await app.inject({ method: 'GET', url: '/herald/v1/functions/missing' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({
      error: { code: 'NotFound', message: 'Function not found: missing' },
    });

    const unknown = await app.inject({ method: 'GET', url: '/herald/v1/nothing' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('NotFound');

    const broken = await app.inject({
      method: 'POST',
      url: '/herald/v1/queues',
      headers: { 'content-type': 'application/json' },
      payload: '{"name":',
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error.code).toBe('InvalidRequestContentException');
  });

  it('answers InternalError when the store fails underneath', async () => {
    await herald.close(0);
    const response = await app.inject({ method: 'GET', url: '/herald/v1/queues' });
    expect(response.statusCode).toBe(500);
    expect(response.json().error.code).toBe('InternalError');
  });

  it('lists and removes functions', async () => {
    expect((await app.inject({ method: 'GET', url: '/herald/v1/functions' })).json()).toEqual({
      functions: [],
    });
    await herald.deployFunction({
      name: 'f',
      handler: 'index.handler',
      zip: zipDirectory(fixtureHandler('recorder')),
    });
    const listed = await app.inject({ method: 'GET', url: '/herald/v1/functions' });
    expect(listed.json().functions).toEqual([expect.objectContaining({ name: 'f' })]);

    const removed = await app.inject({ method: 'DELETE', url: '/herald/v1/functions/f' });
    expect(removed.statusCode).toBe(204);
    await expect(herald.getFunction('f')).rejects.toThrow(/not found/);
  });

  it('creates, lists, receives from, purges and deletes queues', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/herald/v1/queues',
      payload: { name: 'jobs' },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ name: 'jobs' });

    const listed = await app.inject({ method: 'GET', url: '/herald/v1/queues' });
    expect(listed.json().queues).toContainEqual(
      expect.objectContaining({ name: 'jobs', depth: 0 }),
    );

    await fillQueue(
      'jobs',
      Array.from({ length: 12 }, (_, i) => `body ${i + 1}`),
    );
    const filled = await app.inject({ method: 'GET', url: '/herald/v1/queues' });
    expect(filled.json().queues).toContainEqual(
      expect.objectContaining({ name: 'jobs', depth: 12 }),
    );

    const received = await app.inject({
      method: 'POST',
      url: '/herald/v1/queues/jobs/receive',
      payload: { max: 1 },
    });
    expect(received.json().messages).toEqual([
      expect.objectContaining({ queueName: 'jobs', body: 'body 1' }),
    ]);
    const defaulted = await app.inject({ method: 'POST', url: '/herald/v1/queues/jobs/receive' });
    expect(defaulted.json().messages).toHaveLength(10);

    const purged = await app.inject({ method: 'POST', url: '/herald/v1/queues/jobs/purge' });
    expect(purged.json()).toEqual({ purged: 1 });

    const deleted = await app.inject({ method: 'DELETE', url: '/herald/v1/queues/jobs' });
    expect(deleted.statusCode).toBe(204);
  });

  it('lists and redrives dead letters', async () => {
    await deadLetters(5);

    const listed = await app.inject({
      method: 'GET',
      url: '/herald/v1/dead-letters?queue=dlq&max=4',
    });
    expect(listed.json().total).toBe(5);
    expect(listed.json().deadLetters).toHaveLength(4);
    expect(listed.json().deadLetters[0]).toMatchObject({
      queueName: 'dlq',
      body: expect.stringMatching(/^m[0-4]$/),
      errorMessage: expect.stringMatching(/cannot process/),
    });

    const badMax = await app.inject({ method: 'GET', url: '/herald/v1/dead-letters?max=0' });
    expect(badMax.statusCode).toBe(400);

    const redriven = await app.inject({
      method: 'POST',
      url: '/herald/v1/dead-letters/redrive',
      payload: { queue: 'dlq', max: 2 },
    });
    expect(redriven.json()).toEqual({ redriven: 2, remaining: 3 });
  });
});
