import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { silentLogger } from '../../src/log/logger.js';
import { MemoryHerald } from './support/memory-herald.js';

let herald: MemoryHerald;
let app: FastifyInstance;

beforeEach(async () => {
  herald = new MemoryHerald();
  app = await buildApp(herald, { logger: silentLogger(), maxMessageBytes: 1024 });
});

afterEach(async () => {
  await app.close();
});

describe('admin API', () => {
  it('reports health', async () => {
    const response = await app.inject({ method: 'GET', url: '/herald/v1/health' });
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('deploys a function from a base64 zip', async () => {
    const zip = Buffer.from('PK\u0003\u0004 pretend zip');
    const response = await app.inject({
      method: 'PUT',
      url: '/herald/v1/functions/resize',
      payload: {
        handler: 'index.handler',
        timeoutSeconds: 5,
        environment: { A: '1' },
        maximumRetryAttempts: 0,
        zipBase64: zip.toString('base64'),
      },
    });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ name: 'resize', handler: 'index.handler' });
    const [input] = herald.deployed;
    expect(Buffer.from(input?.zip ?? []).equals(zip)).toBe(true);
    expect(input).toMatchObject({ name: 'resize', timeoutSeconds: 5, environment: { A: '1' } });
    expect(input?.maximumRetryAttempts).toBe(0);
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
      error: { code: 'ResourceNotFoundException', message: 'Function not found: missing' },
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

  it('lists and removes functions', async () => {
    expect((await app.inject({ method: 'GET', url: '/herald/v1/functions' })).json()).toEqual({
      functions: [],
    });
    const removed = await app.inject({ method: 'DELETE', url: '/herald/v1/functions/f' });
    expect(removed.statusCode).toBe(204);
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
    expect(listed.json().queues).toHaveLength(1);

    const received = await app.inject({
      method: 'POST',
      url: '/herald/v1/queues/jobs/receive',
      payload: { max: 1 },
    });
    expect(received.json().messages).toEqual([
      expect.objectContaining({ queueName: 'jobs', body: 'body 1' }),
    ]);
    const defaulted = await app.inject({ method: 'POST', url: '/herald/v1/queues/jobs/receive' });
    expect(defaulted.json().messages).toHaveLength(2);

    const purged = await app.inject({ method: 'POST', url: '/herald/v1/queues/jobs/purge' });
    expect(purged.json()).toEqual({ purged: 3 });

    const deleted = await app.inject({ method: 'DELETE', url: '/herald/v1/queues/jobs' });
    expect(deleted.statusCode).toBe(204);
  });

  it('lists and redrives dead letters', async () => {
    const listed = await app.inject({
      method: 'GET',
      url: '/herald/v1/dead-letters?queue=dlq&max=4',
    });
    expect(listed.json().deadLetters).toEqual([
      expect.objectContaining({ queueName: 'dlq', receiveCount: 4 }),
    ]);

    const badMax = await app.inject({ method: 'GET', url: '/herald/v1/dead-letters?max=0' });
    expect(badMax.statusCode).toBe(400);

    const redriven = await app.inject({
      method: 'POST',
      url: '/herald/v1/dead-letters/redrive',
      payload: { queue: 'dlq', max: 2 },
    });
    expect(redriven.json()).toEqual({ redriven: 2 });
  });
});
