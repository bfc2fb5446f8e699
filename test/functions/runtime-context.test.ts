import { afterAll, describe, expect, it } from 'vitest';
import { FunctionPool } from '../../src/functions/pool.js';
import { fixtureFunction, invocationsOf, memoryLogger } from './fixtures.js';

const CLOCK_SLACK_MS = 5;

const { logger, records } = memoryLogger();
const pool = new FunctionPool({ logger, maxThreadsPerFunction: 1 });
afterAll(() => pool.close());

describe('what a handler sees', () => {
  it('keeps module state between invocations and counts one cold start', async () => {
    const fn = fixtureFunction('state');
    const first = await pool.invoke(fn, invocationsOf('a', [null, null]));
    const second = await pool.invoke(fn, invocationsOf('b', [null]));

    expect(
      [...first, ...second].map((outcome) => outcome.status === 'ok' && outcome.result),
    ).toEqual([1, 2, 3]);
    expect(pool.stats()['state']).toEqual({ coldStarts: 1, invocations: 3, activeWorkers: 1 });
  });

  it("sees the function's environment and Lambda's reserved variables", async () => {
    const fn = fixtureFunction('env', { environment: { GREETING: 'hello' } });
    const [outcome] = await pool.invoke(fn, invocationsOf('env', [null]));

    expect(outcome).toMatchObject({
      status: 'ok',
      result: {
        greeting: 'hello',
        functionName: 'env',
        region: 'us-east-1',
        taskRoot: fn.dir,
        handler: 'index.handler',
      },
    });
  });

  it("gets Lambda's context, with a remaining time that decreases", async () => {
    const fn = fixtureFunction('context');
    const [outcome] = await pool.invoke(fn, invocationsOf('ctx', [null]));
    if (outcome?.status !== 'ok') throw new Error(`invocation failed: ${JSON.stringify(outcome)}`);

    const result = outcome.result as { before: number; after: number; fields: object };
    expect(result.before).toBeLessThanOrEqual(1000);
    expect(result.before).toBeGreaterThan(900);
    expect(result.after).toBeLessThanOrEqual(result.before - 45);
    expect(result.fields).toMatchObject({
      awsRequestId: 'ctx-0',
      functionName: 'context',
      functionVersion: '$LATEST',
      invokedFunctionArn: fn.arn,
      memoryLimitInMB: '128',
      logGroupName: '/aws/lambda/context',
      callbackWaitsForEmptyEventLoop: true,
    });
    expect(outcome).toMatchObject({ result: { methods: Array(4).fill('function') } });
  });

  it("forwards console output to Herald's logger, with each line's request id", async () => {
    const fn = fixtureFunction('console');
    await pool.invoke(fn, invocationsOf('log', [{ id: 'one' }, { id: 'two' }]));

    const lines = records
      .filter((record) => record['functionName'] === 'console')
      .map(({ level, requestId, msg }) => ({ level, requestId, msg }));
    expect(lines).toEqual(
      expect.arrayContaining([
        { level: 30, requestId: undefined, msg: 'module loaded' },
        { level: 30, requestId: 'log-0', msg: 'processing one' },
        { level: 30, requestId: 'log-1', msg: 'processing two' },
        { level: 50, requestId: 'log-0', msg: 'after await for one' },
        { level: 50, requestId: 'log-1', msg: 'after await for two' },
      ]),
    );
  });

  it('reports when the worker called the handler and for how long', async () => {
    const before = Date.now();
    const [outcome] = await pool.invoke(fixtureFunction('esm'), invocationsOf('t', [null]));

    // Threads read the wall clock through their own time origin: allow a few ms apart.
    expect(outcome?.startedAt).toBeGreaterThanOrEqual(before - CLOCK_SLACK_MS);
    expect(outcome?.startedAt).toBeLessThanOrEqual(Date.now() + CLOCK_SLACK_MS);
    expect(outcome?.durationMs).toBeGreaterThanOrEqual(0);
  });
});
