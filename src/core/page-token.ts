import { HeraldError } from '../errors/index.js';

/** Encodes where a listing stopped as an opaque NextToken. */
export function encodePageToken(position: string | number): string {
  return Buffer.from(JSON.stringify({ p: position })).toString('base64url');
}

/** Decodes a NextToken; throws `InvalidParameter` for one Herald did not issue. */
export function decodePageToken<T extends string | number>(
  token: string,
  kind: 'string' | 'number',
): T {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString()) as { p?: unknown };
    if (typeof parsed.p === kind) return parsed.p as T;
  } catch {
    // falls through to the error below
  }
  throw new HeraldError('InvalidParameter', 'Invalid parameter: NextToken', {
    parameter: 'NextToken',
  });
}
