import { afterAll, describe, expect, it } from 'vitest';
import { FunctionPool } from '../../src/functions/pool.js';
import { silentLogger } from '../../src/log/logger.js';
import { fixtureFunction, invocationsOf } from './fixtures.js';

const pool = new FunctionPool({ logger: silentLogger(), maxThreadsPerFunction: 2 });
afterAll(() => pool.close());

const TIMED_OUT = {
  status: 'error',
  kind: 'timeout',
  errorType: 'Sandbox.Timedout',
};

describe('timeouts', () => {
  it('times out a handler whose promise never settles, and only that one', async () => {
    const fn = fixtureFunction('hang-async');
    const outcomes = await pool.invoke(fn, invocationsOf('h', [{ hang: true }, {}]));

    expect(outcomes[0]).toMatchObject({
      ...TIMED_OUT,
      errorMessage: 'RequestId: h-0 Error: Task timed out after 1.00 seconds',
    });
    expect(outcomes[0]?.durationMs).toBeGreaterThanOrEqual(990);
    expect(outcomes[1]).toMatchObject({ status: 'ok', result: 'done' });
  });

  it('ends a handler that blocks its worker with a synchronous loop', async () => {
    const fn = fixtureFunction('busy-loop');
    const outcomes = await pool.invoke(fn, invocationsOf('b', [{}, { spin: true }, {}]));

    expect(outcomes[1]).toMatchObject({
      ...TIMED_OUT,
      errorMessage: 'RequestId: b-1 Error: Task timed out after 1.00 seconds',
    });
    expect(outcomes[0]).toMatchObject({ status: 'ok', result: 'done' });
    expect(outcomes[2]).toMatchObject({ status: 'ok', result: 'done' });
  });

  it('keeps serving the function after a blocked worker was terminated', async () => {
    const fn = fixtureFunction('busy-loop');
    const outcomes = await pool.invoke(fn, invocationsOf('after', [{}, {}]));

    expect(outcomes.map((outcome) => outcome.status)).toEqual(['ok', 'ok']);
  });
});
