import type { Invocation, InvocationOutcome } from './invocation.js';
import { errorPayload, timeoutPayload, type ErrorPayload } from './worker/lambda-errors.mjs';
import { RECEIVED_AT, STARTED_AT, epochNow } from './worker/protocol.mjs';

/** Why a piscina task failed as a whole: the watchdog ended it, or its worker died. */
export type TaskFailure = { stalled: true } | { stalled: false; error: unknown };

/** When a failed task was handed to piscina, and how far its worker got. */
export interface TaskTrace {
  dispatchedAt: number;
  progress: Float64Array;
}

const WORKER_EXIT = /^worker exited with code: (-?\d+)$/;

/**
 * The outcome of an invocation that ran alone in a task that failed as a whole, worded as
 * Lambda words it: `Sandbox.Timedout` for a blocked worker, `Runtime.ExitError` for an
 * exit, `Runtime.OutOfMemory` for a heap overflow, else the error the worker died with.
 */
export function failedInvocation(
  invocation: Invocation,
  failure: TaskFailure,
  trace: TaskTrace,
  timeoutMs: number,
): InvocationOutcome {
  const { requestId } = invocation;
  const { progress } = trace;
  const startedAt = progress[STARTED_AT] || progress[RECEIVED_AT] || trace.dispatchedAt;
  const durationMs = epochNow() - startedAt;

  if (failure.stalled) {
    const payload = timeoutPayload(requestId, timeoutMs);
    return { requestId, status: 'error', kind: 'timeout', ...payload, startedAt, durationMs };
  }
  const payload = crashPayload(requestId, failure.error);
  return { requestId, status: 'error', kind: 'crash', ...payload, startedAt, durationMs };
}

/** Lambda's error type of an invocation Herald could not hand to a worker. */
export const HANDOFF_ERROR_TYPE = 'Herald.HandoffError';

/**
 * True when a task failed on its way to the worker, not in it: posting it threw (its
 * invocations cannot be cloned, or nest too deep to clone) before any worker took it.
 */
export function isHandoffFailure(failure: TaskFailure, trace: TaskTrace): boolean {
  if (failure.stalled || (trace.progress[RECEIVED_AT] ?? 0) !== 0) return false;
  const { error } = failure;
  return (
    error instanceof RangeError ||
    (error instanceof DOMException && error.name === 'DataCloneError')
  );
}

/**
 * The outcome of an invocation Herald could not hand to a worker: the handler never ran,
 * and the error names no internals of the host.
 */
export function handoffFailed(invocation: Invocation, trace: TaskTrace): InvocationOutcome {
  return {
    requestId: invocation.requestId,
    status: 'error',
    kind: 'handoff',
    errorType: HANDOFF_ERROR_TYPE,
    errorMessage:
      'The event could not be passed to the function: it cannot be copied to a worker ' +
      '(too deeply nested)',
    startedAt: trace.dispatchedAt,
    durationMs: 0,
  };
}

function crashPayload(requestId: string, error: unknown): ErrorPayload {
  const exit = error instanceof Error ? WORKER_EXIT.exec(error.message) : null;
  if (exit) {
    return runtimeExit('Runtime.ExitError', requestId, `exit status ${exit[1]}`);
  }
  if (error instanceof Error && 'code' in error && error.code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return runtimeExit('Runtime.OutOfMemory', requestId, 'signal: killed');
  }
  return errorPayload(error);
}

function runtimeExit(errorType: string, requestId: string, status: string): ErrorPayload {
  return {
    errorType,
    errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: ${status}`,
  };
}
