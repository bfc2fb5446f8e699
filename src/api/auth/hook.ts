import { Readable } from 'node:stream';
import { errorCodes, type FastifyRequest, type preParsingAsyncHookHandler } from 'fastify';
import type { Caller } from '../../core/topic-access.js';
import type { AccessKeyStore } from './access-keys.js';
import { verifySigV4 } from './sigv4.js';

/** What access control needs: the keys clients may sign with. */
export interface AuthSettings {
  keys: AccessKeyStore;
}

const callers = new WeakMap<FastifyRequest, Caller>();

/** The verified caller of a request, or undefined when access control is off (or open). */
export function callerOf(request: FastifyRequest): Caller | undefined {
  return callers.get(request);
}

/** Actions an SNS link (SubscribeURL, UnsubscribeURL) calls with a plain GET, unsigned. */
export const LINK_ACTIONS: ReadonlySet<string> = new Set(['ConfirmSubscription', 'Unsubscribe']);

/** The one download that needs no signature: the certificate receivers verify with. */
const OPEN_DOWNLOADS = new Set(['/herald/v1/signing-cert.pem']);

/**
 * Requests that need no signature: the GETs behind the links SNS puts in messages (confirm,
 * unsubscribe) and the download of the signing certificate, as on AWS. A link must name
 * exactly one Action: the SNS API reads the last of several, so a request naming two must
 * not pass as a link because of the first. The SNS API checks again that an unsigned
 * request calls a link action ({@link LINK_ACTIONS}).
 */
export function isOpenRequest(request: FastifyRequest): boolean {
  if (request.method !== 'GET') return false;

  const mark = request.url.indexOf('?');
  const path = mark === -1 ? request.url : request.url.slice(0, mark);
  if (mark === -1) return OPEN_DOWNLOADS.has(path);
  if (path !== '/') return false;
  const actions = new URLSearchParams(request.url.slice(mark + 1)).getAll('Action');
  return actions.length === 1 && LINK_ACTIONS.has(actions[0] as string);
}

/**
 * A `preParsing` hook that requires a valid SigV4 signature: it buffers the body (the
 * signature covers it) up to the route's own body limit, so a route that takes large bodies
 * (Lambda code uploads) takes them signed too, verifies, records the caller for
 * {@link callerOf}, and hands the body on to the content-type parser. Failures reach the
 * app's error handler as `HeraldError`s. Register it on any Fastify instance (the app
 * registers it for every route).
 */
export function sigV4PreParsing(settings: AuthSettings): preParsingAsyncHookHandler {
  return async (request, reply, payload) => {
    if (callers.has(request) || isOpenRequest(request)) return payload;

    const limit = request.routeOptions.bodyLimit;
    const declared = Number(request.headers['content-length']);
    const body = declared > limit ? undefined : await readBody(payload, limit);
    if (body === undefined) {
      void reply.header('connection', 'close');
      throw new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE();
    }

    const caller = await verifySigV4(
      { method: request.method, url: request.url, headers: request.headers, body },
      settings.keys,
    );
    callers.set(request, caller);
    return Readable.from(body.length === 0 ? [] : [body]);
  };
}

/** The whole body, or undefined once it grows past the limit. */
async function readBody(
  payload: AsyncIterable<Buffer | string>,
  limit: number,
): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of payload) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += bytes.length;
    if (size > limit) return undefined;
    chunks.push(bytes);
  }
  return Buffer.concat(chunks);
}
