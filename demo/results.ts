import type { HeraldMetrics } from '../src/core/herald.js';
import type { Expectation } from './expectations.js';
import type { PublishOutcome } from './publisher.js';

/** Everything the demo measured and counted, for the checks and the summary. */
export interface DemoResults {
  publish: PublishOutcome;
  /** PublishBatch requests kept in flight. */
  concurrency: number;
  /** From the first publish to Herald reporting idle. */
  endToEndMs: number;
  metrics: HeraldMetrics;
  /** Subscription ARN by function name. */
  subscriptionArns: Map<string, string>;
  /** The demo's own expectations by function name. */
  expectations: Map<string, Expectation>;
  /** Messages found in each dead-letter queue, by queue name. */
  deadLetters: Map<string, number>;
}
