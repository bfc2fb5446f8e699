import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { exited, freePort } from './server-process.js';
import { tempDir } from './temp-dir.js';

/** The nats-server binary the throwaway servers run (Debian's `nats-server` package). */
const NATS_SERVER = process.env['HERALD_TEST_NATS_SERVER'] ?? '/usr/sbin/nats-server';

/** How long a throwaway server or cluster may take to answer and elect its leaders. */
const READY_TIMEOUT_MS = 60_000;

/** The NATS server the tests share: `$HERALD_TEST_NATS`, else the local service. */
export function natsUrl(): string {
  return process.env['HERALD_TEST_NATS'] ?? 'nats://127.0.0.1:4222';
}

/**
 * A fresh `--nats-prefix` for one test: `t-` and 10 random lowercase letters and digits, so
 * that tests sharing a NATS server never see each other's streams and buckets.
 */
export function uniquePrefix(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const suffix = Array.from(randomBytes(10), (byte) => alphabet[byte % alphabet.length]);
  return `t-${suffix.join('')}`;
}

/** Connects to `url` (servers separated by commas), runs `use`, and closes the connection. */
async function withConnection<T>(
  url: string,
  use: (connection: NatsConnection) => Promise<T>,
): Promise<T> {
  const connection = await connect({ servers: url.split(','), timeout: 5_000 });
  try {
    return await use(connection);
  } finally {
    await connection.close();
  }
}

/** Whether a stream is one of `prefix`'s, or backs one of its buckets or object stores. */
function ownedBy(prefix: string, stream: string): boolean {
  const starts = [`${prefix}-`, `KV_${prefix}-`, `OBJ_${prefix}-`];
  return stream === prefix || starts.some((start) => stream.startsWith(start));
}

/**
 * Deletes every stream of one Herald cluster: those named `<prefix>-…`, and the streams
 * behind its key-value and object store buckets (`KV_<prefix>-…`, `OBJ_<prefix>-…`).
 * Resolves with the names it deleted.
 */
export async function removePrefix(prefix: string, url = natsUrl()): Promise<string[]> {
  return withConnection(url, async (connection) => {
    const manager = await jetstreamManager(connection);
    const removed: string[] = [];
    for await (const name of manager.streams.names()) {
      if (!ownedBy(prefix, name)) continue;
      await manager.streams.delete(name);
      removed.push(name);
    }
    return removed;
  });
}

/**
 * Of a cluster started by {@link startNatsCluster}, the index of the server that leads the most
 * streams of `prefix` (Herald's streams and its buckets'), or undefined when it has none:
 * the server whose loss disturbs that Herald cluster most.
 */
export async function busiestLeader(prefix: string, urls: string[]): Promise<number | undefined> {
  return withConnection(urls.join(','), async (connection) => {
    const manager = await jetstreamManager(connection);
    const led = new Map<number, number>();
    for await (const info of manager.streams.list()) {
      if (!ownedBy(prefix, info.config.name)) continue;
      const match = /^node(\d+)$/.exec(info.cluster?.leader ?? '');
      if (match) led.set(Number(match[1]), (led.get(Number(match[1])) ?? 0) + 1);
    }
    const ranked = [...led].sort((a, b) => b[1] - a[1]);
    return ranked[0]?.[0];
  });
}

/** One nats-server child process, with what it logged. */
interface NatsProcess {
  child: ChildProcess;
  output(): string;
}

