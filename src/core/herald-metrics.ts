import type { HeraldMetrics as DeliverySnapshot } from '../delivery/metrics.js';
import type {
  ConcurrencyGovernor,
  FunctionConcurrency,
} from '../functions/concurrency-governor.js';
import type { FunctionPool } from '../functions/pool.js';

/** One function's metrics: its concurrency, cold starts and invocations since start. */
export interface FunctionMetrics extends FunctionConcurrency {
  /** Handler module loads: one per execution environment (worker) started. */
  coldStarts: number;
  invocations: number;
  /** Execution environments (worker threads) alive. */
  activeWorkers: number;
}

/** A snapshot of Herald's metrics: deliveries, latency and functions. */
export interface HeraldMetrics extends DeliverySnapshot {
  functions: Record<string, FunctionMetrics>;
}

/**
 * Joins the delivery metrics with each function's concurrency and pool counters. The
 * internal subscriptions that carry Event invocations are left out of `subscriptions`.
 */
export function heraldMetrics(
  delivery: DeliverySnapshot,
  governor: ConcurrencyGovernor,
  pool: FunctionPool,
): HeraldMetrics {
  const subscriptions: DeliverySnapshot['subscriptions'] = {};
  for (const [arn, counters] of Object.entries(delivery.subscriptions)) {
    const internal = counters.protocol === 'lambda' && counters.topicArn === counters.endpoint;
    if (!internal) subscriptions[arn] = counters;
  }

  const concurrency = governor.snapshot();
  const stats = pool.stats();
  const functions: Record<string, FunctionMetrics> = {};
  for (const name of new Set([...Object.keys(concurrency), ...Object.keys(stats)])) {
    const pooled = stats[name];
    functions[name] = {
      concurrency: 0,
      peakConcurrency: 0,
      limit: 0,
      waiting: 0,
      ...concurrency[name],
      coldStarts: pooled?.coldStarts ?? 0,
      invocations: pooled?.invocations ?? 0,
      activeWorkers: pooled?.activeWorkers ?? 0,
    };
  }
  return { ...delivery, subscriptions, functions };
}
