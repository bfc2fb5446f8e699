import { afterAll, describe, expect, it } from 'vitest';
import { FunctionPool } from '../../src/functions/pool.js';
import type { InvocationOutcome } from '../../src/functions/invocation.js';
import { fixtureFunction, invocationsOf, memoryLogger } from './fixtures.js';

const pool = new FunctionPool({ logger: memoryLogger().logger, maxThreadsPerFunction: 2 });
const oneThread = new FunctionPool({ logger: memoryLogger().logger, maxThreadsPerFunction: 1 });
afterAll(() => Promise.all([pool.close(), oneThread.close()]));

/** The most invocations that ran at the same time, from their start times and durations. */
function mostAtOnce(outcomes: InvocationOutcome[]): number {
  const edges = outcomes.flatMap(({ startedAt, durationMs }) => [
    [startedAt, 1],
    [startedAt + durationMs, -1],
  ]);
  edges.sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
  let running = 0;
  let most = 0;
  for (const [, change] of edges) most = Math.max(most, (running += change!));
  return most;
}

/** Batches from many deliveries share a function's few worker threads. */
describe('worker threads shared by batches', () => {
  it('runs the invocations of many one-invocation batches side by side', async () => {
    const fn = fixtureFunction('sleep', { timeoutSeconds: 10 });
    const batches = Array.from({ length: 40 }, (_, n) =>
      pool.invoke(fn, invocationsOf(`s${n}`, [{ ms: 300, n }])),
    );
    const outcomes = (await Promise.all(batches)).flat();

    expect(outcomes.map((outcome) => outcome.status)).toEqual(Array(40).fill('ok'));
    expect(mostAtOnce(outcomes)).toBeGreaterThan(20);
  });

  it('fails only the invocation that kills a shared thread, not its neighbours', async () => {
    const fn = fixtureFunction('exit');
    const [killer, neighbour] = await Promise.all([
      oneThread.invoke(fn, invocationsOf('k', [{ exit: true }])),
      oneThread.invoke(fn, invocationsOf('n', [{ n: 7 }])),
    ]);

    expect(killer[0]).toMatchObject({ status: 'error', kind: 'crash' });
    expect(neighbour[0]).toMatchObject({ status: 'ok', result: 7 });
  });

  it('times out only the invocation that blocks a shared thread', async () => {
    const fn = fixtureFunction('busy-loop');
    const [blocker, neighbour] = await Promise.all([
      oneThread.invoke(fn, invocationsOf('b', [{ spin: true }])),
      oneThread.invoke(fn, invocationsOf('n', [{}])),
    ]);

    expect(blocker[0]).toMatchObject({ status: 'error', kind: 'timeout' });
    expect(neighbour[0]).toMatchObject({ status: 'ok', result: 'done' });
  });
});
