import {
  jetstream,
  jetstreamManager,
  StorageType,
  type JetStreamClient,
  type JetStreamManager,
} from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import { Objm, type ObjectStore } from '@nats-io/obj';
import { connect, type NatsConnection as NatsClient } from '@nats-io/transport-node';
import { invalidParameter } from '../../errors/index.js';
import type { Logger } from '../../log/logger.js';
import { natsUnavailable } from './unavailable.js';
import { journalNames, type JournalNames } from './stream-names.js';

/** How Herald reaches the NATS JetStream cluster it shares with its other nodes. */
export interface NatsStoreOptions {
  /** NATS server URLs, e.g. `nats://10.0.0.1:4222`. */
  servers: string[];
  /** Replicas of every stream and bucket Herald creates (1, 3 or 5 in a cluster). */
  replicas: number;
  /** Starts every stream, bucket and subject name, so clusters can share a NATS server. */
  prefix: string;
  /** How long a delivery leased by a node may go unacknowledged before another takes it. */
  ackWaitMs: number;
}

/** Every JetStream name a Herald cluster uses, derived from its prefix. */
export interface NatsNames extends JournalNames {
  /** The key-value bucket of the catalog: topics, subscriptions, functions, queues. */
  catalog: string;
  /** The key-value bucket of subscription confirmation tokens. */
  tokens: string;
  /** The object store of function code bundles. */
  bundles: string;
  /** The key-value bucket of FIFO deduplication claims. */
  deduplication: string;
}

/** NATS's default limit on one message, when the server does not say. */
const DEFAULT_MAX_PAYLOAD = 1024 * 1024;

/** A valid prefix: lowercase letters, digits and dashes, at most 32 characters. */
export const NATS_PREFIX = /^[a-z0-9][a-z0-9-]{0,31}$/;

/**
 * The names under `prefix`: buckets `<prefix>-catalog`, `<prefix>-tokens` and
 * `<prefix>-dedup`, object store `<prefix>-bundles`, and the journal's streams
 * (`<prefix>-deliveries` on `<prefix>.delivery.>`, `<prefix>-queues` on
 * `<prefix>.queue.>`). Throws
 * `InvalidParameter` when the prefix does not match {@link NATS_PREFIX}.
 */
export function natsNames(prefix: string): NatsNames {
  if (!NATS_PREFIX.test(prefix)) {
    throw invalidParameter(
      `prefix: ${JSON.stringify(prefix)} must be 1-32 lowercase letters, digits or dashes` +
        ' and start with a letter or digit',
      { parameter: 'prefix' },
    );
  }
  return {
    ...journalNames(prefix),
    catalog: `${prefix}-catalog`,
    tokens: `${prefix}-tokens`,
    bundles: `${prefix}-bundles`,
    deduplication: `${prefix}-dedup`,
  };
}

/**
 * One connection to NATS shared by every store of a Herald node: the JetStream client and
 * manager, the key-value and object store managers, and the names of everything Herald
 * keeps there. It reconnects forever; requests made while it is disconnected time out.
 */
export class NatsConnection {
  /** Key-value buckets, through {@link js}. */
  readonly kvm: Kvm;
  /** Object stores, through {@link js}. */
  readonly objm: Objm;
  /** False from a disconnect until the client has reconnected to some server. */
  connected = true;

  private constructor(
    readonly nc: NatsClient,
    readonly js: JetStreamClient,
    readonly jsm: JetStreamManager,
    readonly options: NatsStoreOptions,
    readonly names: NatsNames,
    private readonly logger: Logger,
  ) {
    this.kvm = new Kvm(js);
    this.objm = new Objm(js);
  }

  /**
   * Connects to `options.servers` and checks that JetStream answers. Fails with
   * `InvalidParameter` for bad options and `ServiceUnavailable` when NATS cannot be reached.
   */
  static async open(options: NatsStoreOptions, logger: Logger): Promise<NatsConnection> {
    const names = natsNames(options.prefix);
    checkOptions(options);
    const log = logger.child({ component: 'nats' });
    let nc: NatsClient;
    try {
      nc = await connect({
        servers: options.servers,
        name: 'herald',
        maxReconnectAttempts: -1,
        // A stack trace captured for every request costs ~15% of a node's CPU at load.
        noAsyncTraces: true,
      });
    } catch (error) {
      throw natsUnavailable(`cannot connect to NATS at ${options.servers.join(', ')}`, error);
    }
    try {
      const jsm = await jetstreamManager(nc);
      const connection = new NatsConnection(nc, jetstream(nc), jsm, options, names, log);
      connection.logStatus();
      return connection;
    } catch (error) {
      await nc.close();
      throw natsUnavailable('NATS does not offer JetStream', error);
    }
  }

  /** Opens a key-value bucket, creating it (file storage, history 1) when it is missing. */
  async bucket(name: string): Promise<KV> {
    return this.kvm.create(name, {
      history: 1,
      replicas: this.options.replicas,
      storage: StorageType.File,
    });
  }

  /** Opens an object store, creating it (file storage) when it is missing. */
  async objectStore(name: string): Promise<ObjectStore> {
    return this.objm.create(name, { replicas: this.options.replicas, storage: StorageType.File });
  }

  /** The largest message the connected NATS server takes, in bytes (1 MiB by default). */
  maxPayload(): number {
    return this.nc.info?.max_payload ?? DEFAULT_MAX_PAYLOAD;
  }

  /** Sends what is buffered and closes the connection (at once when NATS is unreachable). */
  async close(): Promise<void> {
    if (this.nc.isClosed()) return;
    try {
      await this.nc.drain();
    } catch {
      await this.nc.close();
    }
  }

  private logStatus(): void {
    void (async () => {
      for await (const status of this.nc.status()) {
        if (status.type === 'disconnect' || status.type === 'reconnect') {
          this.connected = status.type === 'reconnect';
          this.logger.warn({ server: status.server }, `NATS ${status.type}`);
        } else if (status.type === 'error') {
          this.logger.error({ err: status.error }, 'NATS connection error');
        }
      }
    })();
  }
}

function checkOptions(options: NatsStoreOptions): void {
  if (options.servers.length === 0) {
    throw invalidParameter('servers: give at least one NATS server', { parameter: 'servers' });
  }
  if (!Number.isInteger(options.replicas) || options.replicas < 1 || options.replicas > 5) {
    throw invalidParameter('replicas: must be an integer from 1 to 5', { parameter: 'replicas' });
  }
  if (!(options.ackWaitMs > 0)) {
    throw invalidParameter('ackWaitMs: must be positive', { parameter: 'ackWaitMs' });
  }
}
