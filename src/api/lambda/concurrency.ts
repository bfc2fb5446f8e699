import type { FastifyPluginAsync } from 'fastify';
import type { HeraldApi } from '../../core/api.js';
import { HeraldError } from '../../errors/index.js';
import { functionNameFrom, jsonBody, optionalInteger, type FunctionParams } from './request.js';

/** Put-, Get- and DeleteFunctionConcurrency: a function's reserved concurrency. */
export const concurrencyRoutes: FastifyPluginAsync<{ herald: HeraldApi }> = async (
  app,
  { herald },
) => {
  app.put<{ Params: FunctionParams }>(
    '/2017-10-31/functions/:name/concurrency',
    async (request) => {
      const name = functionNameFrom(request.params.name);
      const reserved = optionalInteger(jsonBody(request.body), 'ReservedConcurrentExecutions');
      if (reserved === undefined) {
        throw new HeraldError(
          'InvalidParameterValueException',
          'ReservedConcurrentExecutions is required',
        );
      }
      await herald.updateFunction(name, { reservedConcurrency: reserved });
      return { ReservedConcurrentExecutions: reserved };
    },
  );

  app.delete<{ Params: FunctionParams }>(
    '/2017-10-31/functions/:name/concurrency',
    async (request, reply) => {
      const name = functionNameFrom(request.params.name);
      await herald.updateFunction(name, { reservedConcurrency: null });
      return reply.code(204).send();
    },
  );

  app.get<{ Params: FunctionParams }>(
    '/2019-09-30/functions/:name/concurrency',
    async (request) => {
      const name = functionNameFrom(request.params.name);
      const reserved = (await herald.getFunction(name)).reservedConcurrency;
      return reserved === undefined ? {} : { ReservedConcurrentExecutions: reserved };
    },
  );
};
