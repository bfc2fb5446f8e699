import { join } from 'node:path';
import { startServer, type RunningServer, type ServerOptions } from '../../src/server/start.js';
import { tempDir } from './temp-dir.js';

/** A real Herald server on a free loopback port, in a fresh temp dir. */
export interface TestServer {
  server: RunningServer;
  /** The temp dir; the server's data dir unless `dataSubdir` was given. */
  dir: string;
  /** Closes the server and removes the temp dir. */
  close(): Promise<void>;
}

/**
 * Starts a server in a new temp dir named with `prefix`, on 127.0.0.1 and a free port unless
 * `options` say otherwise. With `dataSubdir`, the data dir is that folder of the temp dir.
 */
export async function startTestServer(
  prefix: string,
  options: Omit<ServerOptions, 'dataDir'> & { dataSubdir?: string } = {},
): Promise<TestServer> {
  const { dataSubdir, ...serverOptions } = options;
  const dir = tempDir(prefix);
  try {
    const dataDir = dataSubdir === undefined ? dir.path : join(dir.path, dataSubdir);
    const server = await startServer({ host: '127.0.0.1', port: 0, ...serverOptions, dataDir });
    return {
      server,
      dir: dir.path,
      async close() {
        await server.close();
        dir.remove();
      },
    };
  } catch (error) {
    dir.remove();
    throw error;
  }
}
