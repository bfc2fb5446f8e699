import type { Herald } from '../src/core/herald.js';

/**
 * Waits for Herald to finish every delivery, retries included. Fails loudly after
 * `timeoutMs`, naming the subscriptions that still have deliveries pending.
 */
export async function waitForIdle(herald: Herald, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const pending = Object.entries(herald.metrics().subscriptions)
        .filter(([, counts]) => counts.pending > 0)
        .map(([arn, counts]) => `${arn}: ${counts.pending} pending`);
      const detail = pending.join('; ') || 'no subscription reports pending deliveries';
      reject(new Error(`Herald was not idle after ${timeoutMs / 1000} s (${detail})`));
    }, timeoutMs);
  });

  try {
    await Promise.race([herald.idle(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
