import { createHash } from 'node:crypto';
import { StorageType } from '@nats-io/jetstream';
import type { KV, KvEntry } from '@nats-io/kv';
import type { DeduplicationRecord } from '../journal.js';
import type { SharedDeduplication, SharedNames } from '../stores.js';
import type { NatsConnection } from './connection.js';
import { natsUnavailable } from './unavailable.js';

/** How long a claim may stay unconfirmed before another node takes it over, ms. */
const CLAIM_TIMEOUT_MS = 10_000;
/** How often a publish waiting on another node's unconfirmed claim looks again, ms. */
const CLAIM_POLL_MS = 50;
/** How long the bucket keeps a claim: the deduplication window, and a minute to spare. */
const BUCKET_TTL_MS = 6 * 60 * 1000;

/** A claim as the bucket holds it. */
interface Claim {
  record: DeduplicationRecord;
  /** False until the claiming node has stored the message. */
  stored: boolean;
  claimedAt: number;
}

/** The bucket key of a deduplication id: a digest, since ids may hold any punctuation. */
function claimKey({ topicArn, scope, deduplicationId }: DeduplicationRecord): string {
  const digest = createHash('sha256').update(`${topicArn}\n${scope}\n${deduplicationId}`);
  return `d.${digest.digest('hex')}`;
}

/** The bucket key of a claimed name (see {@link SharedNames}). */
function nameKey(name: string): string {
  return `n.${createHash('sha256').update(name).digest('hex')}`;
}

/**
 * FIFO deduplication across the nodes of a cluster, in the key-value bucket
 * `<prefix>-dedup`: the first publish of a deduplication id creates its key (an atomic
 * create), so a duplicate sent through any node finds it. A claim is confirmed once its
 * message is stored; a duplicate that finds an unconfirmed claim waits for it, and takes
 * it over when it stays unconfirmed for 10 seconds (its node died before
 * storing the message, or after: then the message is delivered twice, as at least once
 * allows). It also holds the names nodes claim ({@link SharedNames}), for the same window.
 */
export class DeduplicationClaims implements SharedDeduplication, SharedNames {
  private constructor(
    private readonly kv: KV,
    private readonly claimTimeoutMs: number,
  ) {}

  /**
   * Opens (creating when missing) the claims bucket. `claimTimeoutMs` is how long a claim
   * may stay unconfirmed before another publish takes it over.
   */
  static async open(
    connection: NatsConnection,
    claimTimeoutMs = CLAIM_TIMEOUT_MS,
  ): Promise<DeduplicationClaims> {
    const name = connection.names.deduplication;
    try {
      const kv = await connection.kvm.create(name, {
        history: 1,
        ttl: BUCKET_TTL_MS,
        replicas: connection.options.replicas,
        storage: StorageType.File,
      });
      return new DeduplicationClaims(kv, claimTimeoutMs);
    } catch (error) {
      throw natsUnavailable(`cannot open NATS bucket ${name}`, error);
    }
  }

  async claim(record: DeduplicationRecord): Promise<DeduplicationRecord | undefined> {
    const key = claimKey(record);
    const mine = (): Uint8Array => encode({ record, stored: false, claimedAt: Date.now() });
    try {
      for (;;) {
        const held = await this.created(key, mine());
        if (!held) return undefined;
        const claim = decode(held);
        const now = Date.now();
        const abandoned = !claim.stored && claim.claimedAt + this.claimTimeoutMs <= now;
        if (claim.record.expiresAt <= now || abandoned) {
          if (await this.replaced(key, mine(), held.revision)) return undefined;
          continue;
        }
        if (claim.stored) return claim.record;
        await new Promise((resolve) => setTimeout(resolve, CLAIM_POLL_MS));
      }
    } catch (error) {
      throw natsUnavailable('cannot check FIFO deduplication in NATS', error);
    }
  }

  async claimName(name: string): Promise<boolean> {
    try {
      return (await this.created(nameKey(name), encode(name))) === undefined;
    } catch (error) {
      throw natsUnavailable('cannot claim a name in NATS', error);
    }
  }

  async releaseName(name: string): Promise<void> {
    await this.kv.delete(nameKey(name));
  }

  async confirm(record: DeduplicationRecord): Promise<void> {
    await this.kv.put(claimKey(record), encode({ record, stored: true, claimedAt: Date.now() }));
  }

  async release(record: DeduplicationRecord): Promise<void> {
    await this.kv.delete(claimKey(record));
  }

  /** Creates the key; resolves to undefined once created, or to the entry that holds it. */
  private async created(key: string, value: Uint8Array): Promise<KvEntry | undefined> {
    try {
      await this.kv.create(key, value);
      return undefined;
    } catch (error) {
      const held = await this.kv.get(key);
      if (held?.operation === 'PUT') return held;
      if (held) throw error;
      return this.created(key, value);
    }
  }

  /** Replaces the entry at `revision`; false when another node changed it first. */
  private async replaced(key: string, value: Uint8Array, revision: number): Promise<boolean> {
    try {
      await this.kv.update(key, value, revision);
      return true;
    } catch {
      return false;
    }
  }
}

function encode(value: Claim | string): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value));
}

function decode(entry: KvEntry): Claim {
  return entry.json<Claim>();
}
