import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** One access key clients sign with; its requests act as `accountId` (default: Herald's). */
export interface AccessKey {
  id: string;
  secret: string;
  accountId?: string;
}

/** A configured key as verification needs it. */
export interface KnownKey {
  secret: string;
  accountId: string;
}

const accessKeySchema = z.strictObject({
  id: z.string().min(1),
  secret: z.string().min(1),
  accountId: z
    .string()
    .regex(/^\d{12}$/)
    .optional(),
});

/** The schema of a configured access key (config file and keys file). */
export const ACCESS_KEY_SCHEMA = accessKeySchema;

/** The access keys Herald accepts, by id. */
export class AccessKeyStore {
  private readonly keys = new Map<string, KnownKey>();

  constructor(keys: readonly AccessKey[], defaultAccountId: string) {
    for (const key of keys) {
      this.keys.set(key.id, { secret: key.secret, accountId: key.accountId ?? defaultAccountId });
    }
  }

  /** The key with this id, or undefined for an unknown one. */
  find(id: string): KnownKey | undefined {
    return this.keys.get(id);
  }

  get size(): number {
    return this.keys.size;
  }
}

/** Parses `--access-key ID:SECRET`; the secret is everything after the first colon. */
export function parseAccessKeyFlag(text: string): AccessKey {
  const colon = text.indexOf(':');
  if (colon <= 0 || colon === text.length - 1) {
    throw new Error(`--access-key must look like ID:SECRET, got '${text}'`);
  }
  return { id: text.slice(0, colon), secret: text.slice(colon + 1) };
}

/**
 * Reads a keys file: JSON, either a list of `{ id, secret, accountId? }` or an object with
 * such a list under `accessKeys`.
 */
export function loadAccessKeysFile(path: string): AccessKey[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read access keys file ${path}: ${(error as Error).message}`);
  }

  const list = Array.isArray(raw) ? raw : (raw as { accessKeys?: unknown } | null)?.accessKeys;
  const parsed = z.array(accessKeySchema).safeParse(list);
  if (!parsed.success) {
    throw new Error(`access keys file ${path} must hold a list of { id, secret, accountId? }`);
  }
  return parsed.data;
}
