/** Every default Herald uses, in one place. */
export const DEFAULTS = {
  host: '127.0.0.1',
  port: 4575,
  dataDir: '.herald',
  region: 'us-east-1',
  accountId: '000000000000',
  logLevel: 'info',
  /** SNS's payload limit: body plus attribute names, types and values. */
  maxMessageBytes: 256 * 1024,
  /** Invocations of one function in flight when it reserves no concurrency (Lambda: 1,000). */
  functionConcurrency: 1000,
  /** Invocations in flight across all functions (Lambda's default account limit). */
  functionConcurrencyLimit: 1000,
  /** Executions a function may add per second under a backlog (Lambda: 1,000 per 10 s). */
  functionScaleUpPerSecond: 100,
  /** Executions a function may add at once after a quiet spell. */
  functionScaleUpBurst: 1000,
  /** Unused executions are released after this long; workers stop after it too, ms. */
  functionIdleReleaseMs: 60_000,
  /** Retries after a failed asynchronous invocation, as Lambda does. */
  functionMaximumRetryAttempts: 2,
  functionTimeoutSeconds: 3,
  functionMemoryMb: 128,
  functionRuntime: 'nodejs20.x',
  /** Retry backoff of failed deliveries: first delay and ceiling, ms. */
  retryBaseDelayMs: 1000,
  retryMaxDelayMs: 60_000,
  /** Attempts in all for deliveries to a built-in queue. */
  queueMaxAttempts: 10,
  /** Where exhausted deliveries go when their subscription names no dead-letter queue. */
  defaultDeadLetterQueue: 'herald-dead-letters',
  /** How long shutdown waits for in-flight deliveries, ms. */
  drainTimeoutMs: 10_000,
  /** NATS store: copies JetStream keeps of each stream (1, or 3 on a three-server cluster). */
  natsReplicas: 1,
  /** NATS store: prefix of every stream, bucket and subject of one Herald cluster. */
  natsPrefix: 'herald',
  /** NATS store: how long a node may hold a delivery unacked before another takes it, ms. */
  natsAckWaitMs: 30_000,
  /**
   * NATS store: deliveries of one subscription a node holds at once (a function's default
   * concurrency, so a slow function can run that many on one node).
   */
  leasedDeliveriesPerSubscription: 1_000,
  /** Page size of ListTopics and ListSubscriptions, as on AWS. */
  pageSize: 100,
  /** How long one POST to an HTTP(S) endpoint may take, ms (SNS: 15 s). */
  httpTimeoutMs: 15_000,
  /** Most deliveries in flight (and connections open) to one HTTP(S) origin. */
  httpConnectionsPerOrigin: 64,
  /** Multiplies delivery-policy delays; tests shrink it to run AWS's 1 s minimum faster. */
  deliveryPolicyTimeScale: 1,
  /** How long a subscription confirmation token is accepted, ms (AWS: 3 days). */
  confirmationTokenTtlMs: 3 * 24 * 3600 * 1000,
  /** When a subscription still unconfirmed is deleted, ms after Subscribe (AWS: 3 days). */
  pendingSubscriptionTtlMs: 3 * 24 * 3600 * 1000,
  /** Pauses before resending a confirmation message an endpoint did not accept, ms. */
  confirmationRetryDelaysMs: [1_000, 5_000, 20_000],
} as const;
