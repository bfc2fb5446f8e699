import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { describeError } from './cli-error.js';
import { registerDlqCommand } from './commands/dlq.js';
import { registerFilterCommand } from './commands/filter.js';
import { registerFunctionCommand } from './commands/function.js';
import { registerQueueCommand } from './commands/queue.js';
import { registerServeCommand } from './commands/serve.js';

/** Herald's version, from its package.json. */
function version(): string {
  const manifest = new URL('../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

/** The `herald` program with every subcommand registered. */
export function createProgram(): Command {
  const program = new Command('herald')
    .description('Self-hosted SNS + Lambda: topics, filter policies, functions and queues')
    .version(version())
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      outputError: (text, write) => write(`herald: UsageError: ${text.replace(/^error: /, '')}`),
    });

  registerServeCommand(program);
  registerFilterCommand(program);
  registerFunctionCommand(program);
  registerQueueCommand(program);
  registerDlqCommand(program);
  return program;
}

// A reader that stops early (`herald function list | head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

try {
  await createProgram().parseAsync(process.argv);
} catch (error) {
  process.stderr.write(`${describeError(error)}\n`);
  process.exitCode = 1;
}
