/**
 * Lambda's error payloads, shared by the worker (handler errors, async timeouts) and the
 * pool (timeouts caught by the watchdog, errors of crashed workers). Types in
 * lambda-errors.d.mts.
 */
import { types } from 'node:util';

/**
 * Serializes a thrown value as Lambda does: an Error gives its name, message and stack
 * lines; any other value gives its `typeof`, its text and no stack.
 * @param {unknown} error
 * @returns {import('./lambda-errors.d.mts').ErrorPayload}
 */
export function errorPayload(error) {
  if (types.isNativeError(error) || error instanceof Error) {
    return {
      errorType: error.name || error.constructor.name || 'Error',
      errorMessage: String(error.message),
      stackTrace: typeof error.stack === 'string' ? error.stack.split('\n') : [],
    };
  }
  return { errorType: typeof error, errorMessage: describe(error), stackTrace: [] };
}

/**
 * Lambda's payload for an invocation that ran past its timeout.
 * @param {string} requestId
 * @param {number} timeoutMs
 * @returns {import('./lambda-errors.d.mts').ErrorPayload}
 */
export function timeoutPayload(requestId, timeoutMs) {
  const seconds = (timeoutMs / 1000).toFixed(2);
  return {
    errorType: 'Sandbox.Timedout',
    errorMessage: `RequestId: ${requestId} Error: Task timed out after ${seconds} seconds`,
  };
}

/**
 * The text of a thrown value that is not an Error, even one without a usable toString.
 * @param {unknown} value
 * @returns {string}
 */
function describe(value) {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
