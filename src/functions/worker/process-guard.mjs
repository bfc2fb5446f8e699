/**
 * Keeps a handler from taking the whole Herald process down through the process object it
 * shares with the server: a handler that signals or aborts its own process ends its own
 * worker instead, as it would end its own runtime on Lambda. Worker threads are not a
 * security sandbox; this guards against accidents, not against hostile code.
 */
import process from 'node:process';
import { constants } from 'node:os';

/** Installs the guard; call once, before any handler runs. */
export function guardProcess() {
  const ownPid = process.pid;
  const kill = process.kill.bind(process);

  process.kill = (pid, signal) => {
    const target = Number(pid);
    if (target === ownPid || target === 0 || target === -ownPid) {
      process.exit(128 + signalNumber(signal));
    }
    return kill(pid, signal);
  };
  process.abort = () => process.exit(134);
}

/**
 * @param {string | number | undefined} signal
 * @returns {number}
 */
function signalNumber(signal) {
  if (typeof signal === 'number') return signal;
  const signals = /** @type {Record<string, number>} */ (constants.signals);
  return signals[signal ?? 'SIGTERM'] ?? 15;
}
