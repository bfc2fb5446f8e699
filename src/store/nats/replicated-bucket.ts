import type { JetStreamClient } from '@nats-io/jetstream';
import type { KV, KvWatchEntry } from '@nats-io/kv';
import {
  ClosedConnectionError,
  headers,
  nuid,
  type MsgHdrs,
  type QueuedIterator,
} from '@nats-io/transport-node';
import { invalidParameter } from '../../errors/index.js';
import type { Logger } from '../../log/logger.js';
import { natsUnavailable } from './unavailable.js';

/**
 * Takes a value another node wrote into the owner's in-memory replica: the JSON text, or
 * `undefined` when the key was deleted. Also called for every entry while the bucket loads.
 */
export type ApplyRemote = (key: string, json: string | undefined) => void;

/** What a {@link ReplicatedBucket} is made of. */
export interface ReplicatedBucketOptions {
  kv: KV;
  /** The client the bucket was opened with: writes are published through it. */
  js: JetStreamClient;
  /** The bucket's name, for its subjects and for messages. */
  name: string;
  logger: Logger;
  apply: ApplyRemote;
}

/** A write that failed, kept until a later write of the key (or another node's) replaces it. */
interface Failure {
  json: string | undefined;
  error: unknown;
}

/** KV keys: dot-separated tokens of letters, digits and `-/_=`. */
const KV_KEY = /^[-/_=a-zA-Z0-9]+(\.[-/_=a-zA-Z0-9]+)*$/;

/** Returns `key` when it is a valid KV key; throws `InvalidParameter` otherwise. */
export function checkKvKey(key: string): string {
  if (!KV_KEY.test(key)) throw invalidParameter(`not a valid NATS KV key: ${JSON.stringify(key)}`);
  return key;
}

/** The header that marks a delete in a KV stream (NATS ADR-8). */
const KV_OPERATION = 'KV-Operation';
/** How long opening may take to load the bucket's entries. */
const LOAD_TIMEOUT_MS = 30_000;
/** The pause before a failed write is tried again, and before a lost watch is restarted. */
const RETRY_DELAY_MS = 1_000;
/**
 * How long one write keeps trying before it counts as failed: long enough to ride out the
 * election of a new stream leader, short enough to answer a client within its timeout.
 */
const PUBLISH_PATIENCE_MS = 5_000;
/** How long one attempt waits for JetStream's acknowledgement. */
const PUBLISH_TIMEOUT_MS = 2_000;
/** The pause between attempts of one write. */
const PUBLISH_PAUSE_MS = 250;

/**
 * The write-through and watch half of an in-memory replica of a JetStream KV bucket. The
 * owner keeps the replica and changes it synchronously; this class writes each change to
 * the bucket in the background (in order per key) and passes on the changes other nodes
 * make, watched from the bucket.
 *
 * A change this node made comes back through the watch: it is recognised by its revision
 * and skipped. While a key has writes in flight, watched entries of that key wait until
 * they are done, then only those newer than this node's last write are passed on, so the
 * replica follows the bucket's last-writer-wins order and never steps back to an older
 * value. A failed write is tried again every second until it succeeds or another node
 * writes the key; until then {@link settled} rejects.
 */
export class ReplicatedBucket {
  /** The newest revision of each key the replica reflects (dropped for deleted keys). */
  private readonly revisions = new Map<string, number>();
  private readonly inflight = new Map<string, number>();
  private readonly deferred = new Map<string, KvWatchEntry[]>();
  /** The last write of each key with writes in flight; it never rejects. */
  private readonly tails = new Map<string, Promise<void>>();
  private readonly failures = new Map<string, Failure>();
  private watcher: QueuedIterator<KvWatchEntry> | undefined;
  /** The highest revision the watch delivered, where a restarted watch resumes. */
  private watched = 0;
  /** While loading: the bucket's last revision when the watch started, and what ends it. */
  private loading: { until: number; done(): void } | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private closed = false;

  private constructor(private readonly options: ReplicatedBucketOptions) {}

  /**
   * Watches the bucket and resolves once every entry it held has been passed to `apply`.
   * Fails with `ServiceUnavailable` when the entries cannot be loaded in time.
   */
  static async open(options: ReplicatedBucketOptions): Promise<ReplicatedBucket> {
    const bucket = new ReplicatedBucket(options);
    try {
      await bucket.load();
    } catch (error) {
      await bucket.close();
      throw natsUnavailable(`cannot load NATS bucket ${options.name}`, error);
    }
    return bucket;
  }

  /** Writes a key's new JSON value to the bucket in the background. */
  put(key: string, json: string): void {
    this.write(key, json);
  }

  /** Deletes a key from the bucket in the background. */
  delete(key: string): void {
    this.write(key, undefined);
  }

  /**
   * Resolves once every write issued so far is done; rejects with `ServiceUnavailable` when
   * the last write of some key failed (it is being tried again).
   */
  async settled(): Promise<void> {
    await Promise.all(this.tails.values());
    const [failure] = this.failures.values();
    if (!failure) return;
    throw natsUnavailable(
      `Herald could not store ${this.failures.size} change(s) in NATS bucket` +
        ` ${this.options.name}; try again later`,
      failure.error,
    );
  }

