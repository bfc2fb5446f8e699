import { afterEach, describe, expect, it } from 'vitest';
import { openHeraldApp, type HeraldApp } from '../support/herald-app.js';
import { startNatsServer, uniquePrefix, type NatsServer } from '../support/nats.js';

async function health(harness: HeraldApp): Promise<number> {
  return (await harness.app.inject({ method: 'GET', url: '/herald/v1/health' })).statusCode;
}

describe('the health check of a cluster node', () => {
  let server: NatsServer | undefined;
  let harness: HeraldApp | undefined;

  afterEach(async () => {
    await server?.stop();
    await harness?.close();
  });

  it('answers 503 while NATS is unreachable', async () => {
    server = await startNatsServer();
    const store = { kind: 'nats' as const, servers: [server.url], prefix: uniquePrefix() };
    harness = await openHeraldApp({ store });
    expect(await health(harness)).toBe(200);

    await server.stop();
    let status = 200;
    for (let i = 0; i < 100 && status === 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      status = await health(harness);
    }
    expect(status).toBe(503);
    const response = await harness.app.inject({ method: 'GET', url: '/herald/v1/health' });
    expect(response.json()).toEqual({ status: 'unavailable', reason: 'NATS is unreachable' });
  }, 30_000);
});
