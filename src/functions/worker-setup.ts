import process from 'node:process';
import { parseArn } from '../domain/arn.js';
import type { FunctionCode } from './invocation.js';
import type { WorkerConfig } from './worker/protocol.mjs';

/** What a function's workers need to know about it, sent once as their `workerData`. */
export function workerConfig(fn: FunctionCode): WorkerConfig {
  return {
    functionName: fn.name,
    functionArn: fn.arn,
    dir: fn.dir,
    handler: fn.handler,
    timeoutMs: fn.timeoutSeconds * 1000,
    memoryLimitInMB: String(fn.memoryMb),
    logGroupName: logGroupName(fn.name),
  };
}

/**
 * The `process.env` of a function's workers: the host's PATH and a locale, then the
 * function's own variables, then the variables Lambda reserves (which a function cannot
 * override). The host's other variables, credentials included, stay out.
 */
export function workerEnvironment(fn: FunctionCode): Record<string, string> {
  const region = parseArn(fn.arn)?.region ?? 'us-east-1';
  const nodeMajor = process.versions.node.split('.')[0] ?? '';

  return {
    PATH: process.env['PATH'] ?? '/usr/local/bin:/usr/bin:/bin',
    LANG: 'en_US.UTF-8',
    ...fn.environment,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_EXECUTION_ENV: `AWS_Lambda_nodejs${nodeMajor}.x`,
    AWS_LAMBDA_FUNCTION_NAME: fn.name,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: logGroupName(fn.name),
    LAMBDA_TASK_ROOT: fn.dir,
    _HANDLER: fn.handler,
  };
}

function logGroupName(functionName: string): string {
  return `/aws/lambda/${functionName}`;
}
