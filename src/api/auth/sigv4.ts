import { createHash, timingSafeEqual } from 'node:crypto';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Caller } from '../../core/topic-access.js';
import { HeraldError } from '../../errors/index.js';
import type { AccessKeyStore } from './access-keys.js';

/** How far a request's timestamp may be from Herald's clock, as on AWS. */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

const ALGORITHM = 'AWS4-HMAC-SHA256';
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const PRESIGN_PARAMS = new Set([
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Date',
  'X-Amz-Expires',
  'X-Amz-SignedHeaders',
  'X-Amz-Signature',
]);

/** The parts of a received HTTP request a signature covers. */
export interface SignedRequest {
  method: string;
  /** The request target as received: path plus query string. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /** The raw body; empty for a bodiless request. */
  body: Buffer;
}

/** What the client claims: its key, scope, date, signed headers and signature. */
interface Claim {
  accessKeyId: string;
  shortDate: string;
  region: string;
  service: string;
  amzDate: string;
  signedHeaders: string[];
  signature: string;
}

/**
 * Verifies a request's AWS Signature Version 4, in the Authorization header or a presigned
 * query string, by signing the received request again with the stored secret (via
 * `@smithy/signature-v4`) and comparing signatures in constant time. Resolves with the
 * caller; rejects with SNS's codes: `MissingAuthenticationToken`, `IncompleteSignature`,
 * `InvalidClientTokenId` (unknown key) or `SignatureDoesNotMatch` (wrong signature, or a
 * timestamp more than 15 minutes off).
 */
export async function verifySigV4(
  request: SignedRequest,
  keys: AccessKeyStore,
  now: number = Date.now(),
): Promise<Caller> {
  const { path, query } = splitUrl(request.url);
  const presigned = query['X-Amz-Signature'] !== undefined;
  const claim = presigned ? presignedClaim(query) : headerClaim(request.headers);

  const key = keys.find(claim.accessKeyId);
  if (key === undefined) {
    throw new HeraldError(
      'InvalidClientTokenId',
      'The security token included in the request is invalid.',
    );
  }

  const signingDate = parseAmzDate(claim.amzDate);
  checkFreshness(claim.amzDate, signingDate, now, presigned ? expiresOf(query) : undefined);
  if (claim.shortDate !== claim.amzDate.slice(0, 8)) throw signatureMismatch();
  checkPayloadHash(request);

  const signer = new SignatureV4({
    credentials: { accessKeyId: claim.accessKeyId, secretAccessKey: key.secret },
    region: claim.region,
    service: claim.service,
    sha256: Hash.bind(null, 'sha256'),
    applyChecksum: false,
  });
  const toSign = new HttpRequest({
    method: request.method,
    protocol: 'http:',
    hostname: headerValue(request.headers, 'host') ?? '',
    path,
    query: presigned ? withoutPresignParams(query) : query,
    headers: signedHeaderValues(request.headers, claim.signedHeaders),
    body: request.body.length === 0 ? undefined : request.body,
  });
  const options = {
    signingDate,
    signingRegion: claim.region,
    signingService: claim.service,
    signableHeaders: new Set(claim.signedHeaders),
  };

  const expected = presigned
    ? String(
        (await signer.presign(toSign, { ...options, expiresIn: expiresOf(query) })).query?.[
          'X-Amz-Signature'
        ] ?? '',
      )
    : signatureOf((await signer.sign(toSign, options)).headers.authorization ?? '');
  if (!sameSignature(expected, claim.signature)) throw signatureMismatch();
  return { accessKeyId: claim.accessKeyId, accountId: key.accountId };
}

function signatureMismatch(): HeraldError {
  return new HeraldError(
    'SignatureDoesNotMatch',
    'The request signature we calculated does not match the signature you provided. Check ' +
      'your AWS Secret Access Key and signing method. Consult the service documentation for ' +
      'details.',
  );
}

function incomplete(message: string): HeraldError {
  return new HeraldError('IncompleteSignature', message);
}

/** The claim of an `Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`. */
function headerClaim(headers: SignedRequest['headers']): Claim {
  const authorization = headerValue(headers, 'authorization');
  if (authorization === undefined || authorization === '') {
    throw new HeraldError('MissingAuthenticationToken', 'Request is missing Authentication Token');
  }
  if (!authorization.startsWith(`${ALGORITHM} `)) {
    throw incomplete(`Unsupported signing algorithm: only ${ALGORITHM} is accepted`);
  }

  const fields = Object.create(null) as Record<string, string>;
  for (const part of authorization.slice(ALGORITHM.length + 1).split(',')) {
    const [name = '', ...value] = part.trim().split('=');
    fields[name] = value.join('=');
  }
  const { Credential: credential, SignedHeaders: signed, Signature: signature } = fields;
  if (credential === undefined || signed === undefined || signature === undefined) {
    throw incomplete(
      "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.",
    );
  }

  const amzDate = headerValue(headers, 'x-amz-date');
  if (amzDate === undefined) {
    throw incomplete("Authorization header requires existence of a 'X-Amz-Date' header.");
  }
  return { ...credentialScope(credential), amzDate, signedHeaders: signed.split(';'), signature };
}

