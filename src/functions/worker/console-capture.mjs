/**
 * Captures what handler code writes through `console`: each line is attributed to the
 * invocation that wrote it (tracked across awaits with AsyncLocalStorage) and travels back to
 * the pool with the batch result. Nothing written, nothing sent.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { format } from 'node:util';

/**
 * Where one invocation's lines go.
 * @typedef {{ requestId: string, lines: import('./protocol.d.mts').HandlerLogLine[] }} LogSink
 */

/** @type {AsyncLocalStorage<LogSink>} */
const currentSink = new AsyncLocalStorage();

/**
 * Lines written outside any invocation (module init, stray timers), sent with the next batch.
 * @type {import('./protocol.d.mts').HandlerLogLine[]}
 */
let unattributed = [];

/** @type {Record<string, import('./protocol.d.mts').HandlerLogLevel>} */
const LEVELS = {
  log: 'info',
  info: 'info',
  warn: 'warn',
  error: 'error',
  debug: 'debug',
  trace: 'trace',
};

/** Replaces the worker's console methods with capturing ones. */
export function captureConsole() {
  const console = /** @type {Record<string, unknown>} */ (
    /** @type {unknown} */ (globalThis.console)
  );
  for (const [method, level] of Object.entries(LEVELS)) {
    console[method] = (/** @type {unknown[]} */ ...args) => {
      const sink = currentSink.getStore();
      const message = format(...args);
      if (sink) sink.lines.push({ requestId: sink.requestId, level, message });
      else unattributed.push({ level, message });
    };
  }
}

/**
 * Runs `fn` with console lines going to `sink`.
 * @template T
 * @param {LogSink} sink
 * @param {() => T} fn
 * @returns {T}
 */
export function withLogSink(sink, fn) {
  return currentSink.run(sink, fn);
}

/**
 * Takes the lines written outside invocations so far.
 * @returns {import('./protocol.d.mts').HandlerLogLine[]}
 */
export function takeUnattributedLines() {
  const lines = unattributed;
  unattributed = [];
  return lines;
}
