import type { FastifyPluginAsync } from 'fastify';
import type { HeraldApi } from '../../core/api.js';
import type { Partition } from '../../domain/arn.js';
import { concurrencyRoutes } from './concurrency.js';
import { sendLambdaError } from './errors.js';
import { eventInvokeConfigRoutes } from './event-invoke-config.js';
import { functionRoutes } from './functions.js';
import { invokeRoutes } from './invoke.js';
import { permissionRoutes } from './permissions.js';

/** What the Lambda API plugin needs. */
export interface LambdaApiOptions {
  herald: HeraldApi;
  /** The region and account of function ARNs in error messages. */
  partition: Partition;
}

/** Lambda's REST paths start with an API version date: `/2015-03-31/functions`, ... */
const LAMBDA_PATH = /^\/\d{4}-\d{2}-\d{2}\//;

/** Whether a request target belongs to the Lambda API (and so answers Lambda's errors). */
export function isLambdaPath(url: string): boolean {
  return LAMBDA_PATH.test(url);
}

/**
 * The subset of the Lambda REST-JSON API that the AWS CLI and SDK v3 `LambdaClient` use
 * to deploy, configure and invoke functions. Bodies are read as raw bytes whatever their
 * Content-Type (the CLI sends `application/json` with empty bodies) and parsed per route;
 * errors are answered in Lambda's format.
 */
export const lambdaApi: FastifyPluginAsync<LambdaApiOptions> = async (app, options) => {
  const { herald, partition } = options;

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => {
    done(null, body);
  });
  app.setErrorHandler((error, request, reply) => sendLambdaError(request, reply, error, partition));

  await app.register(functionRoutes, { herald });
  await app.register(invokeRoutes, { herald });
  await app.register(concurrencyRoutes, { herald });
  await app.register(eventInvokeConfigRoutes, { herald });
  await app.register(permissionRoutes, { herald });
};
