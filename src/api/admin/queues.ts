import type { FastifyPluginAsync } from 'fastify';
import type { HeraldApi } from '../../core/api.js';

/** How many messages a receive takes when the body names no `max`. */
const DEFAULT_RECEIVE_MAX = 10;

interface NameParams {
  name: string;
}

const createBodySchema = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string', minLength: 1 } },
} as const;

const receiveBodySchema = {
  type: 'object',
  properties: { max: { type: 'integer', minimum: 1 } },
} as const;

/** Queue routes: create, list, delete, receive (and delete) messages, purge. */
export const queueRoutes: FastifyPluginAsync<{ herald: HeraldApi }> = async (app, { herald }) => {
  app.post<{ Body: { name: string } }>(
    '/queues',
    { schema: { body: createBodySchema } },
    async (request, reply) => reply.code(201).send(await herald.createQueue(request.body.name)),
  );

  app.get('/queues', async () => ({ queues: await herald.listQueues() }));

  app.delete<{ Params: NameParams }>('/queues/:name', async (request, reply) => {
    await herald.deleteQueue(request.params.name);
    return reply.code(204).send();
  });

  app.post<{ Params: NameParams; Body: { max?: number } }>(
    '/queues/:name/receive',
    {
      schema: { body: receiveBodySchema },
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request) => {
      const max = request.body.max ?? DEFAULT_RECEIVE_MAX;
      return { messages: await herald.receiveMessages(request.params.name, max) };
    },
  );

  app.post<{ Params: NameParams }>('/queues/:name/purge', async (request) => ({
    purged: await herald.purgeQueue(request.params.name),
  }));
};
