import { afterAll, describe, expect, it } from 'vitest';
import { FunctionPool } from '../../src/functions/pool.js';
import { silentLogger } from '../../src/log/logger.js';
import { fixtureFunction, invocationsOf } from './fixtures.js';

const pool = new FunctionPool({ logger: silentLogger(), maxThreadsPerFunction: 2 });
afterAll(() => pool.close());

describe('handler module formats', () => {
  it('runs an ESM handler from index.mjs', async () => {
    const [outcome] = await pool.invoke(fixtureFunction('esm'), invocationsOf('esm', [{ a: 1 }]));

    expect(outcome).toMatchObject({
      requestId: 'esm-0',
      status: 'ok',
      result: { echo: { a: 1 }, requestId: 'esm-0' },
    });
  });

  it('runs an ESM handler from index.js in a "type": "module" bundle', async () => {
    const [outcome] = await pool.invoke(fixtureFunction('esm-js'), invocationsOf('esm-js', [7]));

    expect(outcome).toMatchObject({ status: 'ok', result: { format: 'esm', echo: 7 } });
  });

  it('runs a CommonJS handler from index.js', async () => {
    const [outcome] = await pool.invoke(fixtureFunction('cjs'), invocationsOf('cjs', ['x']));

    expect(outcome).toMatchObject({ status: 'ok', result: { format: 'cjs', echo: 'x' } });
  });

  it('resolves a nested handler path such as src/app.main', async () => {
    const fn = fixtureFunction('nested', { handler: 'src/app.main' });
    const [outcome] = await pool.invoke(fn, invocationsOf('nested', [null]));

    expect(outcome).toMatchObject({ status: 'ok', result: 'nested' });
  });

  it('runs a TypeScript handler, with its relative imports, without a build step', async () => {
    const fn = fixtureFunction('typescript');
    const [outcome] = await pool.invoke(fn, invocationsOf('ts', [{ name: 'herald' }]));

    expect(outcome).toMatchObject({ status: 'ok', result: 'hello, herald' });
  });

  it('gives callback-style handlers a callback', async () => {
    const fn = fixtureFunction('callback');
    const outcomes = await pool.invoke(fn, invocationsOf('cb', [{ n: 1 }, { fail: true }]));

    expect(outcomes[0]).toMatchObject({
      status: 'ok',
      result: { style: 'callback', echo: { n: 1 } },
    });
    expect(outcomes[1]).toMatchObject({
      status: 'error',
      kind: 'handler',
      errorType: 'Error',
      errorMessage: 'callback failure',
    });
  });

  it('supports the legacy context.succeed and context.fail', async () => {
    const fn = fixtureFunction('legacy-context');
    const outcomes = await pool.invoke(fn, invocationsOf('legacy', [{}, { fail: true }]));

    expect(outcomes[0]).toMatchObject({ status: 'ok', result: { legacy: true } });
    expect(outcomes[1]).toMatchObject({ status: 'error', errorMessage: 'legacy failure' });
  });
});
