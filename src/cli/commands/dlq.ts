import type { Command } from 'commander';
import { HeraldClient } from '../client.js';
import { cell, printJson, printLine, printTable, time } from '../output.js';
import { integerAtLeast, withServerOptions, type ServerOptions } from '../options.js';

interface ListOptions extends ServerOptions {
  queue?: string;
  max?: number;
}

interface RedriveOptions extends ServerOptions {
  max?: number;
}

/** `herald dlq list|redrive`: inspect dead letters and deliver them again. */
export function registerDlqCommand(program: Command): void {
  const group = program.command('dlq').description('inspect and redrive dead letters');

  withServerOptions(
    group
      .command('list')
      .description('list dead letters (of every dead-letter queue unless --queue)')
      .option('--queue <name>', 'only this dead-letter queue')
      .option('--max <n>', 'most dead letters to list', integerAtLeast(1)),
  ).action(async (options: ListOptions) => {
    const client = new HeraldClient(options.endpoint);
    const deadLetters = await client.listDeadLetters(options.queue, options.max);

    if (options.json) printJson(deadLetters);
    else {
      const rows = deadLetters.map((d) => ({
        ID: String(d.id),
        QUEUE: d.queueName,
        SENT: time(d.sentAt),
        SUBSCRIPTION: d.subscriptionArn ?? '-',
        ERROR: cell(d.errorMessage ?? '-'),
        BODY: cell(d.body),
      }));
      printTable(rows, 'No dead letters.');
    }
  });

  withServerOptions(
    group
      .command('redrive <queue>')
      .description('deliver a queue’s dead letters again to their subscriptions')
      .option('--max <n>', 'most dead letters to redrive', integerAtLeast(1)),
  ).action(async (queue: string, options: RedriveOptions) => {
    const redriven = await new HeraldClient(options.endpoint).redriveDeadLetters(
      queue,
      options.max,
    );

    if (options.json) printJson({ redriven });
    else printLine(`Redrove ${redriven} dead letter${redriven === 1 ? '' : 's'} from ${queue}`);
  });
}
