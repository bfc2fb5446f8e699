import type { NatsStoreSettings } from '../../core/options.js';
import { NATS_PREFIX } from '../../store/nats/connection.js';

/** The store flags of `herald serve`. */
export interface StoreFlags {
  store?: string;
  replicas?: string;
  natsPrefix?: string;
  ackWait?: string;
}

/** Each store setting as a flag names it. */
export const FLAGS: Record<keyof StoreFlags, string> = {
  store: '--store',
  replicas: '--replicas',
  natsPrefix: '--nats-prefix',
  ackWait: '--ack-wait',
};

/** Each store setting as the config file names it. */
export const CONFIG_KEYS: Record<keyof StoreFlags, string> = {
  store: '"store" in the config file',
  replicas: '"replicas" in the config file',
  natsPrefix: '"natsPrefix" in the config file',
  ackWait: '"ackWaitMs" in the config file',
};

/**
 * The shared store the settings name, or undefined for the embedded one. `store` takes
 * `sqlite` or `nats://host:port[,host2:port,...]`; the others apply to NATS only. Errors
 * name each setting as `nameOf` says (the flag, or the config file's key it came from).
 */
export function storeOf(
  flags: StoreFlags,
  nameOf: (setting: keyof StoreFlags) => string = (setting) => FLAGS[setting],
): NatsStoreSettings | undefined {
  const url = flags.store ?? 'sqlite';
  if (url === 'sqlite') {
    const given = (['replicas', 'natsPrefix', 'ackWait'] as const).filter(
      (setting) => flags[setting] !== undefined,
    );
    if (given.length > 0) {
      const names = given.map(nameOf).join(', ');
      throw new Error(`${names}: only for the NATS store; set --store nats://... or drop it`);
    }
    return undefined;
  }
  if (!url.startsWith('nats://')) {
    throw new Error(
      `${nameOf('store')} must be 'sqlite' or nats://host:port[,host:port...], got '${url}'`,
    );
  }
  const servers = url
    .slice('nats://'.length)
    .split(',')
    .map((server) => server.trim().replace(/^nats:\/\//, ''))
    .filter((server) => server !== '')
    .map((server) => `nats://${server}`);
  if (servers.length === 0) throw new Error(`${nameOf('store')} names no NATS server: '${url}'`);
  for (const server of servers) checkServer(nameOf('store'), server);

  const settings: NatsStoreSettings = { kind: 'nats', servers };
  if (flags.replicas !== undefined) {
    settings.replicas = integer(nameOf('replicas'), flags.replicas, 1, 5);
  }
  if (flags.natsPrefix !== undefined) {
    if (!NATS_PREFIX.test(flags.natsPrefix)) {
      throw new Error(
        `${nameOf('natsPrefix')} must be 1-32 lowercase letters, digits or dashes, starting ` +
          `with a letter or digit, got '${flags.natsPrefix}'`,
      );
    }
    settings.prefix = flags.natsPrefix;
  }
  if (flags.ackWait !== undefined) {
    settings.ackWaitMs = integer(nameOf('ackWait'), flags.ackWait, 100, 12 * 3600 * 1000);
  }
  return settings;
}

/** A NATS server URL: `nats://host[:port]`, the port a number when given. */
function checkServer(name: string, server: string): void {
  let url: URL | undefined;
  try {
    url = new URL(server);
  } catch {
    url = undefined;
  }
  if (!url || url.hostname === '' || url.pathname.replace(/^\/$/, '') !== '') {
    throw new Error(`${name}: '${server}' is not a NATS server URL (nats://host:port)`);
  }
}

function integer(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${flag} must be a whole number from ${min} to ${max}, got '${text}'`);
  }
  return value;
}
