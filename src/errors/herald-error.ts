import { ERROR_CODES, type ErrorCode } from './codes.js';

/** Extra typed context an error may carry, for logs and for callers that branch on it. */
export interface ErrorContext {
  topicArn?: string;
  subscriptionArn?: string;
  functionName?: string;
  queueName?: string;
  parameter?: string;
}

/**
 * An error Herald reports to an API client. The code decides the HTTP status and the
 * fault side, so the wire layers never pick a status on their own.
 */
export class HeraldError extends Error {
  override readonly name = 'HeraldError';
  readonly code: ErrorCode;
  readonly context: ErrorContext;

  constructor(code: ErrorCode, message: string, context: ErrorContext = {}, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.code = code;
    this.context = context;
  }

  /** The HTTP status a client expects for this error's code. */
  get status(): number {
    return ERROR_CODES[this.code].status;
  }

  /** `Sender` when the request was at fault, `Receiver` when Herald was. */
  get fault(): 'Sender' | 'Receiver' {
    return ERROR_CODES[this.code].fault;
  }
}

/** `InvalidParameter` in SNS's wording: `Invalid parameter: <name>: <reason>` (or just reason). */
export function invalidParameter(reason: string, context: ErrorContext = {}): HeraldError {
  return new HeraldError('InvalidParameter', `Invalid parameter: ${reason}`, context);
}

/** `NotFound` for a resource that does not exist. */
export function notFound(what: string, context: ErrorContext = {}): HeraldError {
  return new HeraldError('NotFound', `${what} does not exist`, context);
}
