import type { Logger } from '../log/logger.js';

/**
 * Where a cluster of Herald nodes keeps its shared state: NATS JetStream. Unset values come
 * from {@link DEFAULTS}.
 */
export interface NatsStoreSettings {
  kind: 'nats';
  /** NATS server URLs, e.g. `nats://127.0.0.1:4222`. */
  servers: string[];
  /** Copies JetStream keeps of each stream and bucket. */
  replicas?: number;
  /** Prefix of every stream, bucket and subject: one per Herald cluster. */
  prefix?: string;
  /** How long a node may hold a delivery unacknowledged before another node takes it, ms. */
  ackWaitMs?: number;
}

/** How to run a Herald. Unset values come from {@link DEFAULTS}. */
export interface HeraldOptions {
  /**
   * Folder for the database and function code; with a NATS store, for this node's
   * unpacked function code and signing key only.
   */
  dataDir: string;
  /** A shared NATS store; unset, the embedded SQLite store in `dataDir`. */
  store?: NatsStoreSettings;
  logger?: Logger;
  region?: string;
  accountId?: string;
  maxMessageBytes?: number;
  /** Base URL clients reach this server at; used in SigningCertURL/UnsubscribeURL. */
  publicUrl?: string;
  /** The cap of a function without reserved concurrency. */
  functionConcurrency?: number;
  /** Invocations in flight across all functions. */
  functionConcurrencyLimit?: number;
  /** Executions a function may add per second while deliveries wait. */
  functionScaleUpPerSecond?: number;
  /** Executions a function may add at once after a quiet spell. */
  functionScaleUpBurst?: number;
  /** Unused executions (and idle workers) are released after this long, ms. */
  functionIdleReleaseMs?: number;
  retryBaseDelayMs?: number;
  retryMaxDelayMs?: number;
  defaultDeadLetterQueue?: string;
  /** Worker threads per function (default: CPU count). */
  maxThreadsPerFunction?: number;
  /** Lets subscriptions deliver to loopback, link-local and private addresses. */
  allowPrivateEndpoints?: boolean;
  /** PEM private key to sign SNS messages with (default: generated in the data dir). */
  signingKeyFile?: string;
  /** PEM certificate of `signingKeyFile`, served at SigningCertURL. */
  signingCertFile?: string;
  /** PEM CA certificates to trust, besides the system's, for https endpoints. */
  caFile?: string;
  /** Multiplies delivery-policy delays (tests use e.g. 0.05 so that 1 s becomes 50 ms). */
  deliveryPolicyTimeScale?: number;
  /** How long one POST to an HTTP(S) endpoint may take, ms. */
  httpTimeoutMs?: number;
  /** How long a subscription confirmation token is accepted, ms. */
  confirmationTokenTtlMs?: number;
  /** How long an HTTP(S) subscription may stay unconfirmed before it is deleted, ms. */
  pendingSubscriptionTtlMs?: number;
}
