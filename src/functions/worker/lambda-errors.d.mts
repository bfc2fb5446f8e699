/** Lambda's error payload: what an invocation that failed reports. */
export interface ErrorPayload {
  errorType: string;
  errorMessage: string;
  stackTrace?: string[];
}

/** Serializes a thrown value as Lambda does (name, message, stack lines; or typeof, text). */
export declare function errorPayload(error: unknown): ErrorPayload;

/** Lambda's payload for an invocation that ran past its timeout. */
export declare function timeoutPayload(requestId: string, timeoutMs: number): ErrorPayload;
