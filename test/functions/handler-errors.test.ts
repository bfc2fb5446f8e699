import { afterAll, describe, expect, it } from 'vitest';
import { FunctionPool } from '../../src/functions/pool.js';
import { silentLogger } from '../../src/log/logger.js';
import { fixtureFunction, invocationsOf } from './fixtures.js';

const pool = new FunctionPool({ logger: silentLogger(), maxThreadsPerFunction: 2 });
afterAll(() => pool.close());

describe('handler errors', () => {
  it("serializes a thrown error like Lambda's error payload", async () => {
    const [outcome] = await pool.invoke(
      fixtureFunction('throws'),
      invocationsOf('e', [{ input: 3 }]),
    );

    expect(outcome).toMatchObject({
      requestId: 'e-0',
      status: 'error',
      kind: 'handler',
      errorType: 'ValidationError',
      errorMessage: 'bad input: 3',
    });
    expect(outcome?.status === 'error' && outcome.stackTrace?.[0]).toBe(
      'ValidationError: bad input: 3',
    );
  });

  it('reports a thrown string with its typeof as the error type', async () => {
    const fn = fixtureFunction('throws');
    const [outcome] = await pool.invoke(fn, invocationsOf('s', [{ throwString: true }]));

    expect(outcome).toMatchObject({
      status: 'error',
      kind: 'handler',
      errorType: 'string',
      errorMessage: 'plain string failure',
      stackTrace: [],
    });
  });

  it('fails every invocation when the handler module cannot be imported', async () => {
    const fn = fixtureFunction('bad-import');
    const outcomes = await pool.invoke(fn, invocationsOf('i', [1, 2]));

    for (const outcome of outcomes) {
      expect(outcome).toMatchObject({
        status: 'error',
        kind: 'crash',
        errorType: 'Runtime.ImportModuleError',
      });
    }
  });

  it('reports a handler that is not exported', async () => {
    const fn = fixtureFunction('esm', { handler: 'index.missing', name: 'esm-missing' });
    const [outcome] = await pool.invoke(fn, invocationsOf('m', [1]));

    expect(outcome).toMatchObject({
      status: 'error',
      errorType: 'Runtime.HandlerNotFound',
      errorMessage: 'index.missing is undefined or not exported',
    });
  });

  it('reports a handler file that does not exist', async () => {
    const fn = fixtureFunction('esm', { handler: 'main.handler', name: 'esm-no-file' });
    const [outcome] = await pool.invoke(fn, invocationsOf('f', [1]));

    expect(outcome).toMatchObject({
      status: 'error',
      errorType: 'Runtime.ImportModuleError',
      errorMessage: "Error: Cannot find module 'main'",
    });
  });
});
