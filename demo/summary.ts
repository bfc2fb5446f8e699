import type { Check } from './checks.js';
import type { DemoResults } from './results.js';
import type { DemoSubscription } from './subscriptions.js';
import { formatTable } from './table.js';

function perSecond(count: number, ms: number): string {
  return `${Math.round(count / (ms / 1000)).toLocaleString('en-US')} msg/s`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** The summary the demo ends with: totals, rates, latency, per-subscription counts, checks. */
export function formatSummary(
  results: DemoResults,
  subscriptions: DemoSubscription[],
  checks: Check[],
): string {
  const { metrics, publish } = results;
  const published = publish.accepted.length;
  const { latency } = metrics;

  const rows = subscriptions.map((subscription) => {
    const name = subscription.functionName;
    const counts = metrics.subscriptions[results.subscriptionArns.get(name) ?? ''];
    const expected = results.expectations.get(name);
    return [
      name,
      subscription.describes,
      counts?.matched ?? 0,
      expected?.matched ?? 0,
      counts?.filteredOut ?? 0,
      counts?.delivered ?? 0,
      counts?.failedAttempts ?? 0,
      counts?.deadLettered ?? 0,
    ];
  });
  const table = formatTable(
    [
      'Function',
      'Filter policy',
      'Matched',
      'Expected',
      'Filtered out',
      'Delivered',
      'Failed attempts',
      'Dead-lettered',
    ],
    rows,
  );

  const queues = [...results.deadLetters].map(([queue, count]) => `${queue} holds ${count}`);
  const failed = checks.filter((c) => !c.ok).map((c) => `  FAILED ${c.what}: ${c.seen}`);
  const verdict = failed.length
    ? `Summary: ${failed.length} of ${checks.length} checks FAILED`
    : `Summary: all ${checks.length} checks passed, every message accounted for`;

  return [
    '',
    `Published        ${published.toLocaleString('en-US')} order events`,
    `Publish rate     ${perSecond(published, publish.durationMs)} ` +
      `(PublishBatch x10, ${results.concurrency} in flight, ${seconds(publish.durationMs)})`,
    `End-to-end rate  ${perSecond(published, results.endToEndMs)} ` +
      `(first publish to all delivered, ${seconds(results.endToEndMs)})`,
    `Latency          p50 ${latency.p50Ms.toFixed(2)} ms, p99 ${latency.p99Ms.toFixed(2)} ms ` +
      `(publish accepted to handler invoked, ${latency.count.toLocaleString('en-US')} invocations)`,
    '',
    table,
    '',
    `Dead-letter queues: ${queues.join(', ') || 'none'}`,
    ...failed,
    verdict,
  ].join('\n');
}
