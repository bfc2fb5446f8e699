/** The largest filter policy SNS accepts, in bytes of its JSON text. */
export const MAX_POLICY_BYTES = 256 * 1024;

/** The most keys one clause of a policy may test (leaf keys, counted per `$or` branch). */
export const MAX_KEYS = 5;

/** The most value combinations a policy may have (nesting depth multiplies, `$or` adds). */
export const MAX_COMBINATIONS = 150;
