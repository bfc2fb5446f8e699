import { DEFAULTS } from '../config/defaults.js';
import { buildApp } from '../api/app.js';
import { AccessKeyStore, type AccessKey } from '../api/auth/index.js';
import { createHerald, type Herald } from '../core/herald.js';
import type { HeraldOptions } from '../core/options.js';
import { silentLogger } from '../log/logger.js';

/** How to run Herald as a server: the embedded options plus where to listen. */
export interface ServerOptions extends HeraldOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Lets subscriptions deliver to loopback, link-local and private addresses. */
  allowPrivateEndpoints?: boolean;
  /** Requires SigV4-signed requests made with one of these keys (see docs: Access control). */
  auth?: { accessKeys: AccessKey[] };
}

/** A listening Herald. */
export interface RunningServer {
  herald: Herald;
  /** The base URL clients use, e.g. `http://127.0.0.1:4575`. */
  url: string;
  /**
   * Stops accepting requests, drains requests and deliveries for up to the drain timeout,
   * ends what still runs and closes the store.
   */
  close(): Promise<void>;
}

/** How often a closing server closes the connections that went idle. */
const SWEEP_MS = 50;
/** How long requests ended by Herald's close may take to answer before their sockets go. */
const ANSWER_GRACE_MS = 2_000;

/** Resolves after `ms`, without keeping the process alive. */
function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** Starts Herald's HTTP APIs (SNS query API and the admin API) over an embedded Herald. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const logger = options.logger ?? silentLogger();
  const host = options.host ?? DEFAULTS.host;
  const port = options.port ?? DEFAULTS.port;
  const publicUrl = options.publicUrl ?? `http://${host}:${port}`;
  if (options.auth && options.auth.accessKeys.length === 0) {
    throw new Error('authentication is on but no access keys are configured');
  }
  const herald = await createHerald({ ...options, logger, publicUrl });
  const auth = options.auth && {
    keys: new AccessKeyStore(options.auth.accessKeys, herald.partition.accountId),
  };

  const app = await buildApp(herald, {
    logger,
    maxMessageBytes: options.maxMessageBytes ?? DEFAULTS.maxMessageBytes,
    partition: herald.partition,
    ...(auth ? { auth } : {}),
  });
  try {
    await app.listen({ host, port });
  } catch (error) {
    await herald.close();
    throw error;
  }

  const address = app.server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${boundPort}`;
  if (options.publicUrl === undefined) herald.usePublicUrl(url);
  let closing: Promise<void> | undefined;

  return {
    herald,
    url,
    close() {
      closing ??= (async () => {
        // Requests in flight get the drain time to finish; then Herald ends what still
        // runs (a synchronous invoke included), which lets those requests answer.
        const deadline = Date.now() + DEFAULTS.drainTimeoutMs;
        const requestsDone = app.close();
        await Promise.race([requestsDone, delay(DEFAULTS.drainTimeoutMs)]);
        await herald.close(Math.max(0, deadline - Date.now()));

        // A connection whose request answered during the drain stays open (keep-alive) and
        // would hold the close: idle ones are closed as they go idle, the rest at the end.
        const sweep = setInterval(() => app.server.closeIdleConnections(), SWEEP_MS);
        await Promise.race([requestsDone, delay(ANSWER_GRACE_MS)]);
        clearInterval(sweep);
        app.server.closeAllConnections();
        await requestsDone;
      })();
      return closing;
    },
  };
}
