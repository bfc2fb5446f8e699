import type { Command } from 'commander';
import type { RedriveResult } from '../../core/api.js';
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
    const { deadLetters, total } = await client.listDeadLetters(options.queue, options.max);

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
      if (total > rows.length) {
        printLine(`Showing ${rows.length} of ${total} dead letters: use --max to list more`);
      }
    }
  });

  withServerOptions(
    group
      .command('redrive <queue>')
      .description('deliver a queue’s dead letters again to their subscriptions')
      .option('--max <n>', 'most dead letters to redrive', integerAtLeast(1)),
  ).action(async (queue: string, options: RedriveOptions) => {
    const result = await new HeraldClient(options.endpoint).redriveDeadLetters(queue, options.max);

    if (options.json) printJson(result);
    else printLine(redriveSummary(queue, result));
  });
}

/** "Redrove 1000 dead letters; 200 remain in QUEUE", or "... from QUEUE" when none remain. */
function redriveSummary(queue: string, { redriven, remaining }: RedriveResult): string {
  const redrove = `Redrove ${redriven} dead letter${redriven === 1 ? '' : 's'}`;
  if (remaining === 0) return `${redrove} from ${queue}`;
  return (
    `${redrove}; ${remaining} remain${remaining === 1 ? 's' : ''} in ${queue} ` +
    '(beyond --max, or their subscription no longer exists: `herald dlq list` shows where ' +
    'each came from)'
  );
}
