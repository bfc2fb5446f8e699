import { randomUUID } from 'node:crypto';
import { access, mkdir, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HeraldError } from '../errors/index.js';
import { bundleSha256, unpackBundle } from './bundle.js';

/** A stored code bundle: where it is unpacked, its CodeSha256 and its zip size. */
export interface StoredBundle {
  dir: string;
  sha256: string;
  size: number;
}

const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Unpacked code bundles on disk, one directory per function and bundle:
 * `<root>/<function>/<sha256 hex>/`. A bundle appears whole or not at all (unpacked into a
 * temporary directory, then renamed), and storing the same bundle twice is a no-op.
 */
export class BundleStore {
  readonly #rootDir: string;

  constructor(rootDir: string) {
    this.#rootDir = rootDir;
  }

  /** Unpacks a bundle for a function, unless it is already stored. */
  async put(name: string, zip: Uint8Array): Promise<StoredBundle> {
    const sha256 = bundleSha256(zip);
    const dir = this.dirFor(name, sha256);
    const stored = { dir, sha256, size: zip.byteLength };
    if (await exists(dir)) return stored;

    await this.#fenceModuleScope();
    const functionDir = this.#functionDir(name);
    const staging = join(functionDir, `.staging-${randomUUID()}`);
    await mkdir(staging, { recursive: true });
    try {
      await unpackBundle(zip, staging);
      await rename(staging, dir);
    } catch (error) {
      await rm(staging, { recursive: true, force: true });
      if (await exists(dir)) return stored;
      await removeIfEmpty(functionDir);
      throw error;
    }
    return stored;
  }

  /**
   * Node decides whether a handler's `.js` files are CommonJS or ESM from the nearest
   * package.json. A bundle without its own must be read as Lambda reads it (CommonJS), not
   * by whatever package.json happens to sit above the data directory: this one stops the
   * search at the bundles' root.
   */
  async #fenceModuleScope(): Promise<void> {
    await mkdir(this.#rootDir, { recursive: true });
    await writeFile(join(this.#rootDir, 'package.json'), '{ "type": "commonjs" }\n');
  }

  /** The directory a function's bundle with this CodeSha256 (base64) unpacks to. */
  dirFor(name: string, sha256: string): string {
    const digest = Buffer.from(sha256, 'base64');
    if (digest.length !== 32) {
      throw new HeraldError('InvalidParameterValue', `Not a SHA-256 digest: ${sha256}`, {
        functionName: name,
      });
    }
    return join(this.#functionDir(name), digest.toString('hex'));
  }

  /** Whether the bundle with this CodeSha256 (base64) is unpacked here. */
  has(name: string, sha256: string): Promise<boolean> {
    return exists(this.dirFor(name, sha256));
  }

  /** Deletes every stored bundle of a function. */
  async remove(name: string): Promise<void> {
    await rm(this.#functionDir(name), { recursive: true, force: true });
  }

  #functionDir(name: string): string {
    if (!FUNCTION_NAME.test(name)) {
      throw new HeraldError('InvalidParameterValue', `Invalid function name: ${name}`, {
        functionName: name,
      });
    }
    return join(this.#rootDir, name);
  }
}

/** Removes a function's directory when a refused bundle left nothing else in it. */
async function removeIfEmpty(dir: string): Promise<void> {
  try {
    await rmdir(dir);
  } catch {
    // Not empty (other bundles, or another deploy under way) or already gone: keep it.
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
