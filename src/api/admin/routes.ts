import type { FastifyPluginAsync } from 'fastify';
import type { HeraldApi } from '../../core/api.js';
import { deadLetterRoutes } from './dead-letters.js';
import { functionRoutes } from './functions.js';
import { queueRoutes } from './queues.js';
import { signingCertRoutes } from './signing-cert.js';

/** Where the admin API lives. */
export const ADMIN_PREFIX = '/herald/v1';

/**
 * The admin JSON API the `herald` CLI talks to: functions, queues, dead letters and a health
 * check (503 while a cluster node cannot reach NATS). Register it with
 * `{ prefix: ADMIN_PREFIX }`.
 */
export const adminApi: FastifyPluginAsync<{ herald: HeraldApi }> = async (app, { herald }) => {
  app.get('/health', async (_request, reply) => {
    const reason = herald.unhealthy();
    if (reason === undefined) return { status: 'ok' };
    return reply.code(503).send({ status: 'unavailable', reason });
  });

  await app.register(functionRoutes, { herald });
  await app.register(queueRoutes, { herald });
  await app.register(deadLetterRoutes, { herald });
  await app.register(signingCertRoutes, { herald });
};
