import { checkKvKey } from './replicated-bucket.js';

/** A catalog entry a KV key names. */
export type CatalogKey =
  | { kind: 'topic'; arn: string }
  | { kind: 'subscription'; id: number }
  | { kind: 'function'; name: string }
  | { kind: 'queue'; name: string };

/**
 * The KV keys of catalog entries: `topic.<base64url of the ARN>`, `subscription.<id>`,
 * `function.<name>` and `queue.<name>`. Each throws `InvalidParameter` for a name that
 * cannot be part of a key.
 */
export const catalogKeys = {
  topic: (arn: string) => checkKvKey(`topic.${Buffer.from(arn).toString('base64url')}`),
  subscription: (id: number) => checkKvKey(`subscription.${id}`),
  function: (name: string) => checkKvKey(`function.${name}`),
  queue: (name: string) => checkKvKey(`queue.${name}`),
};

/** The entry a KV key names, or undefined for other keys (the id counter, say). */
export function parseCatalogKey(key: string): CatalogKey | undefined {
  const dot = key.indexOf('.');
  if (dot < 0) return undefined;
  const rest = key.slice(dot + 1);
  switch (key.slice(0, dot)) {
    case 'topic':
      return { kind: 'topic', arn: Buffer.from(rest, 'base64url').toString() };
    case 'subscription': {
      const id = Number(rest);
      return Number.isSafeInteger(id) ? { kind: 'subscription', id } : undefined;
    }
    case 'function':
      return { kind: 'function', name: rest };
    case 'queue':
      return { kind: 'queue', name: rest };
    default:
      return undefined;
  }
}
