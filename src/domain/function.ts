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
}
