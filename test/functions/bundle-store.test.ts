import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { bundleSha256 } from '../../src/functions/bundle.js';
import { BundleStore } from '../../src/functions/bundle-store.js';

function store(): { root: string; bundles: BundleStore } {
  const root = mkdtempSync(join(tmpdir(), 'herald-store-'));
  return { root, bundles: new BundleStore(root) };
}

const zip = zipSync({ 'index.mjs': strToU8('export const handler = async () => 1;\n') });

describe('BundleStore', () => {
  it("unpacks a bundle under the function's name and the hex of its sha", async () => {
    const { root, bundles } = store();

    const stored = await bundles.put('orders', zip);

    const hex = Buffer.from(bundleSha256(zip), 'base64').toString('hex');
    expect(stored).toEqual({
      dir: join(root, 'orders', hex),
      sha256: bundleSha256(zip),
      size: zip.byteLength,
    });
    expect(bundles.dirFor('orders', stored.sha256)).toBe(stored.dir);
    expect(readFileSync(join(stored.dir, 'index.mjs'), 'utf8')).toContain('handler');
  });

  it('stores the same bundle once, leaving no staging directories behind', async () => {
    const { root, bundles } = store();

    const [first, second] = await Promise.all([
      bundles.put('orders', zip),
      bundles.put('orders', zip),
    ]);

    expect(second).toEqual(first);
    expect(readdirSync(join(root, 'orders'))).toEqual([first.dir.split('/').pop()]);
  });

  it('leaves nothing behind when a bundle is rejected', async () => {
    const { root, bundles } = store();
    const refused = [
      zipSync({ '../../evil.js': strToU8('x') }),
      zipSync({ '/etc/evil.js': strToU8('x') }),
      zipSync({ a: strToU8('file'), 'a/b': strToU8('x'), 'index.mjs': strToU8('x') }),
      strToU8('not a zip'),
    ];

    for (const bundle of refused) {
      await expect(bundles.put('orders', bundle)).rejects.toMatchObject({
        code: 'InvalidParameterValue',
      });
      expect(existsSync(join(root, 'orders'))).toBe(false);
    }
  });

  it("keeps a function's other bundles when a new one is rejected", async () => {
    const { root, bundles } = store();
    const stored = await bundles.put('orders', zip);

    await expect(bundles.put('orders', strToU8('not a zip'))).rejects.toMatchObject({
      code: 'InvalidParameterValue',
    });

    expect(readdirSync(join(root, 'orders'))).toEqual([stored.dir.split('/').pop()]);
  });

  it("removes all of a function's bundles", async () => {
    const { root, bundles } = store();
    await bundles.put('orders', zip);

    await bundles.remove('orders');

    expect(existsSync(join(root, 'orders'))).toBe(false);
  });

  it('refuses function names that are not Lambda names', async () => {
    const { bundles } = store();

    await expect(bundles.put('../outside', zip)).rejects.toMatchObject({
      code: 'InvalidParameterValue',
    });
  });
});
