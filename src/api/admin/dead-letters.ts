import type { FastifyPluginAsync } from 'fastify';
import type { HeraldApi } from '../../core/api.js';

interface ListQuery {
  queue?: string;
  max?: number;
}

interface RedriveBody {
  queue: string;
  max?: number;
}

const listQuerySchema = {
  type: 'object',
  properties: {
    queue: { type: 'string', minLength: 1 },
    max: { type: 'integer', minimum: 1 },
  },
} as const;

const redriveBodySchema = {
  type: 'object',
  required: ['queue'],
  properties: {
    queue: { type: 'string', minLength: 1 },
    max: { type: 'integer', minimum: 1 },
  },
} as const;

/** Dead-letter routes: list (optionally one queue's) and redrive to the origin subscriptions. */
export const deadLetterRoutes: FastifyPluginAsync<{ herald: HeraldApi }> = async (
  app,
  { herald },
) => {
  app.get<{ Querystring: ListQuery }>(
    '/dead-letters',
    { schema: { querystring: listQuerySchema } },
    async (request) => ({
      deadLetters: await herald.listDeadLetters(request.query.queue, request.query.max),
    }),
  );

  app.post<{ Body: RedriveBody }>(
    '/dead-letters/redrive',
    { schema: { body: redriveBodySchema } },
    async (request) => ({
      redriven: await herald.redriveDeadLetters(request.body.queue, request.body.max),
    }),
  );
};
