/** A failure the CLI reports as `herald: <code>: <message>` before exiting with status 1. */
export class CliError extends Error {
  override readonly name = 'CliError';
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

/** Refusals of a server that requires signed requests. */
const SIGNING_CODES = new Set([
  'MissingAuthenticationToken',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
]);

const SIGNING_HINT =
  ' (this server requires signed requests: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY' +
  ' to one of its access keys)';

/** The one-line report of any error, in the CLI's `herald: <code>: <message>` form. */
export function describeError(error: unknown): string {
  if (error instanceof CliError) return `herald: ${error.code}: ${error.message}`;
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const label = typeof code === 'string' ? code : error.name;
    const message = error.message.startsWith(`${label}: `)
      ? error.message.slice(label.length + 2)
      : error.message;
    return `herald: ${label}: ${message}${SIGNING_CODES.has(label) ? SIGNING_HINT : ''}`;
  }
  return `herald: Error: ${String(error)}`;
}
