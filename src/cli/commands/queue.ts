import type { Command } from 'commander';
import { HeraldClient } from '../client.js';
import { cell, printJson, printLine, printTable, time } from '../output.js';
import { integerAtLeast, withServerOptions, type ServerOptions } from '../options.js';

interface ReceiveOptions extends ServerOptions {
  max: number;
}

/** `herald queue create|list|receive|purge|delete`: the built-in durable queues. */
export function registerQueueCommand(program: Command): void {
  const group = program.command('queue').description('manage built-in queues');

  withServerOptions(group.command('create <name>').description('create a queue')).action(
    async (name: string, options: ServerOptions) => {
      const queue = await new HeraldClient(options.endpoint).createQueue(name);

      if (options.json) printJson(queue);
      else printLine(`Created queue ${queue.name} (${queue.arn})`);
    },
  );

  withServerOptions(group.command('list').description('list queues and their depth')).action(
    async (options: ServerOptions) => {
      const queues = await new HeraldClient(options.endpoint).listQueues();

      if (options.json) printJson(queues);
      else {
        const rows = queues.map((q) => ({
          NAME: q.name,
          ARN: q.arn,
          DEPTH: String(q.depth),
          CREATED: time(q.createdAt),
        }));
        printTable(rows, 'No queues.');
      }
    },
  );

  withServerOptions(
    group
      .command('receive <name>')
      .description('take messages off a queue (they are removed)')
      .option('--max <n>', 'most messages to take', integerAtLeast(1), 10),
  ).action(async (name: string, options: ReceiveOptions) => {
    const messages = await new HeraldClient(options.endpoint).receiveMessages(name, options.max);

    if (options.json) printJson(messages);
    else {
      const rows = messages.map((m) => ({
        ID: String(m.id),
        RECEIVES: String(m.receiveCount),
        SENT: time(m.sentAt),
        BODY: cell(m.body),
      }));
      printTable(rows, `No messages in ${name}.`);
    }
  });

  withServerOptions(group.command('purge <name>').description('drop every message')).action(
    async (name: string, options: ServerOptions) => {
      const purged = await new HeraldClient(options.endpoint).purgeQueue(name);

      if (options.json) printJson({ purged });
      else printLine(`Purged ${purged} message${purged === 1 ? '' : 's'} from ${name}`);
    },
  );

  withServerOptions(group.command('delete <name>').description('delete a queue')).action(
    async (name: string, options: ServerOptions) => {
      await new HeraldClient(options.endpoint).deleteQueue(name);

      if (options.json) printJson({ deleted: name });
      else printLine(`Deleted queue ${name}`);
    },
  );
}
