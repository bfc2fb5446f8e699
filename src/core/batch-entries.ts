import { HeraldError } from '../errors/index.js';

const MAX_BATCH_ENTRIES = 10;
const BATCH_ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;

/** SNS's rule for the size of a batch: one to ten entries. */
export function checkBatchCount(count: number): void {
  if (count === 0) {
    throw new HeraldError('EmptyBatchRequest', "The batch request doesn't contain any entries.");
  }
  if (count > MAX_BATCH_ENTRIES) {
    throw new HeraldError(
      'TooManyEntriesInBatchRequest',
      'The batch request contains more entries than permissible.',
    );
  }
}

/**
 * SNS's rule for a batch entry's Id: up to 80 letters, digits, hyphens and underscores,
 * distinct within the batch. `seen` holds the ids of the entries before it; `id` joins it.
 */
export function checkBatchEntryId(id: string, seen: Set<string>): void {
  if (!BATCH_ENTRY_ID.test(id)) {
    throw new HeraldError(
      'InvalidBatchEntryId',
      `The Id of a batch entry in a batch request doesn't abide by the specification: ${id}. ` +
        'Ids may contain only alphanumeric characters, hyphens and underscores, up to 80.',
    );
  }
  if (seen.has(id)) {
    throw new HeraldError(
      'BatchEntryIdsNotDistinct',
      'Two or more batch entries in the request have the same Id.',
    );
  }
  seen.add(id);
}
