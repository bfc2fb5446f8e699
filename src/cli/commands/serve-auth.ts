import { loadAccessKeysFile, parseAccessKeyFlag, type AccessKey } from '../../api/auth/index.js';
import type { HeraldConfig } from '../../config/config-file.js';

/** The serve flags that decide access control. */
export interface AuthFlags {
  auth?: boolean;
  accessKey?: string[];
}

/**
 * The access keys `herald serve` requires, or undefined when authentication is off. It is on
 * with `--auth`, `--access-key` or `auth: true` in the config; keys come from the flags, the
 * config's `accessKeys` and its `accessKeysFile`, and at least one is needed.
 */
export function accessKeysOf(
  flags: AuthFlags,
  config: Partial<HeraldConfig>,
): AccessKey[] | undefined {
  const fromFlags = (flags.accessKey ?? []).map(parseAccessKeyFlag);
  const enabled = flags.auth === true || fromFlags.length > 0 || config.auth === true;
  if (!enabled) return undefined;

  const keys = [
    ...fromFlags,
    ...(config.accessKeys ?? []),
    ...(config.accessKeysFile === undefined ? [] : loadAccessKeysFile(config.accessKeysFile)),
  ];
  if (keys.length === 0) {
    throw new Error(
      'authentication is on but no access keys are configured: pass --access-key ID:SECRET ' +
        'or set accessKeys / accessKeysFile in the config',
    );
  }
  return keys;
}
