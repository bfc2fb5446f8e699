import { HeraldError } from '../errors/index.js';

/** Which wire protocol a request arrived on; it decides how client errors are worded. */
export type ApiKind = 'sns' | 'admin' | 'lambda';

/** The parts of a Fastify framework error Herald looks at. */
interface FrameworkError {
  code?: unknown;
  statusCode?: unknown;
  message: string;
}

function isFrameworkError(error: unknown): error is FrameworkError {
  return error instanceof Error && typeof (error as FrameworkError).statusCode === 'number';
}

/**
 * The {@link HeraldError} a client sees for an error raised while serving it: HeraldErrors
 * as they are, and Fastify's own request errors (body too large, wrong content type, bad JSON,
 * schema validation) translated to the API's codes. Undefined means an internal failure.
 */
export function clientErrorOf(error: unknown, api: ApiKind): HeraldError | undefined {
  if (error instanceof HeraldError) return error;
  if (!isFrameworkError(error)) return undefined;

  const status = error.statusCode as number;
  if (status < 400 || status >= 500) return undefined;

  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return api === 'sns'
        ? new HeraldError('InvalidParameter', 'Invalid parameter: Message too long')
        : new HeraldError('RequestTooLargeException', 'The request body is too large');
    case 'FST_ERR_VALIDATION':
      return new HeraldError('ValidationError', error.message);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return api === 'sns'
        ? new HeraldError(
            'MalformedQueryString',
            'Unsupported Content-Type: send application/x-www-form-urlencoded',
          )
        : new HeraldError(
            'InvalidRequestContentException',
            'Unsupported Content-Type: send application/json',
          );
    default:
      return api === 'sns'
        ? new HeraldError('MalformedQueryString', error.message)
        : new HeraldError('InvalidRequestContentException', error.message);
  }
}

/** What a client is told about an internal failure (the cause goes to the log only). */
export function internalError(): HeraldError {
  return new HeraldError('InternalError', 'Herald failed to process the request; see its log');
}