/** The claim of a presigned URL's `X-Amz-*` query parameters. */
function presignedClaim(query: Record<string, string | string[]>): Claim {
  const value = (name: string): string => {
    const found = query[name];
    if (typeof found !== 'string') throw incomplete(`The query string requires ${name}.`);
    return found;
  };
  if (value('X-Amz-Algorithm') !== ALGORITHM) {
    throw incomplete(`Unsupported signing algorithm: only ${ALGORITHM} is accepted`);
  }
  return {
    ...credentialScope(value('X-Amz-Credential')),
    amzDate: value('X-Amz-Date'),
    signedHeaders: value('X-Amz-SignedHeaders').split(';'),
    signature: value('X-Amz-Signature'),
  };
}

/** `AKID/20240101/us-east-1/sns/aws4_request` split into its parts. */
function credentialScope(credential: string) {
  const [accessKeyId, shortDate, region, service, terminator] = credential.split('/');
  if (!accessKeyId || !shortDate || !region || !service || terminator !== 'aws4_request') {
    throw incomplete(`Credential should be scoped correctly: '${credential}'`);
  }
  return { accessKeyId, shortDate, region, service };
}

function expiresOf(query: Record<string, string | string[]>): number {
  const seconds = Number(query['X-Amz-Expires']);
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 604_800) {
    throw incomplete('X-Amz-Expires must be a number of seconds from 1 to 604800.');
  }
  return seconds;
}

function parseAmzDate(text: string): Date {
  const match = AMZ_DATE.exec(text);
  if (!match) throw incomplete(`Invalid X-Amz-Date: '${text}'; expected yyyyMMddTHHmmssZ`);
  const [, year, month, day, hour, minute, second] = match.map(Number) as number[];
  return new Date(Date.UTC(year!, month! - 1, day, hour, minute, second));
}

/** Refuses a timestamp more than 15 minutes off, or a presigned URL past its expiry. */
function checkFreshness(amzDate: string, date: Date, now: number, expiresSeconds?: number): void {
  const nowText = formatAmzDate(new Date(now));
  if (expiresSeconds !== undefined && now > date.getTime() + expiresSeconds * 1000) {
    throw new HeraldError(
      'SignatureDoesNotMatch',
      `Signature expired: ${amzDate} is now earlier than ${formatAmzDate(
        new Date(now - expiresSeconds * 1000),
      )} (${nowText} - ${expiresSeconds} sec.)`,
    );
  }
  if (now - date.getTime() > MAX_CLOCK_SKEW_MS && expiresSeconds === undefined) {
    throw new HeraldError(
      'SignatureDoesNotMatch',
      `Signature expired: ${amzDate} is now earlier than ${formatAmzDate(
        new Date(now - MAX_CLOCK_SKEW_MS),
      )} (${nowText} - 15 min.)`,
    );
  }
  if (date.getTime() - now > MAX_CLOCK_SKEW_MS) {
    throw new HeraldError(
      'SignatureDoesNotMatch',
      `Signature not yet current: ${amzDate} is still later than ${formatAmzDate(
        new Date(now + MAX_CLOCK_SKEW_MS),
      )} (${nowText} + 15 min.)`,
    );
  }
}

function formatAmzDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** A signed `x-amz-content-sha256` must be the body's hash: the signature covers the header. */
function checkPayloadHash(request: SignedRequest): void {
  const claimed = headerValue(request.headers, 'x-amz-content-sha256');
  if (claimed === undefined) return;
  const actual = createHash('sha256').update(request.body).digest('hex');
  if (claimed !== actual) throw signatureMismatch();
}

function headerValue(headers: SignedRequest['headers'], name: string): string | undefined {
  const value = Object.hasOwn(headers, name) ? headers[name] : undefined;
  return Array.isArray(value) ? value.join(',') : value;
}

/** The headers the client signed, with their received values. */
function signedHeaderValues(
  headers: SignedRequest['headers'],
  names: string[],
): Record<string, string> {
  const signed = Object.create(null) as Record<string, string>;
  for (const name of names) {
    const value = headerValue(headers, name);
    if (value !== undefined) signed[name] = value;
  }
  return signed;
}

/** The path and decoded query parameters of a request target. */
function splitUrl(url: string): { path: string; query: Record<string, string | string[]> } {
  const mark = url.indexOf('?');
  const path = mark === -1 ? url : url.slice(0, mark);
  const query = Object.create(null) as Record<string, string | string[]>;
  if (mark === -1) return { path, query };

  for (const pair of url.slice(mark + 1).split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const name = decodeQueryPart(equals === -1 ? pair : pair.slice(0, equals));
    const value = equals === -1 ? '' : decodeQueryPart(pair.slice(equals + 1));
    const existing = query[name];
    query[name] =
      existing === undefined
        ? value
        : Array.isArray(existing)
          ? [...existing, value]
          : [existing, value];
  }
  return { path, query };
}

function decodeQueryPart(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new HeraldError('MalformedQueryString', 'The query string is not percent-encoded UTF-8');
  }
}

function withoutPresignParams(query: Record<string, string | string[]>) {
  return Object.fromEntries(Object.entries(query).filter(([name]) => !PRESIGN_PARAMS.has(name)));
}

function signatureOf(authorization: string): string {
  return /Signature=([0-9a-f]+)/.exec(authorization)?.[1] ?? '';
}

function sameSignature(expected: string, received: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(received);
  return a.length === b.length && a.length > 0 && timingSafeEqual(a, b);
}
