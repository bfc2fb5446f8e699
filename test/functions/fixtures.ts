import { fileURLToPath } from 'node:url';
import { pino, type Logger } from 'pino';
import type { FunctionCode, Invocation } from '../../src/functions/pool.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/functions/', import.meta.url));

/** A function running the fixture handler in test/fixtures/functions/<name>/. */
export function fixtureFunction(name: string, overrides: Partial<FunctionCode> = {}): FunctionCode {
  return {
    name,
    arn: `arn:aws:lambda:us-east-1:000000000000:function:${name}`,
    dir: FIXTURES + name,
    handler: 'index.handler',
    timeoutSeconds: 1,
    memoryMb: 128,
    environment: {},
    version: '1',
    ...overrides,
  };
}

/** Invocations with request ids `<prefix>-0`, `<prefix>-1`, ... and the given payloads. */
export function invocationsOf(prefix: string, payloads: unknown[]): Invocation[] {
  return payloads.map((payload, index) => ({ requestId: `${prefix}-${index}`, payload }));
}

/** A pino logger that keeps its records in memory. */
export function memoryLogger(): { logger: Logger; records: Record<string, unknown>[] } {
  const records: Record<string, unknown>[] = [];
  const stream = {
    write(line: string): void {
      records.push(JSON.parse(line) as Record<string, unknown>);
    },
  };
  return { logger: pino({ level: 'trace' }, stream), records };
}
