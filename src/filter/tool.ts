import type { Readable, Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type { MessageAttribute, MessageAttributes } from '../domain/message.js';
import { HeraldError } from '../errors/index.js';
import { compileFilterPolicy } from './compile.js';
import { explainMatch } from './explain.js';
import { createFilterInput } from './input.js';
import { matchesPolicy } from './match.js';
import type { CompiledPolicy, FilterScope } from './types.js';

/** A case the tool could not read (as opposed to a policy SNS would reject). */
class InvalidInputError extends Error {}

/** A compiled policy, or the message of the error compiling it gave. */
type CompileOutcome = CompiledPolicy | HeraldError;

const CACHE_LIMIT = 10_000;
const FLUSH_BYTES = 64 * 1024;

/** Compiles policies once per distinct (scope, policy) across the lines of one run. */
export class PolicyCache {
  private readonly entries = new Map<string, CompileOutcome>();

  /** The compiled policy, or throws the HeraldError SNS would report. */
  compile(policy: unknown, scope: unknown): CompiledPolicy {
    const text = typeof policy === 'string' ? `s${policy}` : `o${JSON.stringify(policy)}`;
    const key = `${String(scope)}\u0000${text}`;
    let outcome = this.entries.get(key);
    if (outcome === undefined) {
      try {
        outcome = compileFilterPolicy(policy, (scope ?? 'MessageAttributes') as FilterScope);
      } catch (error) {
        if (!(error instanceof HeraldError)) throw error;
        outcome = error;
      }
      if (this.entries.size >= CACHE_LIMIT) this.entries.clear();
      this.entries.set(key, outcome);
    }
    if (outcome instanceof HeraldError) throw outcome;
    return outcome;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Reads message attributes in SNS's event shape (`{"Type", "Value"}`) or the API's shape
 * (`{"DataType", "StringValue" | "BinaryValue"}`).
 */
function readAttributes(value: unknown): MessageAttributes {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) throw new InvalidInputError('attributes must be a JSON object');
  const attributes: MessageAttributes = {};
  for (const [name, raw] of Object.entries(value)) {
    if (!isRecord(raw)) throw new InvalidInputError(`attribute ${name} must be an object`);
    const type = raw.Type ?? raw.DataType;
    const text = raw.Value ?? raw.StringValue ?? raw.BinaryValue;
    if (typeof type !== 'string' || typeof text !== 'string') {
      throw new InvalidInputError(`attribute ${name} needs a string Type and a string Value`);
    }
    const attribute: MessageAttribute = { Type: type, Value: text };
    attributes[name] = attribute;
  }
  return attributes;
}

function evaluateCase(record: unknown, cache: PolicyCache): boolean {
  if (!isRecord(record)) throw new InvalidInputError('each line must hold a JSON object');
  if (!('policy' in record)) throw new InvalidInputError('the case has no policy');
  const message = record.message ?? '';
  if (typeof message !== 'string') throw new InvalidInputError('message must be a string');
  const policy = cache.compile(record.policy, record.scope ?? undefined);
  return matchesPolicy(policy, createFilterInput(message, readAttributes(record.attributes)));
}

/**
 * Evaluates one ndjson line (`{"scope", "policy", "attributes" | "message"}`) and returns
 * the result line: `{"match":…}`, or `{"error":"InvalidParameter"|"InvalidInput",…}`.
 */
export function evaluateLine(line: string, cache: PolicyCache): string {
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch (error) {
    return JSON.stringify({ error: 'InvalidInput', message: (error as Error).message });
  }
  try {
    return evaluateCase(record, cache) ? '{"match":true}' : '{"match":false}';
  } catch (error) {
    if (error instanceof HeraldError) {
      return JSON.stringify({ error: error.code, message: error.message });
    }
    if (error instanceof InvalidInputError) {
      return JSON.stringify({ error: 'InvalidInput', message: error.message });
    }
    throw error;
  }
}

function writeChunk(output: Writable, chunk: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const ready = output.write(chunk, (error) => {
      if (error) reject(error);
    });
    if (ready) resolve();
    else output.once('drain', resolve);
  });
}

/**
 * Streams ndjson cases from `input` to results on `output`, one line per input line and in
 * order (a blank line gets an InvalidInput result; a final newline does not add a line).
 */
export async function runNdjson(input: Readable, output: Writable): Promise<void> {
  const cache = new PolicyCache();
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let buffered = '';

  const handle = (line: string): void => {
    const text = line.endsWith('\r') ? line.slice(0, -1) : line;
    buffered += `${evaluateLine(text, cache)}\n`;
  };

  for await (const chunk of input) {
    const text = pending + (typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer));
    let start = 0;
    for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
      handle(text.slice(start, end));
      start = end + 1;
    }
    pending = text.slice(start);
    if (buffered.length >= FLUSH_BYTES) {
      await writeChunk(output, buffered);
      buffered = '';
    }
  }
  pending += decoder.end();
  if (pending !== '') handle(pending);
  if (buffered !== '') await writeChunk(output, buffered);
}

/** What `herald filter test` was given for one message. */
export interface FilterTestRequest {
  policyText: string;
  scope: FilterScope;
  attributesText?: string;
  messageText?: string;
}

/** The outcome of a single `herald filter test`: exit code and the text to print. */
export interface FilterTestResult {
  exitCode: 0 | 1 | 2;
  output: string;
}

/** Exit codes of `herald filter test`. */
export const EXIT_MATCH = 0;
export const EXIT_NO_MATCH = 1;
export const EXIT_INVALID = 2;

/** Tests one message against one policy and explains a failure. */
export function runFilterTest(request: FilterTestRequest): FilterTestResult {
  let policy: CompiledPolicy;
  let attributes: MessageAttributes;
  try {
    policy = compileFilterPolicy(request.policyText, request.scope);
    attributes =
      request.attributesText === undefined
        ? {}
        : readAttributes(JSON.parse(request.attributesText));
  } catch (error) {
    if (
      error instanceof HeraldError ||
      error instanceof InvalidInputError ||
      error instanceof SyntaxError
    ) {
      return { exitCode: EXIT_INVALID, output: `invalid: ${error.message}` };
    }
    throw error;
  }

  const explanation = explainMatch(
    policy,
    createFilterInput(request.messageText ?? '', attributes),
  );
  if (explanation.match) return { exitCode: EXIT_MATCH, output: 'match' };
  const key = explanation.failedKey === undefined ? '' : ` on key "${explanation.failedKey}"`;
  return {
    exitCode: EXIT_NO_MATCH,
    output: `no match${key}: ${explanation.reason ?? 'no clause matched'}`,
  };
}
