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
  /** Page size of ListTopics and ListSubscriptions, as on AWS. */
  pageSize: 100,
} as const;
