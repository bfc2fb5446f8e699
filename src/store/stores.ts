import type { Catalog } from './catalog.js';
import type { CatalogChange } from './nats/catalog-change.js';
import type { Journal } from './journal.js';
import type { SubscriptionTokenStore } from './subscription-tokens.js';

/** Where function code bundles are kept so that every node of a cluster can fetch them. */
export interface BundleArchive {
  put(sha256: string, zip: Uint8Array): Promise<void>;
  get(sha256: string): Promise<Uint8Array | undefined>;
}

export type { CatalogChange } from './nats/catalog-change.js';

/** The stores one Herald runs on: embedded (SQLite) or shared by a cluster (NATS). */
export interface HeraldStores {
  catalog: Catalog;
  journal: Journal;
  tokens: SubscriptionTokenStore;
  /** Set when nodes share the store: function code is archived for the others. */
  bundles?: BundleArchive;
  /** Calls `listener` for each change another node makes (shared stores only). */
  watch?(listener: (change: CatalogChange) => void): void;
  close(): Promise<void>;
}
