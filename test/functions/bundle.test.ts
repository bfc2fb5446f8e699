import { mkdtempSync, mkdirSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { describe, expect, it } from 'vitest';
import { HeraldError } from '../../src/errors/index.js';
import { bundleSha256, unpackBundle, zipDirectory } from '../../src/functions/bundle.js';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'herald-bundle-'));
}

function sourceTree(): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'node_modules/left-pad'), { recursive: true });
  mkdirSync(join(dir, '.git'));
  writeFileSync(join(dir, 'index.mjs'), 'export const handler = async () => 1;\n');
  writeFileSync(join(dir, 'node_modules/left-pad/index.js'), 'module.exports = 1;\n');
  writeFileSync(join(dir, '.git/HEAD'), 'ref: refs/heads/main\n');
  return dir;
}

describe('code bundles', () => {
  it('zips a directory with node_modules and without .git', () => {
    const entries = Object.keys(unzipSync(zipDirectory(sourceTree())));

    expect(entries.sort()).toEqual(['index.mjs', 'node_modules/left-pad/index.js']);
  });

  it('gives the same files the same bytes and CodeSha256', () => {
    const first = zipDirectory(sourceTree());
    const second = zipDirectory(sourceTree());

    expect(bundleSha256(second)).toBe(bundleSha256(first));
    expect(bundleSha256(first)).toMatch(/^[A-Za-z0-9+/]{43}=$/);
  });

  it('unpacks a bundle into a directory', async () => {
    const target = tempDir();

    await unpackBundle(zipDirectory(sourceTree()), target);

    expect(readFileSync(join(target, 'node_modules/left-pad/index.js'), 'utf8')).toBe(
      'module.exports = 1;\n',
    );
  });

  it('rejects an entry that escapes the target directory, writing nothing', async () => {
    const target = join(tempDir(), 'bundle');
    const zip = zipSync({ 'index.js': strToU8('ok'), '../escaped.js': strToU8('evil') });

    await expect(unpackBundle(zip, target)).rejects.toMatchObject({
      code: 'InvalidParameterValue',
      message: 'Bundle entry "../escaped.js" is outside the bundle',
    });
    expect(existsSync(target)).toBe(false);
  });

  it('rejects entries that need one path as a file and a directory, writing nothing', async () => {
    const conflicts: Zippable[] = [
      { a: strToU8('file'), 'a/b': strToU8('x'), 'index.mjs': strToU8('x') },
      { 'a/b': strToU8('x'), a: strToU8('file') },
      { 'lib/': new Uint8Array(), 'x/../lib': strToU8('file') },
    ];

    for (const entries of conflicts) {
      const target = join(tempDir(), 'bundle');
      await expect(unpackBundle(zipSync(entries), target)).rejects.toMatchObject({
        code: 'InvalidParameterValue',
        status: 400,
        message: expect.stringMatching(/is both a file and a directory/) as unknown,
      });
      expect(existsSync(target)).toBe(false);
    }
  });

  it('refuses an entry name too long to write as a bad bundle', async () => {
    const zip = zipSync({ [`${'n'.repeat(300)}.js`]: strToU8('x') });

    await expect(unpackBundle(zip, tempDir())).rejects.toMatchObject({
      code: 'InvalidParameterValue',
      status: 400,
    });
  });

  it('rejects bytes that are not a zip', async () => {
    const error = await unpackBundle(strToU8('not a zip'), tempDir()).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(HeraldError);
    expect(error).toMatchObject({ code: 'InvalidParameterValue', status: 400 });
  });
});