  /** Waits for the writes in flight and stops watching. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    await Promise.all(this.tails.values());
    this.watcher?.stop();
  }

  private async load(): Promise<void> {
    const status = await this.options.kv.status();
    const loaded = new Promise<void>((done) => {
      this.loading = { until: status.streamInfo.state.last_seq, done };
    });
    if (status.values === 0) this.loading?.done();
    await this.startWatch();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timed out')), LOAD_TIMEOUT_MS);
    });
    try {
      await Promise.race([loaded, timeout]);
    } finally {
      clearTimeout(timer);
      this.loading = undefined;
    }
  }

  private async startWatch(): Promise<void> {
    const resume = this.watched > 0 ? { resumeFromRevision: this.watched + 1 } : {};
    const watcher = await this.options.kv.watch(resume);
    this.watcher = watcher;
    void this.follow(watcher);
  }

  private async follow(watcher: QueuedIterator<KvWatchEntry>): Promise<void> {
    try {
      for await (const entry of watcher) {
        this.watched = Math.max(this.watched, entry.revision);
        this.receive(entry);
        // Entries come in revision order, so the one written last before the watch started
        // (or a later one of its key) ends the load. The count of entries still pending is
        // the other sign, but a 2.9 server may overcount it when a key changes meanwhile.
        if (entry.revision >= (this.loading?.until ?? 0) || entry.delta === 0) {
          this.loading?.done();
        }
      }
    } catch (error) {
      this.options.logger.warn({ err: error, bucket: this.options.name }, 'NATS watch failed');
    }
    if (!this.closed) this.restartWatch();
  }

  private restartWatch(): void {
    const timer = setTimeout(() => {
      if (this.closed) return;
      this.options.logger.warn({ bucket: this.options.name }, 'restarting the NATS watch');
      this.startWatch().catch((error: unknown) => {
        // A closed connection stays closed: only its owner's close() is left to come.
        if (!(error instanceof ClosedConnectionError)) this.restartWatch();
      });
    }, RETRY_DELAY_MS);
    timer.unref();
  }

  private receive(entry: KvWatchEntry): void {
    const waiting = this.deferred.get(entry.key);
    if (waiting) waiting.push(entry);
    else if (this.inflight.has(entry.key)) this.deferred.set(entry.key, [entry]);
    else this.accept(entry);
  }

  /** Passes on a watched entry newer than the replica, and records how far the key is. */
  private accept(entry: KvWatchEntry): void {
    const { key, revision } = entry;
    const known = this.revisions.get(key) ?? 0;
    if (revision < known) return;
    const deleted = entry.operation !== 'PUT';
    // Later entries of a deleted key have higher revisions: no need to remember this one.
    if (deleted) this.revisions.delete(key);
    else this.revisions.set(key, revision);
    if (revision === known) return;
    this.clearFailure(key);
    try {
      this.options.apply(key, deleted ? undefined : entry.string());
    } catch (error) {
      this.options.logger.error({ err: error, key }, 'cannot apply a change from NATS');
    }
  }

  private write(key: string, json: string | undefined): void {
    checkKvKey(key);
    this.inflight.set(key, (this.inflight.get(key) ?? 0) + 1);
    const previous = this.tails.get(key) ?? Promise.resolve();
    const tail = previous
      .then(() => this.send(key, json))
      .then(
        (revision) => this.done(key, json, revision, undefined),
        (error: unknown) => this.done(key, json, 0, error ?? new Error('write failed')),
      );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
  }

  /**
   * Publishes a value (or a delete marker) to the key's subject and resolves to its
   * revision. Attempts that find no stream leader or time out are repeated for a while,
   * under one message id so that JetStream stores the write once.
   */
  private async send(key: string, json: string | undefined): Promise<number> {
    const subject = `$KV.${this.options.name}.${key}`;
    const msgID = nuid.next();
    const deadline = Date.now() + PUBLISH_PATIENCE_MS;
    for (;;) {
      let marker: MsgHdrs | undefined;
      if (json === undefined) {
        marker = headers();
        marker.set(KV_OPERATION, 'DEL');
      }
      const options = { headers: marker, msgID, timeout: PUBLISH_TIMEOUT_MS };
      try {
        return (await this.options.js.publish(subject, json ?? '', options)).seq;
      } catch (error) {
        if (error instanceof ClosedConnectionError || Date.now() >= deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, PUBLISH_PAUSE_MS));
      }
    }
  }

  private done(key: string, json: string | undefined, revision: number, error: unknown): void {
    const left = (this.inflight.get(key) ?? 1) - 1;
    if (left > 0) this.inflight.set(key, left);
    else this.inflight.delete(key);

    if (error === undefined) {
      this.clearFailure(key);
      if (revision > (this.revisions.get(key) ?? 0)) this.revisions.set(key, revision);
    } else {
      if (this.failures.size === 0) {
        const log = { err: error, bucket: this.options.name, key };
        this.options.logger.warn(log, 'cannot write to NATS; trying again every second');
      }
      this.failures.set(key, { json, error });
      if (!(error instanceof ClosedConnectionError)) this.scheduleRetry();
    }
    if (left === 0) this.flushDeferred(key);
  }

  /** Forgets a key's failed write, now replaced; logs when no failed write is left. */
  private clearFailure(key: string): void {
    if (!this.failures.delete(key) || this.failures.size > 0) return;
    this.options.logger.info({ bucket: this.options.name }, 'writes to NATS succeed again');
  }

  private flushDeferred(key: string): void {
    const entries = this.deferred.get(key);
    if (!entries) return;
    this.deferred.delete(key);
    for (const entry of entries) this.accept(entry);
  }

  private scheduleRetry(): void {
    if (this.retryTimer !== undefined || this.closed) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.closed) return;
      for (const [key, failure] of this.failures) {
        if (!this.inflight.has(key)) this.write(key, failure.json);
      }
    }, RETRY_DELAY_MS);
    this.retryTimer.unref();
  }
}
