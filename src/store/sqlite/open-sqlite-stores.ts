import type { HeraldStores } from '../stores.js';
import { openDatabase } from './database.js';
import { SqliteCatalog } from './sqlite-catalog.js';
import { SqliteJournal } from './sqlite-journal.js';
import { SqliteSubscriptionTokens } from './sqlite-subscription-tokens.js';

/** The embedded stores, in one SQLite database in `dataDir`, locked to this process. */
export function openSqliteStores(dataDir: string): HeraldStores {
  const db = openDatabase(dataDir);
  const journal = new SqliteJournal(db);
  return {
    catalog: new SqliteCatalog(db),
    journal,
    tokens: new SqliteSubscriptionTokens(db),
    async close() {
      await journal.close();
      db.close();
    },
  };
}
