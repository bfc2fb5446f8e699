import type { OrderEvent } from './orders.js';
import type { DemoSubscription } from './subscriptions.js';

/** What the demo expects of one subscription, worked out without asking Herald. */
export interface Expectation {
  matched: number;
  deadLettered: number;
}

/** Counts, per subscription, the published events its policy matches and its function rejects. */
export function expectOutcomes(
  subscriptions: DemoSubscription[],
  published: OrderEvent[],
): Map<string, Expectation> {
  const expectations = new Map<string, Expectation>();

  for (const subscription of subscriptions) {
    const expectation = { matched: 0, deadLettered: 0 };
    for (const event of published) {
      if (!subscription.expectsMatch(event)) continue;
      expectation.matched += 1;
      if (subscription.expectsFailure?.(event)) expectation.deadLettered += 1;
    }
    expectations.set(subscription.functionName, expectation);
  }

  return expectations;
}
