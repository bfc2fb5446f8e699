import type { Invocation, InvocationOutcome } from '../invocation.js';

/** A function's identity and limits, given once to each of its workers as `workerData`. */
export interface WorkerConfig {
  functionName: string;
  functionArn: string;
  /** Absolute directory holding the unpacked code bundle. */
  dir: string;
  /** Lambda handler string, e.g. `index.handler` or `src/app.main`. */
  handler: string;
  timeoutMs: number;
  /** As Lambda's context reports it: a string. */
  memoryLimitInMB: string;
  logGroupName: string;
}

/** One piscina task: many invocations of one function. */
export interface BatchTask {
  invocations: Invocation[];
  /** A progress buffer of {@link PROGRESS_BYTES} bytes; see the slot constants. */
  progress: SharedArrayBuffer;
}

/** A level of a captured console line, named as pino names it. */
export type HandlerLogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

/** A console line written by handler code; no requestId when written outside an invocation. */
export interface HandlerLogLine {
  requestId?: string;
  level: HandlerLogLevel;
  message: string;
}

/** What a worker answers for a batch: one outcome per invocation, in order. */
export interface BatchResult {
  outcomes: InvocationOutcome[];
  /** True when this batch loaded the handler module (a cold start). */
  coldStart: boolean;
  logs: HandlerLogLine[];
}

export declare const RECEIVED_AT: 0;
export declare const STARTED_AT: 1;
export declare const PROGRESSED_AT: 2;
export declare const THREAD_ID: 3;
export declare const PROGRESS_BYTES: number;

/** The current time as epoch milliseconds with sub-millisecond precision. */
export declare function epochNow(): number;
