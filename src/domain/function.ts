/** A deployed function: a Node.js module whose exported handler Herald invokes. */
export interface FunctionDefinition {
  name: string;
  arn: string;
  /** `file.export`, as in Lambda: `index.handler` calls `handler` exported by `index.js`. */
  handler: string;
  runtime: string;
  timeoutSeconds: number;
  memoryMb: number;
  /** Most invocations in flight at once; undefined means the server-wide default. */
  reservedConcurrency?: number;
  environment: Record<string, string>;
  /** Base64 SHA-256 of the code bundle (zip), as Lambda reports `CodeSha256`. */
  codeSha256: string;
  codeSize: number;
  /** Retries after a failed asynchronous invocation (Lambda's MaximumRetryAttempts). */
  maximumRetryAttempts: number;
  lastModified: number;
  /** The execution role given at creation; stored and reported, never assumed. */
  role?: string;
  description?: string;
  /** Lambda's asynchronous-invocation settings (PutFunctionEventInvokeConfig). */
  eventInvokeConfig?: EventInvokeConfig;
  /**
   * The negative subscription id under which the journal holds the function's Event
   * invocations; stable across redeploys of the same function.
   */
  eventQueueId?: number;
  /**
   * The statements of the function's resource policy (AddPermission), as GetPolicy shows
   * them; stored and reported, not enforced.
   */
  policyStatements?: FunctionPolicyStatement[];
}

/** One statement of a function's resource policy, as AddPermission builds it. */
export interface FunctionPolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Principal: { Service: string } | { AWS: string };
  Action: string;
  Resource: string;
  Condition?: { ArnLike: { 'AWS:SourceArn': string } };
}

/** How asynchronous invocations of a function are retried and where their records go. */
export interface EventInvokeConfig {
  /** 0-2; overrides the function's `maximumRetryAttempts`. */
  maximumRetryAttempts?: number;
  /** 60-21600: an event older than this is not invoked but goes to failure handling. */
  maximumEventAgeInSeconds?: number;
  /** A topic ARN or built-in queue ARN that gets a record of each successful invocation. */
  onSuccess?: string;
  /** A topic ARN or built-in queue ARN that gets a record of each failed event. */
  onFailure?: string;
  lastModified: number;
}
