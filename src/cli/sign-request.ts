import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';

/**
 * The headers of an admin API request, signed with AWS SigV4 when `AWS_ACCESS_KEY_ID` and
 * `AWS_SECRET_ACCESS_KEY` are set (a server running with `--auth` requires it); unsigned
 * otherwise.
 */
export async function requestHeaders(
  method: string,
  url: URL,
  body: string | undefined,
): Promise<Record<string, string>> {
  const headers: Record<string, string> =
    body === undefined ? {} : { 'content-type': 'application/json' };
  const accessKeyId = process.env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = process.env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) return headers;

  const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const signer = new SignatureV4({
    credentials: { accessKeyId, secretAccessKey },
    region,
    service: 'herald',
    sha256: Hash.bind(null, 'sha256'),
    applyChecksum: false,
  });
  const query = Object.fromEntries(url.searchParams.entries());
  const signed = await signer.sign(
    new HttpRequest({
      method,
      protocol: url.protocol,
      hostname: url.hostname,
      path: url.pathname,
      query,
      headers: { ...headers, host: url.host },
      body,
    }),
  );
  const { host: _host, ...sent } = signed.headers;
  return sent;
}
