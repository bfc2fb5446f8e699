import { loadAccessKeysFile, parseAccessKeyFlag, type AccessKey } from '../../api/auth/index.js';
import type { HeraldConfig } from '../../config/config-file.js';

/** The serve flags that decide access control. */
export interface AuthFlags {
  auth?: boolean;
  accessKey?: string[];
}

/**
 * The access keys `herald serve` requires, or undefined when authentication is off. It is on
 * with `--auth`, `--access-key`, `auth: true` in the config, or keys in the config
 * (`accessKeys`, `accessKeysFile`): configuring keys means wanting them checked.
 */
export function accessKeysOf(
  flags: AuthFlags,
  config: Partial<HeraldConfig>,
): AccessKey[] | undefined {
  const fromFlags = (flags.accessKey ?? []).map(parseAccessKeyFlag);
  const configured = (config.accessKeys?.length ?? 0) > 0 || config.accessKeysFile !== undefined;
  const enabled = flags.auth === true || fromFlags.length > 0 || config.auth === true || configured;
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
