import { describe, expect, it } from 'vitest';
import { HeraldError } from '../../src/errors/index.js';
import { FunctionPool } from '../../src/functions/pool.js';
import { silentLogger } from '../../src/log/logger.js';
import { fixtureFunction, invocationsOf } from './fixtures.js';

function results(outcomes: { status: string; result?: unknown }[]): unknown[] {
  return outcomes.map((outcome) => outcome.result);
}

describe('function pool lifecycle', () => {
  it('starts fresh workers when the function version changes', async () => {
    const pool = new FunctionPool({ logger: silentLogger(), maxThreadsPerFunction: 1 });

    await pool.invoke(fixtureFunction('state', { version: 'v1' }), invocationsOf('a', [1, 1]));
    const next = await pool.invoke(
      fixtureFunction('state', { version: 'v2' }),
      invocationsOf('b', [1]),
    );

    expect(results(next)).toEqual([1]);
    expect(pool.stats()['state']).toMatchObject({ coldStarts: 2, invocations: 3 });
    await pool.close();
  });

  it('lets the old version finish its batches while the new one starts', async () => {
    const pool = new FunctionPool({ logger: silentLogger(), maxThreadsPerFunction: 1 });

    const old = pool.invoke(
      fixtureFunction('exit', { version: 'v1' }),
      invocationsOf('a', [{ n: 1 }]),
    );
    const next = pool.invoke(
      fixtureFunction('exit', { version: 'v2' }),
      invocationsOf('b', [{ n: 2 }]),
    );

    expect(results(await old)).toEqual([1]);
    expect(results(await next)).toEqual([2]);
    await pool.close();
  });

  it('drops a function on unload and loads it again on the next invocation', async () => {
    const pool = new FunctionPool({ logger: silentLogger(), maxThreadsPerFunction: 1 });
    const fn = fixtureFunction('state');

    await pool.invoke(fn, invocationsOf('a', [1]));
    await pool.unload('state');
    expect(pool.stats()['state']?.activeWorkers).toBe(0);

    expect(results(await pool.invoke(fn, invocationsOf('b', [1])))).toEqual([1]);
    await pool.close();
  });

  it('releases idle workers: functions scale to zero', async () => {
    const pool = new FunctionPool({ logger: silentLogger(), idleTimeoutMs: 50 });

    await pool.invoke(fixtureFunction('esm'), invocationsOf('a', [1]));
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(pool.stats()['esm']?.activeWorkers).toBe(0);
    await pool.close();
  });

  it('lets in-flight invocations finish on close, then refuses new ones', async () => {
    const pool = new FunctionPool({ logger: silentLogger() });
    const running = pool.invoke(fixtureFunction('exit'), invocationsOf('a', [{ n: 5 }]));

    await pool.close();

    expect(results(await running)).toEqual([5]);
    await expect(pool.invoke(fixtureFunction('esm'), [])).rejects.toBeInstanceOf(HeraldError);
  });

  it('answers an empty batch with no outcomes', async () => {
    const pool = new FunctionPool({ logger: silentLogger() });

    expect(await pool.invoke(fixtureFunction('esm'), [])).toEqual([]);
    await pool.close();
  });
});
