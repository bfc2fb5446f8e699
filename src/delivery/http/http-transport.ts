import { Agent, request } from 'undici';
import { checkLiteralHost, PrivateEndpointError, publicOnlyLookup } from './endpoint-guard.js';

/** How Herald talks to HTTP(S) endpoints. */
export interface HttpTransportOptions {
  /** Lets deliveries reach loopback, link-local and private addresses. */
  allowPrivateEndpoints: boolean;
  /** Extra PEM CA certificates to trust for https endpoints (a private CA). */
  ca?: string;
  /** How long one request may take, connect to last byte, ms (SNS: 15 s). */
  timeoutMs: number;
  /** Most open connections to one origin. */
  connectionsPerOrigin: number;
}

/** What became of one POST. */
export type PostResult =
  { ok: true; status: number } | { ok: false; error: string; retryable: boolean };

/** How long an idle keep-alive connection stays open, ms. */
const KEEP_ALIVE_MS = 30_000;

/**
 * POSTs to HTTP(S) endpoints over pooled keep-alive connections (one pool per origin,
 * bounded), with a per-request timeout, and refuses non-public addresses unless allowed.
 * Judges responses as SNS does: 2xx delivered; 5xx, other codes outside 200-499, timeouts
 * and connection errors retried; 4xx not retried, except 429.
 */
export class HttpTransport {
  private readonly agent: Agent;

  constructor(private readonly options: HttpTransportOptions) {
    this.agent = new Agent({
      connections: options.connectionsPerOrigin,
      keepAliveTimeout: KEEP_ALIVE_MS,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      connect: {
        timeout: options.timeoutMs,
        ...(options.ca === undefined ? {} : { ca: options.ca }),
        ...(options.allowPrivateEndpoints ? {} : { lookup: publicOnlyLookup }),
      },
    });
  }

  /** POSTs `body` to `url`; never rejects. */
  async post(url: URL, headers: Record<string, string>, body: string): Promise<PostResult> {
    try {
      if (!this.options.allowPrivateEndpoints) checkLiteralHost(url);
      const response = await request(url, {
        method: 'POST',
        headers,
        body,
        dispatcher: this.agent,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      await response.body.dump();
      return judgeStatus(response.statusCode, url);
    } catch (error) {
      return this.judgeError(error, url);
    }
  }

  /** Closes the pooled connections. */
  close(): Promise<void> {
    return this.agent.close();
  }

  private judgeError(error: unknown, url: URL): PostResult {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
    if (cause instanceof PrivateEndpointError) {
      return { ok: false, error: cause.message, retryable: false };
    }
    if (error instanceof Error && error.name === 'TimeoutError') {
      const seconds = this.options.timeoutMs / 1000;
      return {
        ok: false,
        error: `${url.origin} did not answer within ${seconds} s`,
        retryable: true,
      };
    }
    const reason = error instanceof Error ? describe(error) : String(error);
    return { ok: false, error: `POST to ${url.origin} failed: ${reason}`, retryable: true };
  }
}

/** SNS's reading of a response status. */
function judgeStatus(status: number, url: URL): PostResult {
  if (status >= 200 && status < 300) return { ok: true, status };
  const error = `${url.origin} answered HTTP ${status}`;
  if (status === 429 || status >= 500 || status < 200) return { ok: false, error, retryable: true };
  return { ok: false, error: `${error} (a client error: not retried)`, retryable: false };
}

/** An error's message with its code, e.g. `connect ECONNREFUSED 127.0.0.1:9 (ECONNREFUSED)`. */
function describe(error: Error): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && !error.message.includes(code)
    ? `${error.message} (${code})`
    : error.message;
}
