import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import type { OrderEvent } from './orders.js';

/** The folder holding the example functions. */
export const EXAMPLES_DIR = fileURLToPath(new URL('../examples/', import.meta.url));

/**
 * One of the demo's subscriptions: an example function, the filter policy it is subscribed
 * with, and the demo's own reading of that policy, so that Herald's filtering can be checked
 * against an independent answer.
 */
export interface DemoSubscription {
  functionName: string;
  /** The filter policy in a few words, for the summary. */
  describes: string;
  filterPolicy: string;
  /** Whether the filter policy should let `event` through. */
  expectsMatch(event: OrderEvent): boolean;
  /** Whether the function always fails for `event`; set when the subscription has a DLQ. */
  expectsFailure?(event: OrderEvent): boolean;
  /** The built-in queue that receives this subscription's exhausted deliveries. */
  deadLetterQueue?: string;
}

const NOTIFIED_STORES = new Set(['example_corp', 'anycompany_berlin']);
const NOT_AUDITED = new Set(['order_placed', 'order_shipped']);
const WELL_FORMED_SKU = /^SKU-\d{6}$/;

function policyOf(functionName: string): string {
  return readFileSync(`${EXAMPLES_DIR}${functionName}/filter-policy.json`, 'utf8');
}

/** The four subscriptions the demo makes on its `orders` topic. */
export const DEMO_SUBSCRIPTIONS: DemoSubscription[] = [
  {
    functionName: 'store-notifier',
    describes: 'store in 2 stores, placed',
    filterPolicy: policyOf('store-notifier'),
    expectsMatch: (e) => NOTIFIED_STORES.has(e.store) && e.eventType === 'order_placed',
  },
  {
    functionName: 'big-spender',
    describes: '250 <= price_usd < 20000',
    filterPolicy: policyOf('big-spender'),
    expectsMatch: (e) => e.priceUsd >= 250 && e.priceUsd < 20_000,
  },
  {
    functionName: 'refund-auditor',
    describes: 'anything-but placed/shipped',
    filterPolicy: policyOf('refund-auditor'),
    expectsMatch: (e) => !NOT_AUDITED.has(e.eventType),
  },
  {
    functionName: 'flaky-fulfilment',
    describes: 'placed, sku prefix SKU-',
    filterPolicy: policyOf('flaky-fulfilment'),
    expectsMatch: (e) => e.eventType === 'order_placed' && e.sku.startsWith('SKU-'),
    expectsFailure: (e) => e.quantity === 13 || !WELL_FORMED_SKU.test(e.sku),
    deadLetterQueue: 'flaky-fulfilment-dlq',
  },
];
