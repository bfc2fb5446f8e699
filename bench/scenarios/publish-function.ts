import {
  PAYLOAD_BYTES,
  deliveriesPerSecond,
  messagesPerSecond,
  type FanoutCase,
  type FanoutResult,
} from '../fanout-case.js';
import type { BenchTable, Scenario } from '../scenario.js';
import {
  BULLMQ_CHUNK,
  BULLMQ_WORKER_CONCURRENCY,
  redisAnswers,
  runBullmqFanout,
} from './bullmq-fanout.js';
import { HERALD_PUBLISHES_IN_FLIGHT, runHeraldFanout } from './herald-fanout.js';

/** Herald's target: at least this many times BullMQ's rate on the same machine. */
const TARGET_RATIO = 4;

const QUICK_CASES: FanoutCase[] = [
  { messages: 10_000, subscriptions: 1 },
  { messages: 10_000, subscriptions: 10 },
];
const FULL_CASES: FanoutCase[] = [
  ...QUICK_CASES,
  { messages: 100_000, subscriptions: 1 },
  { messages: 100_000, subscriptions: 10 },
];

/**
 * Run once per system and not measured, so that the measured cases run on JIT-compiled
 * code in this process (each case still starts a new Herald, new function workers, and a
 * new BullMQ consumer thread).
 */
const WARM_UP: FanoutCase = { messages: 10_000, subscriptions: 1 };

/** A case's outcome for one system: its result, the error that stopped it, or skipped. */
type Outcome = FanoutResult | Error | 'skipped';

async function attempt(
  system: string,
  fanout: FanoutCase,
  run: (fanout: FanoutCase) => Promise<FanoutResult>,
): Promise<Outcome> {
  const label = `${system} ${fanout.messages} messages x ${fanout.subscriptions} subscriptions`;
  process.stderr.write(`publish-function: ${label}...\n`);
  try {
    return await run(fanout);
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

function rateCells(outcome: Outcome): Array<string | number> {
  if (outcome === 'skipped') return ['skipped', 'skipped', 'skipped', 'skipped'];
  if (outcome instanceof Error) return ['failed', 'failed', 'failed', 'failed'];
  const latency = `${outcome.p50Ms.toFixed(2)} / ${outcome.p99Ms.toFixed(2)}`;
  const publishRate = Math.round(outcome.messages / (outcome.publishMs / 1000));
  return [publishRate, messagesPerSecond(outcome), deliveriesPerSecond(outcome), latency];
}

function ratio(herald: Outcome, bullmq: Outcome): string {
  if (herald === 'skipped' || herald instanceof Error) return 'n/a';
  if (bullmq === 'skipped' || bullmq instanceof Error) return 'n/a';
  return `${(messagesPerSecond(herald) / messagesPerSecond(bullmq)).toFixed(2)}x`;
}

function problems(system: string, fanout: FanoutCase, outcome: Outcome): string[] {
  const label = `${system}, ${fanout.messages} x ${fanout.subscriptions}`;
  if (outcome instanceof Error) return [`${label} failed: ${outcome.message}`];
  if (outcome === 'skipped') return [];
  const expected = fanout.messages * fanout.subscriptions;
  if (outcome.deliveries === expected) return [];
  return [`${label}: ${outcome.deliveries} deliveries counted, ${expected} expected`];
}

/**
 * Publish → function delivery on the embedded store against the same fan-out done with
 * BullMQ on the local Redis, case by case in one run.
 */
export async function runPublishFunctionBench(opts: { quick: boolean }): Promise<BenchTable> {
  const cases = opts.quick ? QUICK_CASES : FULL_CASES;
  const withRedis = await redisAnswers();
  const rows: Array<Array<string | number>> = [];
  const notes: string[] = [];
  const data: Array<{ fanout: FanoutCase; herald: Outcome; bullmq: Outcome }> = [];

  await attempt('Herald warm-up,', WARM_UP, runHeraldFanout);
  if (withRedis) await attempt('BullMQ warm-up,', WARM_UP, runBullmqFanout);

  for (const fanout of cases) {
    const herald = await attempt('Herald', fanout, runHeraldFanout);
    const bullmq = withRedis ? await attempt('BullMQ', fanout, runBullmqFanout) : 'skipped';
    rows.push([
      fanout.messages,
      fanout.subscriptions,
      ...rateCells(herald),
      ...rateCells(bullmq),
      ratio(herald, bullmq),
    ]);
    notes.push(...problems('Herald', fanout, herald), ...problems('BullMQ', fanout, bullmq));
    data.push({ fanout, herald, bullmq });
  }

  notes.push(
    `Messages of ${PAYLOAD_BYTES} bytes. msg/s = published messages fully delivered per ` +
      'second (first publish to last delivery); deliveries/s = handler invocations per second; ' +
      'publish/s = acknowledged publishes per second. Latency p50 / p99 in ms.',
    `Herald: embedded (createHerald), fresh data dir per case, herald.publish with ` +
      `${HERALD_PUBLISHES_IN_FLIGHT} publishes in flight; each subscription has its own no-op ` +
      'function (noop-0..noop-9), Protocol lambda, no filter policy. One warm-up message ' +
      'first. Latency = publish accepted to handler invoked, from herald.metrics().',
    `BullMQ: a queue per subscription, each message added to every queue (addBulk, ` +
      `${BULLMQ_CHUNK} jobs a call), one Worker per queue, concurrency ` +
      `${BULLMQ_WORKER_CONCURRENCY}, no-op processor, removeOnComplete; the Workers run in ` +
      'a consumer thread. Latency = processor start - job.timestamp (ms resolution).',
    `Warm-up: each system first runs one unmeasured ${WARM_UP.messages} x ` +
      `${WARM_UP.subscriptions} case in this process, so measured cases run on compiled ` +
      'code; every case still starts a new Herald and new function workers, or a new BullMQ ' +
      'consumer thread.',
    'Both systems get every message as fast as they accept it, so latencies are those of a ' +
      'saturated system working through a backlog, not of a paced load.',
    `Target: Herald at least ${TARGET_RATIO}x BullMQ's msg/s.`,
  );
  if (!withRedis) notes.push('BullMQ skipped: no Redis answered at 127.0.0.1:6379.');

  return {
    title: 'Publish → function delivery: Herald vs BullMQ',
    columns: [
      'Messages',
      'Subs',
      'Herald publish/s',
      'Herald msg/s',
      'Herald deliveries/s',
      'Herald p50 / p99 ms',
      'BullMQ add/s',
      'BullMQ msg/s',
      'BullMQ deliveries/s',
      'BullMQ p50 / p99 ms',
      'Herald ÷ BullMQ',
    ],
    rows,
    notes,
    data: data.map(({ fanout, herald, bullmq }) => ({
      ...fanout,
      herald: herald instanceof Error ? { error: herald.message } : herald,
      bullmq: bullmq instanceof Error ? { error: bullmq.message } : bullmq,
    })),
  };
}

/** The publish-function scenario, for the runner. */
export const publishFunctionScenario: Scenario = {
  name: 'publish-function',
  run: runPublishFunctionBench,
};
