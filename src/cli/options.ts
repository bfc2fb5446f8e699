import { type Command, InvalidArgumentError } from 'commander';
import { DEFAULTS } from '../config/defaults.js';

/** The options of every command that talks to a server. */
export interface ServerOptions {
  endpoint: string;
  json: boolean;
}

/** The server a command talks to unless `--endpoint` says otherwise. */
export function defaultEndpoint(): string {
  return process.env.HERALD_ENDPOINT ?? `http://${DEFAULTS.host}:${DEFAULTS.port}`;
}

/** Adds `--endpoint URL` and `--json` to a command that talks to a server. */
export function withServerOptions(command: Command): Command {
  return command
    .option('--endpoint <url>', 'Herald server URL (env HERALD_ENDPOINT)', defaultEndpoint())
    .option('--json', 'print machine-readable JSON', false);
}

/** A commander parser for integers of at least `min`. */
export function integerAtLeast(min: number): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(number) || number < min) {
      throw new InvalidArgumentError(`expected an integer of at least ${min}`);
    }
    return number;
  };
}

/** A commander collector for repeated `KEY=VALUE` options. */
export function collectKeyValue(
  value: string,
  previous: Record<string, string> = {},
): Record<string, string> {
  const separator = value.indexOf('=');
  if (separator <= 0) throw new InvalidArgumentError('expected KEY=VALUE');
  return { ...previous, [value.slice(0, separator)]: value.slice(separator + 1) };
}
