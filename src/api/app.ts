import { randomUUID } from 'node:crypto';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import { DEFAULTS } from '../config/defaults.js';
import type { HeraldApi } from '../core/api.js';
import type { Partition } from '../domain/arn.js';
import { HeraldError } from '../errors/index.js';
import type { Logger } from '../log/logger.js';
import { ADMIN_PREFIX, adminApi } from './admin/routes.js';
import { callerOf, sigV4PreParsing, type AccessKeyStore } from './auth/index.js';
import { errorBody } from './admin/errors.js';
import { clientErrorOf, internalError, type ApiKind } from './errors.js';
import { errorResponse } from './sns/errors.js';
import { sendLambdaError } from './lambda/errors.js';
import { isLambdaPath, lambdaApi } from './lambda/routes.js';
import { snsApi } from './sns/routes.js';
import { REQUEST_ID_HEADER, XML_CONTENT_TYPE } from './sns/xml.js';

/** What the HTTP app is built with. */
export interface AppOptions {
  logger: Logger;
  /** The most bytes one message may take: body plus attribute names, types and values. */
  maxMessageBytes: number;
  /** The region and account of ARNs the Lambda API reports (default: Herald's defaults). */
  partition?: Partition;
  /** When set, every request but the open ones must carry a SigV4 signature of these keys. */
  auth?: { keys: AccessKeyStore };
}

/** Room beyond ten full messages (a PublishBatch) for the form encoding's other fields. */
const BODY_SLACK_BYTES = 64 * 1024;

/** Which API a request is for, by its path. */
function apiOf(request: FastifyRequest): ApiKind {
  if (request.url.startsWith(`${ADMIN_PREFIX}/`)) return 'admin';
  return isLambdaPath(request.url) ? 'lambda' : 'sns';
}

/**
 * The admin and Lambda APIs manage Herald itself: only keys of Herald's own account may use
 * them. SNS requests are left to the SNS API, which weighs topic policies.
 */
function requireOwnAccount(request: FastifyRequest, partition: Partition): void {
  const caller = callerOf(request);
  if (caller === undefined || caller.accountId === partition.accountId) return;

  const api = apiOf(request);
  if (api === 'sns') return;
  const message = `Account ${caller.accountId} may not manage this Herald (its account is ${partition.accountId})`;
  throw new HeraldError(api === 'lambda' ? 'AccessDeniedException' : 'AuthorizationError', message);
}

/**
 * Answers with an error in the format of the request's API (SNS XML, admin JSON, or Lambda's
 * JSON with `x-amzn-ErrorType`), with the registry's status.
 */
function sendError(
  request: FastifyRequest,
  reply: FastifyReply,
  error: HeraldError,
  partition: Partition,
): FastifyReply {
  const api = apiOf(request);
  if (api === 'lambda') return sendLambdaError(request, reply, error, partition);
  void reply.code(error.status);
  if (api === 'admin') return reply.send(errorBody(error));
  return reply
    .type(XML_CONTENT_TYPE)
    .header(REQUEST_ID_HEADER, request.id)
    .send(errorResponse(error, request.id));
}

/**
 * Builds Herald's HTTP app: the SNS query API on `/` and the admin JSON API under
 * `/herald/v1/`, with one error handler mapping {@link HeraldError} to each API's error
 * format and anything else to a logged `InternalError`. The caller listens and closes.
 */
export async function buildApp(herald: HeraldApi, options: AppOptions): Promise<FastifyInstance> {
  const { logger, maxMessageBytes } = options;
  const partition = options.partition ?? {
    region: DEFAULTS.region,
    accountId: DEFAULTS.accountId,
  };
  const loggerInstance: FastifyBaseLogger = logger;
  const app = Fastify({
    loggerInstance,
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: () => randomUUID(),
    bodyLimit: maxMessageBytes * 10 + BODY_SLACK_BYTES,
    // Schemas check types as sent: `{"name":5}` is refused, never turned into "5".
    ajv: { customOptions: { coerceTypes: false } },
    frameworkErrors: (error, request, reply) => {
      const clientError = clientErrorOf(error, apiOf(request)) ?? internalError();
      void sendError(request, reply, clientError, partition);
    },
  });
  if (options.auth) {
    app.addHook('preParsing', sigV4PreParsing({ keys: options.auth.keys }));
    app.addHook('preHandler', async (request) => requireOwnAccount(request, partition));
  }

  if (logger.isLevelEnabled('debug')) {
    app.addHook('onResponse', async (request, reply) => {
      request.log.debug(
        {
          method: request.method,
          url: request.url,
          status: reply.statusCode,
          ms: reply.elapsedTime,
        },
        'request served',
      );
    });
  }

  app.setErrorHandler((error: FastifyError, request, reply) => {
    let clientError = clientErrorOf(error, apiOf(request));
    if (clientError === undefined) {
      request.log.error({ err: error }, 'internal error while serving a request');
      clientError = internalError();
    } else if (clientError.fault === 'Receiver') {
      request.log.error({ err: clientError }, clientError.message);
    }
    return sendError(request, reply, clientError, partition);
  });

  app.setNotFoundHandler((request, reply) => {
    const error = new HeraldError('NotFound', `No route for ${request.method} ${request.url}`);
    return sendError(request, reply, error, partition);
  });

  await app.register(snsApi, {
    herald,
    authRequired: options.auth !== undefined,
    accountId: partition.accountId,
  });
  await app.register(adminApi, { herald, prefix: ADMIN_PREFIX });
  await app.register(lambdaApi, { herald, partition });
  return app;
}
