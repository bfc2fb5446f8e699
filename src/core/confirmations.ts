import { randomBytes } from 'node:crypto';
import type { Subscription } from '../domain/subscription.js';
import type { ConfirmationSender } from '../delivery/http/confirmation-sender.js';
import { invalidParameter } from '../errors/index.js';
import type {
  RestorableSubscription,
  SubscriptionTokenStore,
} from '../store/subscription-tokens.js';
import type { ConfirmationHooks, SubscriptionService } from './subscriptions.js';

/** How long confirmations stay open, ms. */
export interface ConfirmationLifetimes {
  /** A token is accepted for this long after it was sent (AWS: 3 days). */
  tokenTtlMs: number;
  /** A subscription still pending after this long is deleted (AWS: 3 days). */
  pendingSubscriptionTtlMs: number;
}

/** Longest pause between two sweeps of expired tokens and pending subscriptions, ms. */
const MAX_SWEEP_INTERVAL_MS = 60_000;

/** Bytes of randomness in a token (shown as hex). */
const TOKEN_BYTES = 64;

/**
 * The HTTP(S) subscription handshake: sends a token to a new endpoint, confirms the
 * subscription when the token comes back (ConfirmSubscription or the SubscribeURL), and,
 * after an unsubscribe, offers a token that restores the subscription. Expired tokens and
 * subscriptions left pending too long are swept away.
 */
export class ConfirmationService implements ConfirmationHooks {
  private readonly sweepTimer: NodeJS.Timeout;
  private restoring = false;

  constructor(
    private readonly tokens: SubscriptionTokenStore,
    private readonly subscriptions: SubscriptionService,
    private readonly sender: ConfirmationSender,
    private readonly lifetimes: ConfirmationLifetimes,
  ) {
    this.sweep();
    const interval = Math.min(MAX_SWEEP_INTERVAL_MS, lifetimes.pendingSubscriptionTtlMs);
    this.sweepTimer = setInterval(() => this.sweep(), interval);
    this.sweepTimer.unref();
  }

  requested(subscription: Subscription): void {
    if (this.restoring) return;
    const token = this.issue(subscription);
    this.sender.send(
      {
        type: 'SubscriptionConfirmation',
        topicArn: subscription.topicArn,
        subscriptionArn: subscription.arn,
        token,
      },
      subscription.endpoint,
    );
  }

  unsubscribed(subscription: Subscription): void {
    const token = this.issue(subscription, {
      protocol: subscription.protocol,
      endpoint: subscription.endpoint,
      attributes: subscription.attributes,
    });
    this.sender.send(
      {
        type: 'UnsubscribeConfirmation',
        topicArn: subscription.topicArn,
        subscriptionArn: subscription.arn,
        token,
      },
      subscription.endpoint,
    );
  }

  /**
   * Confirms the subscription a token was sent for (or restores the one it was sent
   * after); confirming twice is harmless. Throws `InvalidParameter` for an unknown,
   * expired or other topic's token.
   */
  confirm(topicArn: string, token: string): Subscription {
    const found = this.tokens.get(token);
    if (!found || found.topicArn !== topicArn || found.expiresAt < Date.now()) {
      throw invalidParameter('Token', { parameter: 'Token', topicArn });
    }
    if (!found.restore) {
      return this.subscriptions.confirm(this.subscriptions.get(found.subscriptionArn));
    }

    const { protocol, endpoint, attributes } = found.restore;
    this.restoring = true;
    try {
      const restored = this.subscriptions.subscribe(topicArn, protocol, endpoint, attributes);
      return this.subscriptions.confirm(restored);
    } finally {
      this.restoring = false;
    }
  }

  /** Stops sweeping. */
  close(): void {
    clearInterval(this.sweepTimer);
  }

  private issue(subscription: Subscription, restore?: RestorableSubscription): string {
    const token = randomBytes(TOKEN_BYTES).toString('hex');
    this.tokens.put({
      token,
      topicArn: subscription.topicArn,
      subscriptionArn: subscription.arn,
      ...(restore === undefined ? {} : { restore }),
      expiresAt: Date.now() + this.lifetimes.tokenTtlMs,
    });
    return token;
  }

  private sweep(): void {
    const now = Date.now();
    this.tokens.deleteExpired(now);
    this.subscriptions.deletePendingBefore(now - this.lifetimes.pendingSubscriptionTtlMs);
  }
}
