import cliProgress from 'cli-progress';

/** Reports how far publishing has got. */
export interface Progress {
  advance(count: number): void;
  stop(): void;
}

const PLAIN_LINE_INTERVAL_MS = 2_000;

/**
 * A progress bar when stdout is a terminal; otherwise (CI, a test's child process) a plain
 * line every couple of seconds, so logs stay readable.
 */
export function createProgress(label: string, total: number): Progress {
  if (process.stdout.isTTY) return barProgress(label, total);
  return plainProgress(label, total);
}

function barProgress(label: string, total: number): Progress {
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} | {rate} msg/s | ETA {eta}s`,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const startedAt = performance.now();
  let done = 0;
  bar.start(total, 0, { rate: 0 });

  return {
    advance(count) {
      done += count;
      const rate = Math.round(done / ((performance.now() - startedAt) / 1000));
      bar.update(done, { rate });
    },
    stop: () => bar.stop(),
  };
}

function plainProgress(label: string, total: number): Progress {
  const startedAt = performance.now();
  let done = 0;
  let lastLineAt = startedAt;

  const line = (): void => {
    const seconds = (performance.now() - startedAt) / 1000;
    const rate = Math.round(done / seconds);
    console.log(`${label}: ${done}/${total} (${rate} msg/s, ${seconds.toFixed(1)} s)`);
  };

  return {
    advance(count) {
      done += count;
      const now = performance.now();
      if (now - lastLineAt < PLAIN_LINE_INTERVAL_MS) return;
      lastLineAt = now;
      line();
    },
    stop: line,
  };
}
