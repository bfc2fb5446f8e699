import { resolve } from 'node:path';
import type { Command } from 'commander';
import { DEFAULTS } from '../../config/defaults.js';
import type { HeraldConfig } from '../../config/config-file.js';
import type { Logger } from '../../log/logger.js';

interface ServeFlags {
  host?: string;
  port?: string;
  dataDir?: string;
  config?: string;
  logLevel?: string;
  allowPrivateEndpoints?: boolean;
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
    .description('run a Herald server with the embedded store')
    .option('--host <host>', `address to listen on (default ${DEFAULTS.host})`)
    .option('--port <port>', `port to listen on (default ${DEFAULTS.port})`)
    .option(
      '--data-dir <dir>',
      `where the database and function code live (default ${DEFAULTS.dataDir})`,
    )
    .option('--config <file>', 'JSON config: settings plus queues, functions and topics to create')
    .option(
      '--log-level <level>',
      `fatal, error, warn, info, debug, trace (default ${DEFAULTS.logLevel})`,
    )
    .option('--allow-private-endpoints', 'allow deliveries to loopback and private addresses')
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

  const {
    queues: _q,
    functions: _f,
    topics: _t,
    logLevel: _l,
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
    host: flags.host ?? config.host ?? DEFAULTS.host,
    port,
    logger,
    allowPrivateEndpoints: flags.allowPrivateEndpoints ?? config.allowPrivateEndpoints ?? false,
  });
  const stop = stopOnSignals(server, logger);

  if (flags.config) {
    try {
      await applyConfig(server.herald, config as HeraldConfig, logger);
    } catch (error) {
      logger.error({ err: error }, 'cannot apply the config file: stopping');
      await stop(1);
      return;
    }
  }

  logger.info({ url: server.url, dataDir }, 'Herald is listening');
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
