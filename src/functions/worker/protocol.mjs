/**
 * What the pool and its workers share at runtime: the slots of a batch's progress buffer.
 * A batch task carries a SharedArrayBuffer viewed as a Float64Array of epoch milliseconds
 * (0 = not yet); the worker writes it as the batch advances and the pool's watchdog reads it
 * to tell a queued batch from a loading module, a busy worker from a blocked one.
 * Types live in protocol.d.mts.
 */
import { performance } from 'node:perf_hooks';

/** When the worker took the batch (before loading the handler module on a cold start). */
export const RECEIVED_AT = 0;

/** When the batch's first handler call began. */
export const STARTED_AT = 1;

/** When the worker last started or settled an invocation of the batch. */
export const PROGRESSED_AT = 2;

/** The worker thread's id (`threadId`), so that the pool can end a blocked thread. */
export const THREAD_ID = 3;

/** Bytes of a progress buffer: one float64 per slot. */
export const PROGRESS_BYTES = 4 * Float64Array.BYTES_PER_ELEMENT;

/**
 * The current time as epoch milliseconds with sub-millisecond precision.
 * @returns {number}
 */
export function epochNow() {
  return performance.timeOrigin + performance.now();
}
