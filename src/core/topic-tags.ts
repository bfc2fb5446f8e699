import { HeraldError, invalidParameter } from '../errors/index.js';

/** The most tags one topic may carry, as on AWS. */
export const MAX_TAGS = 50;

const MAX_KEY_LENGTH = 128;
const MAX_VALUE_LENGTH = 256;
const RESERVED_PREFIX = 'aws:';

/** `TagLimitExceeded` as SNS words it. */
export function tagLimitExceeded(): HeraldError {
  return new HeraldError(
    'TagLimitExceeded',
    'Could not complete request: tag quota of per resource exceeded',
  );
}

/** Checks tags a client adds: key 1-128 characters, value 0-256, no `aws:` prefix. */
export function validateTags(tags: Record<string, string>): void {
  if (Object.keys(tags).length > MAX_TAGS) throw tagLimitExceeded();

  for (const [key, value] of Object.entries(tags)) {
    if (key.length === 0 || key.length > MAX_KEY_LENGTH) {
      throw invalidParameter(`Tags: tag keys must be 1 to ${MAX_KEY_LENGTH} characters long`, {
        parameter: 'Tags',
      });
    }
    if (value.length > MAX_VALUE_LENGTH) {
      throw invalidParameter(`Tags: tag values must be at most ${MAX_VALUE_LENGTH} characters`, {
        parameter: 'Tags',
      });
    }
    if (key.toLowerCase().startsWith(RESERVED_PREFIX)) {
      throw invalidParameter(`Tags: tag keys starting with '${RESERVED_PREFIX}' are reserved`, {
        parameter: 'Tags',
      });
    }
  }
}

/** A topic's tags after TagResource: added keys overwrite, the total stays within the limit. */
export function mergeTags(
  current: Record<string, string>,
  added: Record<string, string>,
): Record<string, string> {
  validateTags(added);
  const merged = { ...current, ...added };
  if (Object.keys(merged).length > MAX_TAGS) throw tagLimitExceeded();
  return merged;
}

/** A topic's tags after UntagResource; unknown keys are ignored, as on AWS. */
export function withoutTags(
  current: Record<string, string>,
  keys: string[],
): Record<string, string> {
  const remaining = { ...current };
  for (const key of keys) delete remaining[key];
  return remaining;
}
