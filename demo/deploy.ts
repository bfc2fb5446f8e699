import type { FunctionDefinition } from '../src/domain/function.js';
import type { HeraldApi } from '../src/core/api.js';
import { zipDirectory } from '../src/functions/bundle.js';

/** Retries after a failed invocation; a failing order is tried 1 + this many times. */
export const DEMO_MAXIMUM_RETRY_ATTEMPTS = 2;

/** Deploys the example function in `examples/<name>/`, exported as `index.handler`. */
export async function deployExample(
  herald: HeraldApi,
  name: string,
  examplesDir: string,
): Promise<FunctionDefinition> {
  return herald.deployFunction({
    name,
    handler: 'index.handler',
    zip: zipDirectory(`${examplesDir}${name}`),
    timeoutSeconds: 5,
    maximumRetryAttempts: DEMO_MAXIMUM_RETRY_ATTEMPTS,
  });
}
