import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/app.js';
import { DEFAULTS } from '../../src/config/defaults.js';
import { createHerald, type Herald, type HeraldOptions } from '../../src/core/herald.js';
import { silentLogger } from '../../src/log/logger.js';
import { loadSigningIdentity } from '../../src/signing/signing-identity.js';
import { tempDir } from './temp-dir.js';

/** A real Herald in a fresh data directory, behind the real HTTP app (reach it by `inject`). */
export interface HeraldApp {
  herald: Herald;
  app: FastifyInstance;
  /** Closes the app and the Herald (if not closed already) and removes the data directory. */
  close(): Promise<void>;
}

/** Signing key files, in the shape of {@link HeraldOptions}. */
type SigningKeyFiles = Required<Pick<HeraldOptions, 'signingKeyFile' | 'signingCertFile'>>;

let signingKeyFiles: Promise<SigningKeyFiles> | undefined;

/**
 * One signing key for every Herald a test file opens: generating an RSA key is most of the
 * cost of a start. The key's folder is removed when the test process exits.
 */
function sharedSigningKeyFiles(): Promise<SigningKeyFiles> {
  signingKeyFiles ??= (async () => {
    const dir = tempDir('herald-signing-');
    process.once('exit', () => dir.remove());
    await loadSigningIdentity({ dataDir: dir.path });
    return {
      signingKeyFile: join(dir.path, 'signing', 'private-key.pem'),
      signingCertFile: join(dir.path, 'signing', 'certificate.pem'),
    };
  })();
  return signingKeyFiles;
}

/** Opens a real Herald with `options` in a new temp dir and builds the HTTP app over it. */
export async function openHeraldApp(
  options: Omit<HeraldOptions, 'dataDir'> = {},
): Promise<HeraldApp> {
  const dir = tempDir();
  const herald = await createHerald({
    ...(await sharedSigningKeyFiles()),
    ...options,
    dataDir: dir.path,
  });
  const app = await buildApp(herald, {
    logger: silentLogger(),
    maxMessageBytes: options.maxMessageBytes ?? DEFAULTS.maxMessageBytes,
    partition: herald.partition,
  });
  return {
    herald,
    app,
    async close() {
      await app.close();
      await herald.close(0);
      dir.remove();
    },
  };
}
