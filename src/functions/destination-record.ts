import type { InvocationOutcome } from './invocation.js';

/** Why a record goes to a destination, in Lambda's words. */
export type DestinationCondition = 'Success' | 'RetriesExhausted' | 'EventAgeExceeded';

/** The record Lambda sends to an asynchronous invocation's destination. */
export interface DestinationRecord {
  version: '1.0';
  timestamp: string;
  requestContext: {
    requestId: string;
    functionArn: string;
    condition: DestinationCondition;
    approximateInvokeCount: number;
  };
  requestPayload: unknown;
  responseContext?: {
    statusCode: number;
    executedVersion: string;
    functionError?: 'Unhandled';
  };
  responsePayload?: unknown;
}

/** What a destination record is made of. */
export interface RecordInput {
  functionArn: string;
  requestId: string;
  condition: DestinationCondition;
  /** Attempts made. */
  invokeCount: number;
  requestPayload: unknown;
  /** The last attempt's outcome; none when the event expired before any attempt. */
  outcome?: InvocationOutcome;
}

/**
 * Builds the record of an asynchronous invocation as Lambda shapes it: the request, and
 * the response of the last attempt (its result, or its error payload with
 * `functionError: 'Unhandled'`).
 */
export function destinationRecord(input: RecordInput): DestinationRecord {
  const record: DestinationRecord = {
    version: '1.0',
    timestamp: new Date().toISOString(),
    requestContext: {
      requestId: input.requestId,
      functionArn: `${input.functionArn}:$LATEST`,
      condition: input.condition,
      approximateInvokeCount: input.invokeCount,
    },
    requestPayload: input.requestPayload,
  };

  const { outcome } = input;
  if (outcome === undefined) return record;
  record.responseContext = { statusCode: 200, executedVersion: '$LATEST' };
  if (outcome.status === 'ok') {
    record.responsePayload = outcome.result ?? null;
    return record;
  }
  record.responseContext.functionError = 'Unhandled';
  record.responsePayload = errorResponse(outcome);
  return record;
}

/** A failed invocation's payload as Lambda returns it: errorType, errorMessage, trace. */
export function errorResponse(outcome: Extract<InvocationOutcome, { status: 'error' }>): {
  errorType: string;
  errorMessage: string;
  trace?: string[];
} {
  const { errorType, errorMessage, stackTrace } = outcome;
  return stackTrace === undefined
    ? { errorType, errorMessage }
    : { errorType, errorMessage, trace: stackTrace };
}
