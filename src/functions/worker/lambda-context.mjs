/**
 * The `context` argument of a handler, shaped like Lambda's Node.js context: plain own
 * properties plus closures, so destructured methods keep working.
 */
import { epochNow } from './protocol.mjs';

/**
 * How an invocation ends through its context's legacy methods or its callback.
 * @typedef {(error: unknown, result?: unknown) => void} Settle
 */

/**
 * Builds the context of one invocation.
 * @param {import('./protocol.d.mts').WorkerConfig} config
 * @param {string} logStreamName the worker's stream: one per execution environment
 * @param {string} requestId
 * @param {number} deadline epoch ms after which the invocation times out
 * @param {Settle} settle
 */
export function lambdaContext(config, logStreamName, requestId, deadline, settle) {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: config.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: config.functionArn,
    memoryLimitInMB: config.memoryLimitInMB,
    awsRequestId: requestId,
    logGroupName: config.logGroupName,
    logStreamName,
    getRemainingTimeInMillis: () => Math.max(0, Math.floor(deadline - epochNow())),
    done: settle,
    succeed: (/** @type {unknown} */ result) => settle(null, result),
    fail: (/** @type {unknown} */ error) => settle(error ?? new Error('fail')),
  };
}
