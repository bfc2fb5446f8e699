import type { PublishedMessage } from '../domain/message.js';
import type { Subscription } from '../domain/subscription.js';

/** A message held in memory while any of its deliveries is pending. */
export interface MessageEntry {
  message: PublishedMessage;
  /** Deliveries of this message not yet acked or dead-lettered. */
  remaining: number;
}

/** One message on its way to one subscription. */
export interface Delivery {
  entry: MessageEntry;
  subscription: Subscription;
  /** Failed attempts so far. */
  attempt: number;
  /** Epoch ms before which it must not be attempted. */
  dueAt: number;
  lastError?: string;
}

/** What became of one delivery attempt. */
export type DeliveryOutcome =
  | { ok: true; /** Epoch ms when the consumer got it, for latency. */ startedAt?: number }
  | { ok: false; error: string; /** False when retrying cannot help. */ retryable?: boolean };

/**
 * An endpoint deliveries go to: a function, a queue, an HTTP endpoint. Several
 * subscriptions may share one target (two topics feeding one function), and then share
 * its concurrency.
 */
export interface DeliveryTarget {
  /** Identifies the endpoint, e.g. `lambda:NAME`. */
  readonly key: string;
  /** Most deliveries in flight at once. */
  concurrency(): number;
  /** Most deliveries handed over in one call. */
  readonly maxBatch: number;
  /** Attempts allowed in all (first try plus retries) before dead-lettering. */
  maxAttempts(subscription: Subscription): number;
  /** Delay before retry number `attempt` (1 for the first retry), in ms. */
  retryDelayMs(attempt: number, subscription: Subscription): number;
  /** Delivers a batch; resolves with one outcome per delivery, in order; never rejects. */
  deliver(batch: readonly Delivery[]): Promise<DeliveryOutcome[]>;
  /** For a target whose concurrency scales: how many deliveries wait for it, after each pump. */
  reportBacklog?(waiting: number): void;
  /** For a target whose concurrency scales: `wake` is called whenever its limit grows. */
  watchCapacity?(wake: () => void): void;
}
