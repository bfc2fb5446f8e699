import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipDirectory } from '../../src/functions/bundle.js';

/** Writes `index.mjs` with the given source into a fresh folder under `dir` and zips it. */
export function zipHandler(dir: string, name: string, source: string): Uint8Array {
  const folder = join(dir, `${name}-src`);
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'index.mjs'), source);
  return zipDirectory(folder);
}

/** Resolves once `check` holds, polling every 20 ms; rejects after `timeoutMs`. */
export async function waitFor(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for a condition');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * A handler that answers `{ echo: event }` and, for SNS events, appends the message to
 * $OUT_FILE.
 */
export const ECHO_HANDLER = `
import { appendFileSync } from 'node:fs';
export const handler = async (event, context) => {
  console.log('invoked', context.awsRequestId);
  if (event.Records) appendFileSync(process.env.OUT_FILE, event.Records[0].Sns.Message + '\\n');
  return { echo: event };
};
`;
