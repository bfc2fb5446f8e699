import { fileURLToPath } from 'node:url';
import type { Herald } from '../../src/core/herald.js';
import { zipDirectory } from '../../src/functions/bundle.js';

/** The folder of a fixture handler in test/fixtures/handlers. */
export function fixtureHandler(name: string): string {
  return fileURLToPath(new URL(`../fixtures/handlers/${name}`, import.meta.url));
}

/** Deploys a fixture handler as a function and returns its ARN. */
export async function deployFixture(
  herald: Herald,
  name: string,
  fixture: string,
  options: { timeoutSeconds?: number; environment?: Record<string, string>; handler?: string } = {},
): Promise<string> {
  const definition = await herald.deployFunction({
    name,
    handler: options.handler ?? 'index.handler',
    zip: zipDirectory(fixtureHandler(fixture)),
    ...(options.timeoutSeconds === undefined ? {} : { timeoutSeconds: options.timeoutSeconds }),
    ...(options.environment === undefined ? {} : { environment: options.environment }),
  });
  return definition.arn;
}
