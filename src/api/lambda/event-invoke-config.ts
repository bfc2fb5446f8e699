import type { FastifyPluginAsync } from 'fastify';
import type { HeraldApi } from '../../core/api.js';
import type { EventInvokeConfig } from '../../domain/function.js';
import { HeraldError } from '../../errors/index.js';
import { eventInvokeConfiguration } from './configuration.js';
import {
  functionNameFrom,
  jsonBody,
  optionalInteger,
  optionalObject,
  optionalString,
  type FunctionParams,
} from './request.js';

const PATH = '/2019-09-25/functions/:name/event-invoke-config';

interface ConfigRoute {
  Params: FunctionParams;
  Querystring: { Qualifier?: string };
}

/**
 * Put-, Update-, Get- and DeleteFunctionEventInvokeConfig: retries, maximum event age and
 * destinations of asynchronous invocations. Put replaces the settings; Update merges.
 */
export const eventInvokeConfigRoutes: FastifyPluginAsync<{ herald: HeraldApi }> = async (
  app,
  { herald },
) => {
  const save = async (name: string, body: unknown, merge: boolean) => {
    const current = merge ? (await herald.getFunction(name)).eventInvokeConfig : undefined;
    const config = { ...current, ...configOf(jsonBody(body)) };
    const definition = await herald.updateFunction(name, { eventInvokeConfig: config });
    return eventInvokeConfiguration(definition, config);
  };

  app.put<ConfigRoute>(PATH, async (request) =>
    save(functionNameFrom(request.params.name, request.query.Qualifier), request.body, false),
  );
  app.post<ConfigRoute>(PATH, async (request) =>
    save(functionNameFrom(request.params.name, request.query.Qualifier), request.body, true),
  );

  app.get<ConfigRoute>(PATH, async (request) => {
    const name = functionNameFrom(request.params.name, request.query.Qualifier);
    const definition = await herald.getFunction(name);
    if (!definition.eventInvokeConfig) {
      throw new HeraldError(
        'ResourceNotFoundException',
        `The function ${definition.arn}:$LATEST doesn't have an EventInvokeConfig`,
      );
    }
    return eventInvokeConfiguration(definition, definition.eventInvokeConfig);
  });

  app.delete<ConfigRoute>(PATH, async (request, reply) => {
    const name = functionNameFrom(request.params.name, request.query.Qualifier);
    await herald.updateFunction(name, { eventInvokeConfig: null });
    return reply.code(204).send();
  });
};

/** The settings a request gives, leaving out those it does not mention. */
function configOf(body: Record<string, unknown>): EventInvokeConfig {
  const destinations = optionalObject(body, 'DestinationConfig') ?? {};
  const config: EventInvokeConfig = { lastModified: Date.now() };
  const retries = optionalInteger(body, 'MaximumRetryAttempts');
  const age = optionalInteger(body, 'MaximumEventAgeInSeconds');
  const onSuccess = optionalString(optionalObject(destinations, 'OnSuccess') ?? {}, 'Destination');
  const onFailure = optionalString(optionalObject(destinations, 'OnFailure') ?? {}, 'Destination');
  if (retries !== undefined) config.maximumRetryAttempts = retries;
  if (age !== undefined) config.maximumEventAgeInSeconds = age;
  if (onSuccess !== undefined) config.onSuccess = onSuccess;
  if (onFailure !== undefined) config.onFailure = onFailure;
  return config;
}
