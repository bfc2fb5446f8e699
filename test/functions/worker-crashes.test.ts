import { afterAll, describe, expect, it } from 'vitest';
import { FunctionPool } from '../../src/functions/pool.js';
import { fixtureFunction, invocationsOf, memoryLogger } from './fixtures.js';

const { logger, records } = memoryLogger();
const pool = new FunctionPool({ logger, maxThreadsPerFunction: 2 });
afterAll(() => pool.close());

/** Expects `outcomes[index]` to be a crash with this error type and message. */
function expectCrash(
  outcomes: unknown[],
  index: number,
  errorType: string,
  errorMessage: string,
): void {
  expect(outcomes[index]).toMatchObject({
    status: 'error',
    kind: 'crash',
    errorType,
    errorMessage,
  });
}

describe('handlers that take their worker down', () => {
  it('fails only the invocation that calls process.exit(1)', async () => {
    const fn = fixtureFunction('exit');
    const outcomes = await pool.invoke(fn, invocationsOf('x', [{ exit: true }, { n: 2 }]));

    expectCrash(
      outcomes,
      0,
      'Runtime.ExitError',
      'RequestId: x-0 Error: Runtime exited with error: exit status 1',
    );
    expect(outcomes[1]).toMatchObject({ status: 'ok', result: 2 });
  });

  it('fails only the invocation whose timer throws an uncaught exception', async () => {
    const fn = fixtureFunction('uncaught-timer');
    const outcomes = await pool.invoke(fn, invocationsOf('u', [{}, { explode: true }]));

    expectCrash(outcomes, 1, 'Error', 'thrown from a timer');
    expect(outcomes[0]).toMatchObject({ status: 'ok', result: 'survived' });
  });

  it('fails only the invocation that leaves a promise rejection unhandled', async () => {
    const fn = fixtureFunction('unhandled-rejection');
    const outcomes = await pool.invoke(fn, invocationsOf('r', [{ reject: true }, {}]));

    expectCrash(outcomes, 0, 'Runtime.UnhandledPromiseRejection', 'Error: nobody handles this');
    expect(outcomes[1]).toMatchObject({ status: 'ok', result: 'survived' });
  });

  it('fails only the invocation that runs its worker out of memory', async () => {
    const fn = fixtureFunction('oom', { memoryMb: 32 });
    const outcomes = await pool.invoke(fn, invocationsOf('m', [{ hog: true }, {}]));

    expectCrash(
      outcomes,
      0,
      'Runtime.OutOfMemory',
      'RequestId: m-0 Error: Runtime exited with error: signal: killed',
    );
    expect(outcomes[1]).toMatchObject({ status: 'ok', result: 'small' });
  });

  it('fails a whole batch, with no re-run, when the module exits while loading', async () => {
    const fn = fixtureFunction('exit-on-load');
    const outcomes = await pool.invoke(fn, invocationsOf('l', [1, 2, 3]));

    expect(outcomes.map((outcome) => outcome.status === 'error' && outcome.errorMessage)).toEqual(
      [0, 1, 2].map((n) => `RequestId: l-${n} Error: Runtime exited with error: exit status 3`),
    );
    expect(records.filter((record) => record['functionName'] === 'exit-on-load')).toEqual([]);
  });

  it('completes the other 199 of a batch of 200 when one kills the worker', async () => {
    const payloads = Array.from({ length: 200 }, (_, n) => (n === 137 ? { exit: true } : { n }));
    const outcomes = await pool.invoke(fixtureFunction('exit'), invocationsOf('big', payloads));

    expect(outcomes).toHaveLength(200);
    outcomes.forEach((outcome, n) => {
      expect(outcome.requestId).toBe(`big-${n}`);
      if (n === 137) expect(outcome).toMatchObject({ status: 'error', kind: 'crash' });
      else expect(outcome).toMatchObject({ status: 'ok', result: n });
    });
  });
});
