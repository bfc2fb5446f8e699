import { HeraldError } from '../../errors/index.js';

/**
 * SQLite result codes that mean Herald cannot write to its data directory: a full disk
 * (`SQLITE_FULL`), an I/O error of any kind (`SQLITE_IOERR_*`) or a database it may not write
 * (`SQLITE_READONLY_*`). The operator can fix these; the client can only retry later.
 */
const UNWRITABLE = /^SQLITE_(FULL|IOERR|READONLY)(_|$)/;

/**
 * The error to report for a failed write to the store: `ServiceUnavailable` (503) naming the
 * SQLite code and what to check when the data directory cannot be written, otherwise the
 * error unchanged. The SQLite error stays attached as the cause, for the log.
 */
export function storeWriteError(error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !UNWRITABLE.test(code)) return error;
  return new HeraldError(
    'ServiceUnavailable',
    `Herald cannot write to its data directory (${code}): free disk space / check permissions`,
    {},
    error,
  );
}

/** Runs a write to the store, reporting an unwritable data directory as {@link storeWriteError}. */
export function storeWrite<T>(write: () => T): T {
  try {
    return write();
  } catch (error) {
    throw storeWriteError(error);
  }
}
