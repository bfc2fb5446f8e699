import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { unzipSync, zipSync, type UnzipFileInfo, type Zippable } from 'fflate';
import { HeraldError } from '../errors/index.js';

/** Lambda's limit on a bundle's unzipped size. */
export const MAX_UNZIPPED_BYTES = 262_144_000;

/** A fixed modification time, so that the same files always give the same zip and sha. */
const ZIP_MTIME = new Date('1980-01-01T00:00:00Z');

/**
 * Zips a directory as a function code bundle, node_modules included (as Lambda bundles
 * are) and `.git` directories left out. Entries are sorted and timestamped alike, so the
 * same files give the same bytes and the same CodeSha256.
 */
export function zipDirectory(dir: string): Uint8Array {
  const files: Zippable = {};
  for (const path of listFiles(dir, '')) {
    files[path] = readFileSync(join(dir, path));
  }
  return zipSync(files, { level: 6, mtime: ZIP_MTIME });
}

/**
 * Unpacks a code bundle into `targetDir`. Rejects, before writing anything, a zip that is
 * not one, an entry that escapes the target (`../`, absolute paths), entries that need one
 * path to be both a file and a directory, and a bundle larger than Lambda's unzipped limit.
 */
export async function unpackBundle(zip: Uint8Array, targetDir: string): Promise<void> {
  const root = resolve(targetDir);
  const entries = unzipEntries(zip, root);
  checkLayout(Object.keys(entries), root);

  for (const [name, content] of Object.entries(entries)) {
    const target = resolve(root, name);
    try {
      if (name.endsWith('/')) {
        await mkdir(target, { recursive: true });
        continue;
      }
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, content);
    } catch (error) {
      if (!isEntryFault(error)) throw error;
      throw invalidBundle(`Bundle entry ${JSON.stringify(name)} cannot be unpacked`, error);
    }
  }
}

/** The base64 SHA-256 of a bundle, as Lambda reports `CodeSha256`. */
export function bundleSha256(zip: Uint8Array): string {
  return createHash('sha256').update(zip).digest('base64');
}

function listFiles(dir: string, prefix: string): string[] {
  const entries = readdirSync(join(dir, prefix), { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  const files: string[] = [];
  for (const entry of entries) {
    const path = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) {
      if (entry.name !== '.git') files.push(...listFiles(dir, path));
    } else if (entry.isFile() || statSync(join(dir, path)).isFile()) {
      files.push(path);
    }
  }
  return files;
}

function unzipEntries(zip: Uint8Array, root: string): Record<string, Uint8Array> {
  let unzippedBytes = 0;
  const check = (file: UnzipFileInfo): boolean => {
    if (escapes(root, file.name)) {
      throw invalidBundle(`Bundle entry ${JSON.stringify(file.name)} is outside the bundle`);
    }
    unzippedBytes += file.originalSize;
    if (unzippedBytes > MAX_UNZIPPED_BYTES) {
      throw invalidBundle(`Unzipped size must be smaller than ${MAX_UNZIPPED_BYTES} bytes`);
    }
    return true;
  };

  try {
    return unzipSync(zip, { filter: check });
  } catch (error) {
    if (error instanceof HeraldError) throw error;
    throw invalidBundle(
      'Could not unzip uploaded file. Please check your file, then try to upload again.',
      error,
    );
  }
}

/**
 * Refuses entries that cannot all be unpacked: a file whose path another entry needs as a
 * directory (`a` and `a/b`), or a file standing for the bundle's root.
 */
function checkLayout(names: readonly string[], root: string): void {
  const files = new Set<string>();
  const directories = new Set<string>();
  for (const name of names) {
    const parts = relative(root, resolve(root, name))
      .split(sep)
      .filter((part) => part !== '');
    if (!name.endsWith('/')) {
      if (parts.length === 0) {
        throw invalidBundle(`Bundle entry ${JSON.stringify(name)} is not a file name`);
      }
      files.add(parts.join('/'));
      parts.pop();
    }
    for (let i = 1; i <= parts.length; i++) directories.add(parts.slice(0, i).join('/'));
  }
  for (const file of files) {
    if (directories.has(file)) {
      throw invalidBundle(
        `Bundle entries conflict: ${JSON.stringify(file)} is both a file and a directory`,
      );
    }
  }
}

/** Write errors an entry's name causes (not the server's disk): the bundle's fault. */
function isEntryFault(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EEXIST' || code === 'ENOTDIR' || code === 'EISDIR' || code === 'ENAMETOOLONG';
}

function escapes(root: string, name: string): boolean {
  if (name.includes('\0') || name.includes('\\')) return true;
  const target = resolve(root, name);
  return target !== root && !target.startsWith(root + sep);
}

function invalidBundle(message: string, cause?: unknown): HeraldError {
  return new HeraldError('InvalidParameterValue', message, {}, cause);
}
