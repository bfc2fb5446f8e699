import type { EventInvokeConfig, FunctionDefinition } from '../../domain/function.js';

/** Lambda's `FunctionConfiguration` of a function. */
export function functionConfiguration(definition: FunctionDefinition): Record<string, unknown> {
  return {
    FunctionName: definition.name,
    FunctionArn: definition.arn,
    Runtime: definition.runtime,
    Role: definition.role ?? '',
    Handler: definition.handler,
    CodeSize: definition.codeSize,
    Description: definition.description ?? '',
    Timeout: definition.timeoutSeconds,
    MemorySize: definition.memoryMb,
    LastModified: lambdaTimestamp(definition.lastModified),
    CodeSha256: definition.codeSha256,
    Version: '$LATEST',
    Environment: { Variables: definition.environment },
    TracingConfig: { Mode: 'PassThrough' },
    RevisionId: revisionOf(definition),
    State: 'Active',
    LastUpdateStatus: 'Successful',
    PackageType: 'Zip',
    Architectures: ['x86_64'],
    EphemeralStorage: { Size: 512 },
  };
}

/** Lambda's `FunctionEventInvokeConfig` of a function's asynchronous-invocation settings. */
export function eventInvokeConfiguration(
  definition: FunctionDefinition,
  config: EventInvokeConfig,
): Record<string, unknown> {
  return {
    LastModified: config.lastModified / 1000,
    FunctionArn: `${definition.arn}:$LATEST`,
    MaximumRetryAttempts: config.maximumRetryAttempts,
    MaximumEventAgeInSeconds: config.maximumEventAgeInSeconds,
    DestinationConfig: {
      OnSuccess: config.onSuccess === undefined ? {} : { Destination: config.onSuccess },
      OnFailure: config.onFailure === undefined ? {} : { Destination: config.onFailure },
    },
  };
}

/** A time as Lambda writes `LastModified`: `2024-05-01T12:00:00.000+0000`. */
function lambdaTimestamp(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('Z', '+0000');
}

/** Changes whenever code or configuration changes, like Lambda's RevisionId. */
function revisionOf(definition: FunctionDefinition): string {
  const hex = Buffer.from(`${definition.codeSha256}:${definition.lastModified}`)
    .toString('hex')
    .padEnd(32, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
