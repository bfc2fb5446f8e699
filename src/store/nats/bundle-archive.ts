import { createHash } from 'node:crypto';
import type { ObjectStore } from '@nats-io/obj';
import { HeraldError } from '../../errors/index.js';
import type { NatsConnection } from './connection.js';
import { natsUnavailable } from './unavailable.js';

/**
 * Function code bundles (zip files) shared by the nodes of a Herald cluster, in the
 * JetStream object store `<prefix>-bundles`. A bundle is named by the hex of its SHA-256
 * digest, so storing it twice is a no-op and any node can fetch the code of a function
 * deployed through another.
 */
export class BundleArchive {
  private constructor(private readonly store: ObjectStore) {}

  /** Opens (creating when missing) the object store; `ServiceUnavailable` if NATS fails. */
  static async open(connection: NatsConnection): Promise<BundleArchive> {
    const name = connection.names.bundles;
    try {
      return new BundleArchive(await connection.objectStore(name));
    } catch (error) {
      throw natsUnavailable(`cannot open NATS object store ${name}`, error);
    }
  }

  /**
   * Stores a bundle under its CodeSha256 (base64), unless it is stored already. Throws
   * `InvalidParameterValue` when the digest is not the bundle's, `ServiceUnavailable` when
   * NATS fails.
   */
  async put(sha256Base64: string, zip: Uint8Array): Promise<void> {
    const name = objectName(sha256Base64);
    if (createHash('sha256').update(zip).digest('hex') !== name) {
      throw new HeraldError('InvalidParameterValue', `The bundle's SHA-256 is not ${sha256Base64}`);
    }
    try {
      const info = await this.store.info(name);
      if (info && !info.deleted) return;
      await this.store.putBlob({ name }, zip);
    } catch (error) {
      throw natsUnavailable(`cannot store code bundle ${sha256Base64} in NATS`, error);
    }
  }

  /** The bundle with this CodeSha256 (base64), or undefined; `ServiceUnavailable` if NATS fails. */
  async get(sha256Base64: string): Promise<Uint8Array | undefined> {
    const name = objectName(sha256Base64);
    try {
      return (await this.store.getBlob(name)) ?? undefined;
    } catch (error) {
      throw natsUnavailable(`cannot read code bundle ${sha256Base64} from NATS`, error);
    }
  }
}

/** The hex of a base64 SHA-256 digest; `InvalidParameterValue` for anything else. */
function objectName(sha256Base64: string): string {
  const digest = Buffer.from(sha256Base64, 'base64');
  if (digest.length !== 32 || digest.toString('base64') !== sha256Base64) {
    throw new HeraldError('InvalidParameterValue', `Not a SHA-256 digest: ${sha256Base64}`);
  }
  return digest.toString('hex');
}
