import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from './migrations.js';

/** A better-sqlite3 connection. */
export type SqliteDatabase = Database.Database;

/** The data directory is open in another Herald process. */
export class DataDirInUseError extends Error {
  override readonly name = 'DataDirInUseError';

  constructor(dataDir: string) {
    super(
      `data directory ${dataDir} is in use by another Herald process: stop it first, ` +
        'or give this one its own --data-dir',
    );
  }
}

/**
 * Opens (creating when needed) Herald's database in `dataDir`, in WAL mode with
 * `synchronous=FULL` so that every commit is on disk when it returns, and migrates it.
 * The database is locked for this process alone until it closes: two processes delivering
 * from one journal would deliver everything twice.
 */
export function openDatabase(dataDir: string): SqliteDatabase {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, 'herald.sqlite'));

  lockForThisProcess(db, dataDir);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = OFF');
  db.pragma('busy_timeout = 5000');
  db.pragma('cache_size = -65536');
  db.pragma('wal_autocheckpoint = 4000');

  migrate(db);
  return db;
}

function lockForThisProcess(db: SqliteDatabase, dataDir: string): void {
  db.pragma('locking_mode = EXCLUSIVE');
  try {
    db.exec('BEGIN EXCLUSIVE; COMMIT');
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY') throw new DataDirInUseError(dataDir);
    throw error;
  }
}

function migrate(db: SqliteDatabase): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(
      `database schema version ${current} is newer than this Herald (${MIGRATIONS.length}):` +
        ' upgrade Herald or point --data-dir elsewhere',
    );
  }

  for (let version = current; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version] as string);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
