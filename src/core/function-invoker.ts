import { randomUUID } from 'node:crypto';
import type { PublishedMessage } from '../domain/message.js';
import type { DeliveryEngine } from '../delivery/engine.js';
import { HeraldError } from '../errors/index.js';
import type { ConcurrencyGovernor } from '../functions/concurrency-governor.js';
import { errorResponse } from '../functions/destination-record.js';
import { logTail } from '../functions/log-tail.js';
import { jsonDepth, MAX_PAYLOAD_DEPTH } from '../functions/payload-depth.js';
import type { FunctionPool } from '../functions/pool.js';
import type { Journal } from '../store/journal.js';
import type { FunctionService } from './functions.js';

/** The answer to a RequestResponse invocation. */
export interface InvokeResult {
  requestId: string;
  /** The handler's result as JSON, or its error payload. */
  payload: string;
  /** Set when the handler failed, timed out or crashed. */
  functionError?: 'Unhandled';
  /** Base64 tail of the invocation's log, when asked for. */
  logResult?: string;
}

/** What an invocation asks for besides the payload. */
export interface InvokeOptions {
  /** Return the tail of the log (`--log-type Tail`). */
  tail?: boolean;
}

/**
 * Invocations through the Lambda API. A RequestResponse call runs at once (throttled at
 * the function's concurrency cap); an Event call is written to the journal as a delivery
 * of the function's internal event subscription, so the delivery engine runs it with the
 * retries, concurrency and destinations of SNS deliveries, and it survives a restart.
 */
export class FunctionInvoker {
  constructor(
    private readonly functions: FunctionService,
    private readonly pool: FunctionPool,
    private readonly governor: ConcurrencyGovernor,
    private readonly journal: Journal,
    private readonly engine: DeliveryEngine,
  ) {}

  async invoke(name: string, payload: string, options: InvokeOptions = {}): Promise<InvokeResult> {
    const code = this.functions.code(name);
    if (!code) throw notFound(name);
    const event = parseEvent(name, payload);
    this.governor.admitDirect(name);

    const requestId = randomUUID();
    const takeLines = options.tail ? this.pool.captureLogs(requestId) : undefined;
    this.governor.started(name, 1, true);
    let outcome;
    try {
      [outcome] = await this.pool.invoke(code, [{ requestId, payload: event }]);
    } finally {
      this.governor.finished(name, 1, true);
    }
    const lines = takeLines?.() ?? [];
    if (!outcome) throw new HeraldError('ServiceException', 'The invocation reported no outcome');
    if (outcome.status === 'error' && outcome.kind === 'handoff') {
      throw new HeraldError('InvalidRequestContentException', outcome.errorMessage, {
        functionName: name,
      });
    }

    const result: InvokeResult =
      outcome.status === 'ok'
        ? { requestId, payload: JSON.stringify(outcome.result ?? null) }
        : {
            requestId,
            payload: JSON.stringify(errorResponse(outcome)),
            functionError: 'Unhandled',
          };
    if (options.tail) result.logResult = logTail(outcome, lines, code.memoryMb);
    return result;
  }

  /** Accepts an Event invocation durably; resolves with its request id once on disk. */
  async invokeAsync(name: string, payload: string): Promise<{ requestId: string }> {
    if (!this.functions.code(name)) throw notFound(name);
    parseEvent(name, payload);
    const subscription = this.functions.eventSubscription(name);

    const message: PublishedMessage = {
      seq: this.journal.nextSeq(),
      messageId: randomUUID(),
      topicArn: subscription.topicArn,
      body: payload === '' ? 'null' : payload,
      attributes: {},
      publishedAt: Date.now(),
    };
    await this.journal.append([{ message, subscriptionIds: [subscription.id] }]);
    this.engine.enqueue(message, [subscription]);
    return { requestId: message.messageId };
  }

  /** Checks a DryRun: the function exists and the payload is JSON. */
  dryRun(name: string, payload: string): void {
    if (!this.functions.code(name)) throw notFound(name);
    parseEvent(name, payload);
  }
}

/** The event of a payload: valid JSON, nested no deeper than the workers can take. */
function parseEvent(name: string, payload: string): unknown {
  if (payload === '') return {};
  let event: unknown;
  try {
    event = JSON.parse(payload) as unknown;
  } catch {
    throw invalidContent(name, 'the payload is not valid JSON');
  }
  if (jsonDepth(payload) > MAX_PAYLOAD_DEPTH) {
    throw invalidContent(
      name,
      `the payload nests arrays and objects deeper than ${MAX_PAYLOAD_DEPTH} levels`,
    );
  }
  return event;
}

function invalidContent(name: string, reason: string): HeraldError {
  return new HeraldError(
    'InvalidRequestContentException',
    `Could not parse request body into json: ${reason}`,
    { functionName: name },
  );
}

function notFound(name: string): HeraldError {
  return new HeraldError('NotFound', `Function not found: ${name}`, { functionName: name });
}
