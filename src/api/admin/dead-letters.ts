import type { FastifyPluginAsync } from 'fastify';
import type { HeraldApi } from '../../core/api.js';

interface ListQuery {
  queue?: string;
  /** A whole number from 1, as query-string text (schemas do not coerce types). */
  max?: string;
}

interface RedriveBody {
  queue: string;
  max?: number;
}

const listQuerySchema = {
  type: 'object',
  properties: {
    queue: { type: 'string', minLength: 1 },
    max: { type: 'string', pattern: '^[1-9][0-9]{0,8}$' },
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

/**
 * Dead-letter routes: list (optionally one queue's), with `total` counting those beyond
 * `max` too, and redrive to the origin subscriptions, answering how many `remaining`.
 */
export const deadLetterRoutes: FastifyPluginAsync<{ herald: HeraldApi }> = async (
  app,
  { herald },
) => {
  app.get<{ Querystring: ListQuery }>(
    '/dead-letters',
    { schema: { querystring: listQuerySchema } },
    async (request) => {
      const { queue, max } = request.query;
      const limit = max === undefined ? undefined : Number(max);
      const deadLetters = await herald.listDeadLetters(queue, limit);
      return { deadLetters, total: await herald.countDeadLetters(queue) };
    },
  );

  app.post<{ Body: RedriveBody }>(
    '/dead-letters/redrive',
    { schema: { body: redriveBodySchema } },
    async (request) => herald.redriveDeadLetters(request.body.queue, request.body.max),
  );
};
