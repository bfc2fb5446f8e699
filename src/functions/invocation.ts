/** A function as the pool runs it: where its code is, how to call it, and its limits. */
export interface FunctionCode {
  name: string;
  /** `arn:aws:lambda:<region>:<account>:function:<name>`. */
  arn: string;
  /** Absolute directory holding the unpacked code bundle. */
  dir: string;
  /** Lambda's `file.export`: `index.handler`, or a nested path such as `src/app.main`. */
  handler: string;
  timeoutSeconds: number;
  /** The heap limit of each worker (`resourceLimits.maxOldGenerationSizeMb`). */
  memoryMb: number;
  environment: Record<string, string>;
  /** Changes whenever code or configuration changes; a new version gets fresh workers. */
  version: string;
}

import type { SnsDelivery } from './worker/sns-event.mjs';

/**
 * One call of a handler under one request id: either a ready event (structured-clonable),
 * or the flat fields of an SNS delivery that the worker turns into the SNS event.
 */
export type Invocation =
  { requestId: string; payload: unknown } | { requestId: string; sns: SnsDelivery };

/** How an invocation ended: its JSON result, or Lambda's error payload. */
export type InvocationOutcome =
  | {
      requestId: string;
      status: 'ok';
      result: unknown;
      /** Epoch ms (fractional) when the worker called the handler. */
      startedAt: number;
      durationMs: number;
    }
  | {
      requestId: string;
      status: 'error';
      /**
       * The handler failed, ran past its timeout, or took its worker down; or Herald could
       * not hand the invocation to a worker (`handoff`: the handler never ran).
       */
      kind: 'handler' | 'timeout' | 'crash' | 'handoff';
      errorType: string;
      errorMessage: string;
      stackTrace?: string[];
      startedAt: number;
      durationMs: number;
    };
