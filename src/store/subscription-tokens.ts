/** What a restore token recreates: the deleted subscription's endpoint and attributes. */
export interface RestorableSubscription {
  protocol: string;
  endpoint: string;
  attributes: Record<string, string>;
}

/** A confirmation token and what confirming it does. */
export interface SubscriptionToken {
  token: string;
  topicArn: string;
  subscriptionArn: string;
  /** Set for the token of an UnsubscribeConfirmation: confirming it resubscribes. */
  restore?: RestorableSubscription;
  /** Epoch ms after which the token is no longer accepted. */
  expiresAt: number;
}

/** Durable confirmation tokens of HTTP(S) subscriptions. */
export interface SubscriptionTokenStore {
  put(token: SubscriptionToken): void;
  get(token: string): SubscriptionToken | undefined;
  /** Forgets every token that expired before `now`. */
  deleteExpired(now: number): void;
  /** Resolves once every write made so far is durable. */
  settled(): Promise<void>;
}
