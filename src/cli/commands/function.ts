import { statSync } from 'node:fs';
import type { Command } from 'commander';
import type { FunctionDefinition } from '../../domain/function.js';
import { zipDirectory } from '../../functions/bundle.js';
import { CliError } from '../cli-error.js';
import { HeraldClient, type DeployRequest } from '../client.js';
import { printJson, printLine, printTable, time } from '../output.js';
import {
  collectKeyValue,
  integerAtLeast,
  withServerOptions,
  type ServerOptions,
} from '../options.js';

interface DeployOptions extends ServerOptions {
  code: string;
  handler: string;
  runtime?: string;
  timeout?: number;
  memory?: number;
  concurrency?: number;
  retries?: number;
  env?: Record<string, string>;
}

/** The deploy body from the command's options; unset settings are left to the server. */
function deployRequest(options: DeployOptions): DeployRequest {
  if (!statSync(options.code, { throwIfNoEntry: false })?.isDirectory()) {
    throw new CliError('InvalidCode', `--code ${options.code} is not a directory`);
  }
  const zip = zipDirectory(options.code);
  return {
    handler: options.handler,
    runtime: options.runtime,
    timeoutSeconds: options.timeout,
    memoryMb: options.memory,
    reservedConcurrency: options.concurrency,
    environment: options.env,
    maximumRetryAttempts: options.retries,
    zipBase64: Buffer.from(zip).toString('base64'),
  };
}

function describeFunction(fn: FunctionDefinition): string {
  return `${fn.name} (${fn.runtime}, ${fn.handler}, ${fn.codeSize} bytes, sha256 ${fn.codeSha256})`;
}

/** `herald function deploy|list|remove`: manage the functions subscriptions invoke. */
export function registerFunctionCommand(program: Command): void {
  const group = program.command('function').description('deploy and manage functions');

  withServerOptions(
    group
      .command('deploy <name>')
      .description('zip a directory and deploy it as a function (creates or replaces)')
      .requiredOption('--code <dir>', 'directory holding the code, zipped as it is')
      .requiredOption('--handler <file.export>', 'handler, e.g. index.handler')
      .option('--runtime <runtime>', 'runtime, e.g. nodejs20.x')
      .option('--timeout <seconds>', 'timeout of one invocation', integerAtLeast(1))
      .option('--memory <mb>', 'memory size in MB', integerAtLeast(1))
      .option('--concurrency <n>', 'reserved concurrency', integerAtLeast(0))
      .option('--retries <n>', 'retries after a failed invocation', integerAtLeast(0))
      .option('--env <KEY=VALUE>', 'environment variable (repeatable)', collectKeyValue),
  ).action(async (name: string, options: DeployOptions) => {
    const client = new HeraldClient(options.endpoint);
    const deployed = await client.deployFunction(name, deployRequest(options));

    if (options.json) printJson(deployed);
    else printLine(`Deployed ${describeFunction(deployed)}`);
  });

  withServerOptions(group.command('list').description('list deployed functions')).action(
    async (options: ServerOptions) => {
      const functions = await new HeraldClient(options.endpoint).listFunctions();

      if (options.json) {
        printJson(functions);
        return;
      }
      const rows = functions.map((fn) => ({
        NAME: fn.name,
        RUNTIME: fn.runtime,
        HANDLER: fn.handler,
        TIMEOUT: `${fn.timeoutSeconds}s`,
        MEMORY: `${fn.memoryMb}MB`,
        CONCURRENCY: fn.reservedConcurrency === undefined ? '-' : String(fn.reservedConcurrency),
        // An event-invoke config (PutFunctionEventInvokeConfig) overrides the function's own.
        RETRIES: String(fn.eventInvokeConfig?.maximumRetryAttempts ?? fn.maximumRetryAttempts),
        MODIFIED: time(fn.lastModified),
      }));
      printTable(rows, 'No functions.');
    },
  );

  withServerOptions(group.command('remove <name>').description('remove a function')).action(
    async (name: string, options: ServerOptions) => {
      await new HeraldClient(options.endpoint).removeFunction(name);

      if (options.json) printJson({ removed: name });
      else printLine(`Removed function ${name}`);
    },
  );
}
