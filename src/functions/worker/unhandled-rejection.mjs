/**
 * Makes an unhandled promise rejection fatal for the worker, as it is for a Lambda runtime,
 * with Lambda's error name. The pool sees the worker die and recovers.
 */
import process from 'node:process';

/** The error a worker dies with when a promise rejection goes unhandled. */
class UnhandledPromiseRejection extends Error {
  /** @param {unknown} reason */
  constructor(reason) {
    super(reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason));
    this.name = 'Runtime.UnhandledPromiseRejection';
  }
}

/** Turns unhandled rejections in this worker into uncaught exceptions. */
export function failOnUnhandledRejection() {
  process.on('unhandledRejection', (reason) => {
    throw new UnhandledPromiseRejection(reason);
  });
}
