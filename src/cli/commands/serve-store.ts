import type { NatsStoreSettings } from '../../core/options.js';

/** The store flags of `herald serve`. */
export interface StoreFlags {
  store?: string;
  replicas?: string;
  natsPrefix?: string;
  ackWait?: string;
}

/**
 * The shared store the flags name, or undefined for the embedded one. `--store` takes
 * `sqlite` or `nats://host:port[,host2:port,...]`; the other flags apply to NATS only.
 */
export function storeOf(flags: StoreFlags): NatsStoreSettings | undefined {
  const url = flags.store ?? 'sqlite';
  if (url === 'sqlite') {
    if (flags.replicas ?? flags.natsPrefix ?? flags.ackWait) {
      throw new Error('--replicas, --nats-prefix and --ack-wait need --store nats://...');
    }
    return undefined;
  }
  if (!url.startsWith('nats://')) {
    throw new Error(`--store must be 'sqlite' or nats://host:port[,host:port...], got '${url}'`);
  }
  const servers = url
    .slice('nats://'.length)
    .split(',')
    .map((server) => server.trim().replace(/^nats:\/\//, ''))
    .filter((server) => server !== '')
    .map((server) => `nats://${server}`);
  if (servers.length === 0) throw new Error(`--store names no NATS server: '${url}'`);

  const settings: NatsStoreSettings = { kind: 'nats', servers };
  if (flags.replicas !== undefined) settings.replicas = integer('--replicas', flags.replicas, 1, 5);
  if (flags.natsPrefix !== undefined) settings.prefix = flags.natsPrefix;
  if (flags.ackWait !== undefined) {
    settings.ackWaitMs = integer('--ack-wait', flags.ackWait, 100, 12 * 3600 * 1000);
  }
  return settings;
}

function integer(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${flag} must be a whole number from ${min} to ${max}, got '${text}'`);
  }
  return value;
}
