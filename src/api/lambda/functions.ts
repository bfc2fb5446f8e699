import type { FastifyPluginAsync } from 'fastify';
import type { HeraldApi } from '../../core/api.js';
import type { FunctionUpdate } from '../../core/function-settings.js';
import { HeraldError } from '../../errors/index.js';
import { functionConfiguration } from './configuration.js';
import {
  environmentOf,
  functionNameFrom,
  jsonBody,
  optionalInteger,
  optionalObject,
  optionalString,
  zipOf,
  type FunctionParams,
} from './request.js';

/** Room for a 50 MB zip in base64 plus the other fields. */
const CODE_BODY_LIMIT = 70 * 1024 * 1024;

const FUNCTIONS = '/2015-03-31/functions';

/**
 * CreateFunction, GetFunction, GetFunctionConfiguration, ListFunctions, DeleteFunction,
 * UpdateFunctionCode and UpdateFunctionConfiguration.
 */
export const functionRoutes: FastifyPluginAsync<{ herald: HeraldApi }> = async (
  app,
  { herald },
) => {
  const create = async (body: unknown) => {
    const input = jsonBody(body);
    const name = required(optionalString(input, 'FunctionName'), 'FunctionName');
    const exists = await herald.getFunction(name).then(
      () => true,
      () => false,
    );
    if (exists) {
      throw new HeraldError('ResourceConflictException', `Function already exist: ${name}`, {
        functionName: name,
      });
    }
    const zip = required(zipOf(optionalObject(input, 'Code') ?? {}), 'Code.ZipFile');
    const definition = await herald.deployFunction({
      name,
      zip,
      handler: required(optionalString(input, 'Handler'), 'Handler'),
      runtime: required(optionalString(input, 'Runtime'), 'Runtime'),
      role: required(optionalString(input, 'Role'), 'Role'),
      description: optionalString(input, 'Description'),
      timeoutSeconds: optionalInteger(input, 'Timeout'),
      memoryMb: optionalInteger(input, 'MemorySize'),
      environment: environmentOf(input),
    });
    return functionConfiguration(definition);
  };
  for (const path of [FUNCTIONS, `${FUNCTIONS}/`]) {
    app.post(path, { bodyLimit: CODE_BODY_LIMIT }, async (request, reply) =>
      reply.code(201).send(await create(request.body)),
    );
    app.get<{ Querystring: { Marker?: string; MaxItems?: string } }>(path, async (request) => {
      const all = await herald.listFunctions();
      const { Marker: marker, MaxItems: maxItems } = request.query;
      const start = marker === undefined ? 0 : all.findIndex((each) => each.name > marker);
      const limit = Math.min(Math.max(Number(maxItems ?? 50) || 50, 1), 10_000);
      const page = start === -1 ? [] : all.slice(start, start + limit);
      const more = start !== -1 && start + limit < all.length;
      return {
        Functions: page.map(functionConfiguration),
        ...(more && page.length > 0 ? { NextMarker: page[page.length - 1]!.name } : {}),
      };
    });
  }

  app.get<{ Params: FunctionParams; Querystring: { Qualifier?: string } }>(
    `${FUNCTIONS}/:name`,
    async (request) => {
      const name = functionNameFrom(request.params.name, request.query.Qualifier);
      const definition = await herald.getFunction(name);
      const reserved = definition.reservedConcurrency;
      return {
        Configuration: functionConfiguration(definition),
        Code: { RepositoryType: 'S3', Location: '' },
        Tags: {},
        ...(reserved === undefined
          ? {}
          : { Concurrency: { ReservedConcurrentExecutions: reserved } }),
      };
    },
  );

  app.get<{ Params: FunctionParams; Querystring: { Qualifier?: string } }>(
    `${FUNCTIONS}/:name/configuration`,
    async (request) => {
      const name = functionNameFrom(request.params.name, request.query.Qualifier);
      return functionConfiguration(await herald.getFunction(name));
    },
  );

  app.delete<{ Params: FunctionParams; Querystring: { Qualifier?: string } }>(
    `${FUNCTIONS}/:name`,
    async (request, reply) => {
      const name = functionNameFrom(request.params.name, request.query.Qualifier);
      await herald.removeFunction(name);
      return reply.code(204).send();
    },
  );

  app.put<{ Params: FunctionParams }>(
    `${FUNCTIONS}/:name/code`,
    { bodyLimit: CODE_BODY_LIMIT },
    async (request) => {
      const name = functionNameFrom(request.params.name);
      const zip = required(zipOf(jsonBody(request.body)), 'ZipFile');
      return functionConfiguration(await herald.updateFunction(name, { zip }));
    },
  );

  app.put<{ Params: FunctionParams }>(`${FUNCTIONS}/:name/configuration`, async (request) => {
    const name = functionNameFrom(request.params.name);
    const input = jsonBody(request.body);
    const update: FunctionUpdate = {
      handler: optionalString(input, 'Handler'),
      runtime: optionalString(input, 'Runtime'),
      role: optionalString(input, 'Role'),
      description: optionalString(input, 'Description'),
      timeoutSeconds: optionalInteger(input, 'Timeout'),
      memoryMb: optionalInteger(input, 'MemorySize'),
      environment: environmentOf(input),
    };
    return functionConfiguration(await herald.updateFunction(name, update));
  });
};

function required<T>(value: T | undefined, field: string): T {
  if (value === undefined) {
    throw new HeraldError('InvalidParameterValueException', `${field} is required`);
  }
  return value;
}
