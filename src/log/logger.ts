import { pino, type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

/** Creates Herald's root logger: JSON lines on stdout, one child per component. */
export function createLogger(level: LevelWithSilent = 'info'): Logger {
  return pino({ level, base: { service: 'herald' } });
}

/** A logger that writes nothing: for embedded use and tests. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
