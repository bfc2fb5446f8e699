import { resolve } from 'node:path';
import type { Command } from 'commander';
import { DEFAULTS } from '../../config/defaults.js';
import type { HeraldConfig } from '../../config/config-file.js';
import type { Logger } from '../../log/logger.js';
import { CONFIG_KEYS, FLAGS, storeOf, type StoreFlags } from './serve-store.js';

interface ServeFlags extends StoreFlags {
  host?: string;
  port?: string;
  dataDir?: string;
  config?: string;
  logLevel?: string;
  allowPrivateEndpoints?: boolean;
  publicUrl?: string;
  caFile?: string;
  signingKeyFile?: string;
  signingCertFile?: string;
  auth?: boolean;
  accessKey?: string[];
}

/** Adds `herald serve`: runs a server until SIGTERM or SIGINT, then drains and exits. */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('run a Herald server: embedded store, or a node of a cluster on NATS')
    .option('--host <host>', `address to listen on (default ${DEFAULTS.host})`)
    .option('--port <port>', `port to listen on (default ${DEFAULTS.port})`)
    .option(
      '--data-dir <dir>',
      `where the database and function code live (default ${DEFAULTS.dataDir})`,
    )
    .option(
      '--store <url>',
      "'sqlite' (embedded, the default) or nats://host:port[,host:port...] (a cluster node)",
    )
    .option(
      '--replicas <n>',
      `NATS store: copies of each stream, 1-5 (default ${DEFAULTS.natsReplicas})`,
    )
    .option(
      '--nats-prefix <prefix>',
      `NATS store: names this cluster's streams and buckets (default ${DEFAULTS.natsPrefix})`,
    )
    .option(
      '--ack-wait <ms>',
      'NATS store: how long a delivery may stay unacked before another node takes it ' +
        `(default ${DEFAULTS.natsAckWaitMs})`,
    )
    .option('--config <file>', 'JSON config: settings plus queues, functions and topics to create')
    .option(
      '--log-level <level>',
      `fatal, error, warn, info, debug, trace (default ${DEFAULTS.logLevel})`,
    )
    .option('--allow-private-endpoints', 'allow deliveries to loopback and private addresses')
    .option(
      '--public-url <url>',
      'base URL subscribers reach this server at, for SubscribeURL and SigningCertURL ' +
        '(default: the listening address)',
    )
    .option('--ca-file <file>', 'PEM CA certificates to trust for https endpoints')
    .option('--signing-key-file <file>', 'PEM key to sign SNS messages with (default: generated)')
    .option('--signing-cert-file <file>', 'PEM certificate of --signing-key-file')
    .option('--auth', 'require AWS SigV4-signed requests made with a configured access key')
    .option(
      '--access-key <id:secret>',
      'an access key clients may sign with (repeatable; implies --auth)',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .action(async (flags: ServeFlags) => serve(flags));
}

