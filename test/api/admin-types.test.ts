import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/start.js';
import { tempDir } from '../support/temp-dir.js';

const dir = tempDir('herald-admin-types-');
let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ dataDir: join(dir.path, 'data'), host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await server?.close();
  dir.remove();
});

async function post(path: string, body: unknown) {
  const response = await fetch(`${server.url}/herald/v1${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('admin API types', () => {
  it('refuses values of the wrong JSON type instead of converting them', async () => {
    for (const name of [5, ['a'], true, null]) {
      const answer = await post('/queues', { name });
      expect(answer, JSON.stringify(name)).toMatchObject({
        status: 400,
        body: { error: { code: 'ValidationError' } },
      });
    }
    expect((await server.herald.listQueues()).map((queue) => queue.name)).not.toContain('5');

    await server.herald.createQueue('typed');
    expect((await post('/queues/typed/receive', { max: '2' })).status).toBe(400);
    expect((await post('/queues/typed/receive', { max: 2 })).status).toBe(200);
  });

  it('still reads numbers from query strings', async () => {
    const listed = await fetch(`${server.url}/herald/v1/dead-letters?max=3`);
    expect(listed.status).toBe(200);
    const refused = await fetch(`${server.url}/herald/v1/dead-letters?max=0`);
    expect(refused.status).toBe(400);
  });
});