function spawnNatsServer(configFile: string): NatsProcess {
  const child = spawn(NATS_SERVER, ['-c', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.on('error', (error) => (output += `\nspawn failed: ${error.message}`));
  return { child, output: () => output };
}

/** The config of one throwaway server: loopback only, JetStream with small limits. */
function serverConfig(options: {
  name: string;
  port: number;
  storeDir: string;
  cluster?: { port: number; routes: string[] };
}): string {
  const lines = [
    `server_name: ${options.name}`,
    `listen: "127.0.0.1:${options.port}"`,
    'jetstream {',
    `  store_dir: ${JSON.stringify(options.storeDir)}`,
    '  max_memory_store: 256MB',
    '  max_file_store: 2GB',
    '}',
  ];
  if (options.cluster) {
    lines.push(
      'cluster {',
      '  name: herald-test',
      `  listen: "127.0.0.1:${options.cluster.port}"`,
      `  routes: [${options.cluster.routes.map((route) => JSON.stringify(route)).join(', ')}]`,
      '}',
    );
  }
  return `${lines.join('\n')}\n`;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Retries `attempt` every 250 ms until it resolves; after `timeoutMs`, throws its last error
 * with `describe()` (the servers' logs) appended.
 */
async function retryUntil<T>(
  attempt: () => Promise<T>,
  what: string,
  describe: () => string,
  timeoutMs = READY_TIMEOUT_MS,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(`${what} within ${timeoutMs / 1000} s: ${reason}\n${describe()}`);
      }
      await sleep(250);
    }
  }
}

/** Creates an R`replicas` stream through `manager` and deletes it again. */
async function probeStream(manager: JetStreamManager, replicas: number): Promise<void> {
  const name = `herald-probe-${randomBytes(4).toString('hex')}`;
  await manager.streams.add({ name, subjects: [`${name}.>`], num_replicas: replicas });
  await manager.streams.delete(name);
}

/** Kills every process of `servers` still running (SIGKILL) and waits until they exit. */
async function killAll(servers: NatsProcess[]): Promise<void> {
  for (const { child } of servers) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  await Promise.all(
    servers.filter(({ child }) => child.pid !== undefined).map(({ child }) => exited(child)),
  );
}

/** A group of throwaway nats-server processes and their temp folder. */
interface Started {
  servers: NatsProcess[];
  urls: string[];
  stop(): Promise<void>;
}

/**
 * In a fresh temp folder, writes the config files `build` returns (given that folder) and
 * spawns one server per config; the servers are killed when this process exits.
 */
function spawnAll(build: (dir: string) => Array<{ url: string; config: string }>): Started {
  const dir = tempDir('herald-nats-');
  const servers: NatsProcess[] = [];
  const urls: string[] = [];
  build(dir.path).forEach(({ url, config }, i) => {
    const file = join(dir.path, `node${i}.conf`);
    writeFileSync(file, config);
    servers.push(spawnNatsServer(file));
    urls.push(url);
  });
  const killOnExit = () => {
    for (const { child } of servers) if (child.exitCode === null) child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  let stopping: Promise<void> | undefined;
  return {
    servers,
    urls,
    stop() {
      stopping ??= (async () => {
        process.off('exit', killOnExit);
        await killAll(servers);
        dir.remove();
      })();
      return stopping;
    },
  };
}

function logsOf(servers: NatsProcess[]): string {
  return servers.map((server, i) => `--- nats-server node${i}:\n${server.output()}`).join('\n');
}

/** A throwaway nats-server with JetStream. */
export interface NatsServer {
  url: string;
  /** Kills the server and removes its store. */
  stop(): Promise<void>;
}

/**
 * Starts a single nats-server with JetStream on a free loopback port and a temp store, and
 * waits until JetStream answers.
 */
export async function startNatsServer(): Promise<NatsServer> {
  const port = await freePort();
  const started = spawnAll((dir) => [
    {
      url: `nats://127.0.0.1:${port}`,
      config: serverConfig({ name: 'node0', port, storeDir: join(dir, 'store0') }),
    },
  ]);
  const url = started.urls[0]!;
  try {
    await retryUntil(
      () => withConnection(url, async (c) => probeStream(await jetstreamManager(c), 1)),
      'nats-server did not offer JetStream',
      () => logsOf(started.servers),
    );
  } catch (error) {
    await started.stop();
    throw error;
  }
  return { url, stop: () => started.stop() };
}

/** A throwaway cluster of nats-servers with clustered JetStream. */
export interface NatsCluster {
  /** Each server's client URL, in server order. */
  urls: string[];
  /** Kills server `i` with SIGKILL and resolves once it has exited. */
  kill(i: number): Promise<void>;
  /** Kills every server and removes their stores. */
  stop(): Promise<void>;
  /** What each server logged so far, for failure messages. */
  logs(): string;
}

/**
 * Starts `size` nats-servers on loopback (free client and route ports, one temp store each)
 * routed into one cluster, `herald-test`, with JetStream, and waits until JetStream works
 * cluster-wide: through every server, a stream with `min(size, 3)` replicas can be created.
 */
export async function startNatsCluster(size = 3): Promise<NatsCluster> {
  const ports = await Promise.all(Array.from({ length: size }, () => freePort()));
  const clusterPorts = await Promise.all(Array.from({ length: size }, () => freePort()));
  const routes = clusterPorts.map((port) => `nats://127.0.0.1:${port}`);
  const started = spawnAll((dir) =>
    ports.map((port, i) => ({
      url: `nats://127.0.0.1:${port}`,
      config: serverConfig({
        name: `node${i}`,
        port,
        storeDir: join(dir, `store${i}`),
        cluster: { port: clusterPorts[i]!, routes: routes.filter((_, j) => j !== i) },
      }),
    })),
  );
  const logs = () => logsOf(started.servers);
  const replicas = Math.min(size, 3);
  try {
    for (const url of started.urls) {
      await retryUntil(
        () => withConnection(url, async (c) => probeStream(await jetstreamManager(c), replicas)),
        `the cluster did not accept an R${replicas} stream through ${url}`,
        logs,
      );
    }
  } catch (error) {
    await started.stop();
    throw error;
  }
  return {
    urls: started.urls,
    logs,
    async kill(i) {
      const server = started.servers[i];
      if (!server) throw new Error(`no server ${i} in a cluster of ${size}`);
      server.child.kill('SIGKILL');
      await exited(server.child);
    },
    stop: () => started.stop(),
  };
}
