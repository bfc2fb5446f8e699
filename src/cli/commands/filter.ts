import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import {
  EXIT_INVALID,
  EXIT_MATCH,
  EXIT_NO_MATCH,
  runFilterTest,
  runNdjson,
} from '../../filter/tool.js';
import type { FilterScope } from '../../filter/types.js';

/** Options of `herald filter test`. */
interface FilterTestOptions {
  policy?: string;
  attributes?: string;
  message?: string;
  scope: FilterScope;
  ndjson?: boolean;
}

const HELP_AFTER = `
Exit codes: ${EXIT_MATCH} the message matches, ${EXIT_NO_MATCH} it does not match,
${EXIT_INVALID} the policy is invalid (SNS would reject it) or the command was misused.

With --ndjson, each stdin line is one case:
  {"scope":"MessageAttributes"|"MessageBody","policy":{...}|"<raw text>",
   "attributes":{"Name":{"Type":"String","Value":"..."}},"message":"<raw body>"}
and each stdout line is its result, in order: {"match":true|false}, or
{"error":"InvalidParameter","message":"..."} for an invalid policy, or
{"error":"InvalidInput","message":"..."} for a line that is not a readable case.`;

function usageError(message: string): void {
  process.stderr.write(`herald filter test: ${message}\n`);
  process.exitCode = EXIT_INVALID;
}

function readText(path: string): string {
  return readFileSync(path, 'utf8');
}

async function filterTest(options: FilterTestOptions): Promise<void> {
  if (options.ndjson) {
    await runNdjson(process.stdin, process.stdout);
    return;
  }
  if (options.policy === undefined) return usageError('--policy is required (or use --ndjson)');
  if (options.attributes === undefined && options.message === undefined) {
    return usageError('give the message as --attributes A.json or --message M.txt');
  }

  let texts: { policyText: string; attributesText?: string; messageText?: string };
  try {
    texts = {
      policyText: readText(options.policy),
      attributesText: options.attributes === undefined ? undefined : readText(options.attributes),
      messageText: options.message === undefined ? undefined : readText(options.message),
    };
  } catch (error) {
    return usageError((error as Error).message);
  }
  const result = runFilterTest({ ...texts, scope: options.scope });
  process.stdout.write(`${result.output}\n`);
  process.exitCode = result.exitCode;
}

/** Adds `herald filter test` (match a message against a filter policy) to the program. */
export function registerFilterCommand(program: Command): void {
  const filter = program
    .command('filter')
    .description('Work with SNS subscription filter policies');
  filter
    .command('test')
    .description('Test whether a message matches a filter policy, as SNS would decide')
    .option('--policy <file>', 'the FilterPolicy JSON')
    .option(
      '--attributes <file>',
      'message attributes JSON: {"Name":{"Type":"String","Value":"v"}}',
    )
    .option('--message <file>', 'the message body, as published')
    .addOption(
      new Option('--scope <scope>', 'the FilterPolicyScope')
        .choices(['MessageAttributes', 'MessageBody'])
        .default('MessageAttributes'),
    )
    .option('--ndjson', 'read cases from stdin, one JSON per line; write one result per line')
    .addHelpText('after', HELP_AFTER)
    .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : EXIT_INVALID))
    .action(filterTest);
}
