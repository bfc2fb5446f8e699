import { DEMO_MAXIMUM_RETRY_ATTEMPTS } from './deploy.js';
import type { DemoResults } from './results.js';
import type { DemoSubscription } from './subscriptions.js';

/** One consistency check: what must hold, and what was seen when it did not. */
export interface Check {
  what: string;
  ok: boolean;
  seen: string;
}

function check(what: string, actual: number, expected: number): Check {
  return { what, ok: actual === expected, seen: `${actual}, expected ${expected}` };
}

/**
 * Accounts for every message: each published event is either matched or filtered out by
 * each subscription, each match is either delivered or dead-lettered, Herald's filtering
 * agrees with the demo's own reading of the policies, and each dead-lettered delivery is in
 * its queue after exactly 1 + MaximumRetryAttempts failed attempts.
 */
export function checkConsistency(results: DemoResults, subscriptions: DemoSubscription[]): Check[] {
  const { metrics, publish } = results;
  const published = publish.accepted.length;
  const checks: Check[] = [
    check('publish requests and entries refused', publish.failures.length, 0),
    check('messages Herald counts as published', metrics.published, published),
  ];

  for (const subscription of subscriptions) {
    const name = subscription.functionName;
    const arn = results.subscriptionArns.get(name) ?? '';
    const counts = metrics.subscriptions[arn];
    const expected = results.expectations.get(name) ?? { matched: 0, deadLettered: 0 };
    if (!counts) {
      checks.push({ what: `${name}: metrics present`, ok: false, seen: `none for ${arn}` });
      continue;
    }

    const { matched, filteredOut, delivered, deadLettered, failedAttempts, pending } = counts;
    checks.push(
      check(`${name}: matched + filtered out = published`, matched + filteredOut, published),
      check(`${name}: delivered + dead-lettered = matched`, delivered + deadLettered, matched),
      check(`${name}: matched as the demo expects`, matched, expected.matched),
      check(`${name}: dead-lettered as the demo expects`, deadLettered, expected.deadLettered),
      check(
        `${name}: failed attempts = dead-lettered x ${1 + DEMO_MAXIMUM_RETRY_ATTEMPTS}`,
        failedAttempts,
        deadLettered * (1 + DEMO_MAXIMUM_RETRY_ATTEMPTS),
      ),
      check(`${name}: nothing pending`, pending, 0),
    );

    if (subscription.deadLetterQueue) {
      const queue = subscription.deadLetterQueue;
      const inQueue = results.deadLetters.get(queue) ?? 0;
      checks.push(check(`${name}: messages in ${queue} = dead-lettered`, inQueue, deadLettered));
    }
  }

  return checks;
}
