import { parseArn } from '../domain/arn.js';
import type { EventInvokeConfig, FunctionPolicyStatement } from '../domain/function.js';
import { HeraldError } from '../errors/index.js';

/** The settings of a function a deploy or an update may set. */
export interface FunctionSettings {
  handler?: string;
  runtime?: string;
  timeoutSeconds?: number;
  memoryMb?: number;
  reservedConcurrency?: number;
  environment?: Record<string, string>;
  maximumRetryAttempts?: number;
  role?: string;
  description?: string;
}

const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const HANDLER = /^[^\s]+\.[A-Za-z_$][\w$]*$/;
/** A POSIX or Windows absolute path (`/x`, `\x`, `C:x`). */
const ABSOLUTE_PATH = /^([\\/]|[A-Za-z]:)/;
const ROLE = /^arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-_/]+$/;
const RUNTIMES = new Set(['nodejs18.x', 'nodejs20.x', 'nodejs22.x']);

/** Checks a function name as Lambda does: 1-64 letters, digits, hyphens or underscores. */
export function checkFunctionName(name: string): void {
  if (!FUNCTION_NAME.test(name)) {
    throw invalid(name, 'Function name must be 1 to 64 letters, digits, hyphens or underscores');
  }
}

/** Checks the settings given, each within Lambda's limits. */
export function checkFunctionSettings(name: string, settings: FunctionSettings): void {
  const { handler, runtime, timeoutSeconds: timeout, memoryMb: memory } = settings;
  if (handler !== undefined) checkHandler(name, handler);
  if (runtime !== undefined && !RUNTIMES.has(runtime)) {
    throw invalid(name, `Runtime ${runtime} is not supported: use ${[...RUNTIMES].join(', ')}`);
  }
  if (timeout !== undefined && !wholeIn(timeout, 1, 900)) {
    throw invalid(name, 'Timeout must be a whole number of seconds from 1 to 900');
  }
  if (memory !== undefined && !wholeIn(memory, 128, 10240)) {
    throw invalid(name, 'MemorySize must be a whole number of MB from 128 to 10240');
  }
  const concurrency = settings.reservedConcurrency;
  if (concurrency !== undefined && !wholeIn(concurrency, 0, Number.MAX_SAFE_INTEGER)) {
    throw invalid(name, 'ReservedConcurrentExecutions must be a whole number, 0 or more');
  }
  const retries = settings.maximumRetryAttempts;
  if (retries !== undefined && !wholeIn(retries, 0, 2)) {
    throw invalid(name, 'MaximumRetryAttempts must be 0, 1 or 2');
  }
  if (settings.role !== undefined && !ROLE.test(settings.role)) {
    throw invalid(name, `Role must be an IAM role ARN, not ${settings.role}`);
  }
  if (settings.environment !== undefined) checkEnvironment(name, settings.environment);
  if (settings.description !== undefined && settings.description.length > 256) {
    throw invalid(name, 'Description must be at most 256 characters');
  }
}

/** Lambda's limit on a function's environment variables, as their JSON, in bytes. */
const MAX_ENVIRONMENT_BYTES = 4 * 1024;

/** Environment variables as Lambda takes them: at most 4 KB in all. */
function checkEnvironment(name: string, environment: Record<string, string>): void {
  const bytes = Buffer.byteLength(JSON.stringify(environment));
  if (bytes > MAX_ENVIRONMENT_BYTES) {
    throw invalid(
      name,
      `The environment variables exceed Lambda's 4 KB limit (${bytes} bytes as JSON)`,
    );
  }
}

/** Checks asynchronous-invocation settings against Lambda's ranges and destination kinds. */
export function checkEventInvokeConfig(name: string, config: EventInvokeConfig): void {
  const retries = config.maximumRetryAttempts;
  if (retries !== undefined && !wholeIn(retries, 0, 2)) {
    throw invalid(name, 'MaximumRetryAttempts must be 0, 1 or 2');
  }
  const age = config.maximumEventAgeInSeconds;
  if (age !== undefined && !wholeIn(age, 60, 21600)) {
    throw invalid(name, 'MaximumEventAgeInSeconds must be a whole number from 60 to 21600');
  }
  for (const destination of [config.onSuccess, config.onFailure]) {
    if (destination !== undefined) checkDestination(name, destination);
  }
}

/**
 * A destination is a standard topic or a built-in queue, as on Lambda, which takes no FIFO
 * topic or queue: a record carries no message group, so a FIFO topic would refuse it.
 */
function checkDestination(name: string, destination: string): void {
  const parsed = parseArn(destination);
  if (parsed?.service !== 'sns' && parsed?.service !== 'sqs') {
    throw invalid(
      name,
      `The destination ARN ${destination} is invalid: use a topic ARN or a built-in queue ARN`,
    );
  }
  if (parsed.resource.endsWith('.fifo')) {
    throw invalid(
      name,
      `The destination ARN ${destination} is invalid: FIFO topics and queues are not ` +
        'supported as destinations, use a standard topic or queue',
    );
  }
}

/**
 * A handler is `file.export`, and its file must lie inside the function's code: a relative
 * path without `..` segments, so a deploy cannot point at files elsewhere on the server.
 */
function checkHandler(name: string, handler: string): void {
  if (!HANDLER.test(handler)) {
    throw invalid(name, `Handler '${handler}' must look like file.export, e.g. index.handler`);
  }
  const file = handler.slice(0, handler.lastIndexOf('.'));
  if (ABSOLUTE_PATH.test(file) || file.split(/[\\/]/).includes('..')) {
    throw invalid(
      name,
      `Handler '${handler}' must name a file inside the function's code: ` +
        "a relative path without '..' segments",
    );
  }
}

function wholeIn(value: number, min: number, max: number): boolean {
  return Number.isInteger(value) && value >= min && value <= max;
}

function invalid(name: string, message: string): HeraldError {
  return new HeraldError('InvalidParameterValue', message, { functionName: name });
}

/** A change to a deployed function; `null` removes a setting. */
export interface FunctionUpdate extends Omit<FunctionSettings, 'reservedConcurrency'> {
  /** A new code bundle (zip). */
  zip?: Uint8Array;
  reservedConcurrency?: number | null;
  eventInvokeConfig?: EventInvokeConfig | null;
  /** The resource policy's statements, replacing those stored; an empty list removes it. */
  policyStatements?: FunctionPolicyStatement[];
}
