import type { Catalog } from './catalog.js';
import type { CatalogChange } from './nats/catalog-change.js';
import type { DeduplicationRecord, Journal } from './journal.js';
import type { SubscriptionTokenStore } from './subscription-tokens.js';

/** Where function code bundles are kept so that every node of a cluster can fetch them. */
export interface BundleArchive {
  put(sha256: string, zip: Uint8Array): Promise<void>;
  get(sha256: string): Promise<Uint8Array | undefined>;
}

export type { CatalogChange } from './nats/catalog-change.js';

/**
 * FIFO deduplication shared by the nodes of a cluster. The first publish of a deduplication
 * id claims it; a publish of the same id through any node finds the claim.
 */
export interface SharedDeduplication {
  /**
   * Claims the record's deduplication id for it. Resolves to undefined when this publish
   * holds it now, or to the record of the earlier publish that holds it (once that one is
   * stored). Rejects with `ServiceUnavailable` when the store cannot be reached.
   */
  claim(record: DeduplicationRecord): Promise<DeduplicationRecord | undefined>;
  /** Marks a claimed publish as stored. */
  confirm(record: DeduplicationRecord): Promise<void>;
  /** Gives up the claim of a publish that was not stored, so that a retry may claim it. */
  release(record: DeduplicationRecord): Promise<void>;
}

/**
 * Names claimed across the nodes of a cluster for a few minutes: the first claim of a name
 * wins, so nodes agree on who creates a thing that must exist once.
 */
export interface SharedNames {
  /** True when this call claimed `name`; false when another claim holds it. */
  claimName(name: string): Promise<boolean>;
  /** Frees a name, so that it can be claimed again at once. */
  releaseName(name: string): Promise<void>;
}

/** The stores one Herald runs on: embedded (SQLite) or shared by a cluster (NATS). */
export interface HeraldStores {
  catalog: Catalog;
  journal: Journal;
  tokens: SubscriptionTokenStore;
  /** Set when nodes share the store: function code is archived for the others. */
  bundles?: BundleArchive;
  /** Set when nodes share the store: FIFO deduplication across them. */
  deduplication?: SharedDeduplication;
  /** Set when nodes share the store: names claimed across them. */
  names?: SharedNames;
  /** Why the store cannot be reached now, or undefined (shared stores only). */
  unhealthy?(): string | undefined;
  /** Calls `listener` for each change another node makes (shared stores only). */
  watch?(listener: (change: CatalogChange) => void): void;
  close(): Promise<void>;
}