/** Loads the server's modules only when serving, so that other commands start fast. */
async function serve(flags: ServeFlags): Promise<void> {
  const { applyConfig } = await import('../../config/apply-config.js');
  const { accessKeysOf } = await import('./serve-auth.js');
  const { loadConfigFile } = await import('../../config/config-file.js');
  const { createLogger } = await import('../../log/logger.js');
  const { startServer } = await import('../../server/start.js');

  const config: Partial<HeraldConfig> = flags.config ? loadConfigFile(flags.config) : {};
  const logLevel = flags.logLevel === undefined ? undefined : parseLogLevel(flags.logLevel);
  const logger = createLogger(logLevel ?? config.logLevel ?? DEFAULTS.logLevel);
  const port = flags.port === undefined ? (config.port ?? DEFAULTS.port) : parsePort(flags.port);
  const dataDir = resolve(flags.dataDir ?? config.dataDir ?? DEFAULTS.dataDir);
  const host = flags.host ?? config.host ?? DEFAULTS.host;
  const store = storeOf(
    {
      store: flags.store ?? config.store,
      replicas: flags.replicas ?? config.replicas?.toString(),
      natsPrefix: flags.natsPrefix ?? config.natsPrefix,
      ackWait: flags.ackWait ?? config.ackWaitMs?.toString(),
    },
    (setting) => (flags[setting] === undefined ? CONFIG_KEYS[setting] : FLAGS[setting]),
  );

  const {
    queues: _q,
    functions: _f,
    topics: _t,
    logLevel: _l,
    store: _s,
    replicas: _r,
    natsPrefix: _p,
    ackWaitMs: _w,
    auth: _a,
    accessKeys: _k,
    accessKeysFile: _kf,
    ...settings
  } = config;
  const accessKeys = accessKeysOf(flags, config);
  const server = await startServer({
    ...settings,
    ...httpFilesOf(flags),
    ...(accessKeys ? { auth: { accessKeys } } : {}),
    dataDir,
    ...(store ? { store } : {}),
    host,
    port,
    logger,
    allowPrivateEndpoints: flags.allowPrivateEndpoints ?? config.allowPrivateEndpoints ?? false,
    ...publicUrlOf(flags.publicUrl ?? config.publicUrl),
  });
  const stop = stopOnSignals(server, logger);

  if (flags.config) {
    try {
      await applyConfig(server.herald, config as HeraldConfig, logger);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      logger.error(`cannot apply the config file, stopping: ${reason}`);
      await stop(1);
      return;
    }
  }

  logger.info(
    { url: server.url, dataDir, store: store ? store.servers.join(',') : 'sqlite' },
    'Herald is listening',
  );
  if (flags.publicUrl === undefined && config.publicUrl === undefined && isWildcard(host)) {
    logger.warn(
      `listening on all interfaces: pass --public-url so that HTTP(S) subscribers can reach ` +
        `SubscribeURL and SigningCertURL (they now point at ${server.url})`,
    );
  }
  if (accessKeys) {
    logger.info({ keys: accessKeys.length }, 'authentication is on: requests must be SigV4-signed');
  } else {
    logger.warn('authentication is off: any AWS credentials are accepted, as local emulators do');
  }
}

/**
 * Drains and exits on SIGTERM or SIGINT (a second signal exits at once). Returns the same
 * stop, for a start that fails after the server is up.
 */
function stopOnSignals(
  server: { close(): Promise<void> },
  logger: Logger,
): (exitCode: number) => Promise<void> {
  let stopping = false;
  const stop = async (exitCode: number, signal?: string): Promise<void> => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting without draining');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'draining in-flight deliveries');
    try {
      await server.close();
      logger.info('stopped cleanly');
      process.exit(exitCode);
    } catch (error) {
      logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void stop(0, 'SIGTERM'));
  process.on('SIGINT', () => void stop(0, 'SIGINT'));
  return (exitCode) => stop(exitCode);
}

function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '[::]';
}

/** The public URL option, without a trailing slash, when one is given. */
function publicUrlOf(url: string | undefined): { publicUrl?: string } {
  if (url === undefined) return {};
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(
      `--public-url must be an absolute URL such as https://herald.example.com, got '${url}'`,
    );
  }
  return { publicUrl: parsed.href.replace(/\/$/, '') };
}

/** The HTTP(S) delivery files named on the command line, as absolute paths. */
function httpFilesOf(flags: ServeFlags) {
  return {
    ...(flags.caFile === undefined ? {} : { caFile: resolve(flags.caFile) }),
    ...(flags.signingKeyFile === undefined
      ? {}
      : { signingKeyFile: resolve(flags.signingKeyFile) }),
    ...(flags.signingCertFile === undefined
      ? {}
      : { signingCertFile: resolve(flags.signingCertFile) }),
  };
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** `--log-level`: one of the logger's levels; anything else is a usage error listing them. */
function parseLogLevel(text: string): (typeof LOG_LEVELS)[number] {
  const level = LOG_LEVELS.find((each) => each === text);
  if (level === undefined) {
    throw new Error(`--log-level must be one of ${LOG_LEVELS.join(', ')}; got '${text}'`);
  }
  return level;
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port must be a number from 0 to 65535, got '${text}'`);
  }
  return port;
}
