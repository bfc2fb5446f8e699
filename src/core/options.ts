import type { Logger } from '../log/logger.js';

/** How to run an embedded Herald. Unset values come from {@link DEFAULTS}. */
export interface HeraldOptions {
  /** Folder for the database and function code. */
  dataDir: string;
  logger?: Logger;
  region?: string;
  accountId?: string;
  maxMessageBytes?: number;
  /** Base URL clients reach this server at; used in SigningCertURL/UnsubscribeURL. */
  publicUrl?: string;
  functionConcurrency?: number;
  retryBaseDelayMs?: number;
  retryMaxDelayMs?: number;
  defaultDeadLetterQueue?: string;
  /** Worker threads per function (default: CPU count). */
  maxThreadsPerFunction?: number;
}
