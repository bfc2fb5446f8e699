import type { InvocationOutcome } from './invocation.js';
import type { HandlerLogLine } from './worker/protocol.mjs';

/** Lambda returns at most the last 4 KB of an invocation's log. */
const TAIL_BYTES = 4096;

/**
 * The `X-Amz-Log-Result` of an invocation: its log as Lambda writes it (START, the
 * handler's lines, END, REPORT), the last 4 KB of it, base64-encoded.
 */
export function logTail(
  outcome: InvocationOutcome,
  lines: readonly HandlerLogLine[],
  memoryMb: number,
): string {
  const { requestId, durationMs } = outcome;
  const at = new Date(outcome.startedAt).toISOString();
  const text = [
    `START RequestId: ${requestId} Version: $LATEST`,
    ...lines.map((line) => `${at}\t${requestId}\t${levelOf(line)}\t${line.message}`),
    `END RequestId: ${requestId}`,
    `REPORT RequestId: ${requestId}\tDuration: ${durationMs.toFixed(2)} ms\t` +
      `Billed Duration: ${Math.max(1, Math.ceil(durationMs))} ms\t` +
      `Memory Size: ${memoryMb} MB\tMax Memory Used: ${memoryMb} MB\t`,
    '',
  ].join('\n');

  const bytes = Buffer.from(text, 'utf8');
  return bytes.subarray(Math.max(0, bytes.length - TAIL_BYTES)).toString('base64');
}

function levelOf(line: HandlerLogLine): string {
  return line.level === 'warn' ? 'WARN' : line.level.toUpperCase();
}
