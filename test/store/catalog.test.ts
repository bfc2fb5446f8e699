import { silentLogger } from '../../src/log/logger.js';
import { NatsConnection } from '../../src/store/nats/connection.js';
import { NatsCatalog } from '../../src/store/nats/nats-catalog.js';
import { openDatabase } from '../../src/store/sqlite/database.js';
import { SqliteCatalog } from '../../src/store/sqlite/sqlite-catalog.js';
import { natsUrl, removePrefix, uniquePrefix } from '../support/nats.js';
import { tempDir } from '../support/temp-dir.js';
import { describeCatalog } from './catalog-suite.js';

describeCatalog('SqliteCatalog', async () => {
  const dir = tempDir();
  const db = openDatabase(dir.path);
  return {
    catalog: new SqliteCatalog(db),
    async close() {
      db.close();
      dir.remove();
    },
  };
});

describeCatalog('NatsCatalog', async () => {
  const prefix = uniquePrefix();
  const options = { servers: [natsUrl()], replicas: 1, prefix, ackWaitMs: 30_000 };
  const connection = await NatsConnection.open(options, silentLogger());
  const catalog = await NatsCatalog.open(connection, silentLogger());
  return {
    catalog,
    async close() {
      await catalog.close();
      await connection.close();
      await removePrefix(prefix);
    },
  };
});
