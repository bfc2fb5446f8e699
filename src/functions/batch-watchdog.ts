import { PROGRESSED_AT, RECEIVED_AT, epochNow } from './worker/protocol.mjs';

/** How long a batch may go without progress before its worker counts as blocked. */
export interface WatchdogLimits {
  /** Once invocations run: the function timeout plus a grace. */
  stallMs: number;
  /** While the worker loads the handler module (Lambda's init phase). */
  initMs: number;
}

/** Lambda's limit on a function's init phase. */
export const INIT_TIMEOUT_MS = 10_000;

/** Slack on top of the function timeout before a silent worker counts as blocked. */
export const STALL_GRACE_MS = 500;

/**
 * Watches a batch through its progress buffer and calls `onStall` once if the worker stops
 * making progress: a synchronous loop blocks the worker's event loop, so its own timeouts
 * never fire and only the pool can end it. A batch still queued is never stalled. Returns a
 * function that stops watching.
 */
export function watchBatch(
  progress: Float64Array,
  limits: WatchdogLimits,
  onStall: () => void,
): () => void {
  const check = (): void => {
    const now = epochNow();
    const deadline = deadlineOf(progress, limits, now);
    if (now >= deadline) {
      onStall();
      return;
    }
    timer = setTimeout(check, Math.max(1, deadline - now));
  };

  let timer = setTimeout(check, limits.stallMs);
  return () => clearTimeout(timer);
}

function deadlineOf(progress: Float64Array, limits: WatchdogLimits, now: number): number {
  const receivedAt = progress[RECEIVED_AT] ?? 0;
  const progressedAt = progress[PROGRESSED_AT] ?? 0;

  if (receivedAt === 0) return now + limits.stallMs;
  if (progressedAt === 0) return receivedAt + limits.initMs;
  return progressedAt + limits.stallMs;
}
