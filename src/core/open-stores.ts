import { DEFAULTS } from '../config/defaults.js';
import { silentLogger } from '../log/logger.js';
import { BundleArchive } from '../store/nats/bundle-archive.js';
import { NatsConnection } from '../store/nats/connection.js';
import { DeduplicationClaims } from '../store/nats/deduplication-claims.js';
import { NatsCatalog } from '../store/nats/nats-catalog.js';
import { NatsJournal } from '../store/nats/nats-journal.js';
import { NatsSubscriptionTokens } from '../store/nats/nats-subscription-tokens.js';
import { openSqliteStores } from '../store/sqlite/open-sqlite-stores.js';
import type { HeraldStores } from '../store/stores.js';
import type { HeraldOptions, NatsStoreSettings } from './options.js';

/** The stores `options` ask for: the embedded SQLite store unless a NATS store is named. */
export async function openStores(options: HeraldOptions): Promise<HeraldStores> {
  if (!options.store) return openSqliteStores(options.dataDir);
  return openNatsStores(options.store, options);
}

async function openNatsStores(
  settings: NatsStoreSettings,
  options: HeraldOptions,
): Promise<HeraldStores> {
  const logger = (options.logger ?? silentLogger()).child({ component: 'store' });
  const connection = await NatsConnection.open(
    {
      servers: settings.servers,
      replicas: settings.replicas ?? DEFAULTS.natsReplicas,
      prefix: settings.prefix ?? DEFAULTS.natsPrefix,
      ackWaitMs: settings.ackWaitMs ?? DEFAULTS.natsAckWaitMs,
    },
    logger,
  );
  try {
    const catalog = await NatsCatalog.open(connection, logger);
    const tokens = await NatsSubscriptionTokens.open(connection, logger);
    const bundles = await BundleArchive.open(connection);
    const deduplication = await DeduplicationClaims.open(connection);
    const journal = await NatsJournal.open({
      js: connection.js,
      jsm: connection.jsm,
      names: connection.names,
      replicas: connection.options.replicas,
      ackWaitMs: connection.options.ackWaitMs,
      logger,
    });
    return {
      catalog,
      journal,
      tokens,
      bundles,
      deduplication,
      names: deduplication,
      unhealthy: () => (connection.connected ? undefined : 'NATS is unreachable'),
      watch: (listener) => catalog.onChange(listener),
      async close() {
        await journal.close();
        await Promise.all([catalog.close(), tokens.close()]);
        await connection.close();
      },
    };
  } catch (error) {
    await connection.close();
    throw error;
  }
}
