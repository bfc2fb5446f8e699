/** One publish→consumer fan-out job: `messages` published, each to `subscriptions` consumers. */
export interface FanoutCase {
  messages: number;
  subscriptions: number;
}

/** How one system did one {@link FanoutCase}. */
export interface FanoutResult {
  messages: number;
  subscriptions: number;
  /** Handler (or processor) invocations counted when the run ended. */
  deliveries: number;
  /** From the first publish until the last publish was acknowledged. */
  publishMs: number;
  /** From the first publish until every delivery was done. */
  totalMs: number;
  p50Ms: number;
  p99Ms: number;
}

/** Size of every benchmark message body, in bytes. */
export const PAYLOAD_BYTES = 256;

/** A message body of exactly {@link PAYLOAD_BYTES} ASCII bytes, distinct per sequence number. */
export function payload(seq: number): string {
  const head = `{"seq":${seq},"pad":"`;
  return `${head}${'x'.repeat(PAYLOAD_BYTES - head.length - 2)}"}`;
}

/** Published messages fully delivered per second. */
export function messagesPerSecond(result: FanoutResult): number {
  return Math.round(result.messages / (result.totalMs / 1000));
}

/** Deliveries (handler invocations) per second. */
export function deliveriesPerSecond(result: FanoutResult): number {
  return Math.round(result.deliveries / (result.totalMs / 1000));
}
