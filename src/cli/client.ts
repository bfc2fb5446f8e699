import type { DeployFunctionBody } from '../api/admin/functions.js';
import type { DeadLetter, RedriveResult } from '../core/api.js';
import type { FunctionDefinition } from '../domain/function.js';
import type { Queue, QueueMessage, QueueSummary } from '../domain/queue.js';
import { CliError } from './cli-error.js';
import { requestHeaders } from './sign-request.js';

/** What `herald function deploy` sends: the admin API's deploy body. */
export type DeployRequest = DeployFunctionBody;

const ADMIN_PATH = '/herald/v1';

/** Dead letters as the server lists them: at most `max`, and how many there are in all. */
export interface DeadLetterListing {
  deadLetters: DeadLetter[];
  total: number;
}

/**
 * A client of a Herald server's admin JSON API, over Node's `fetch`. Failures become
 * {@link CliError}s: the server's `{ error: { code, message } }`, or an actionable message
 * when nothing answers at the endpoint.
 */
export class HeraldClient {
  constructor(readonly endpoint: string) {}

  /** Deploys (creates or replaces) a function. */
  deployFunction(name: string, body: DeployRequest): Promise<FunctionDefinition> {
    return this.request('PUT', `/functions/${encodeURIComponent(name)}`, body);
  }

  /** Every deployed function. */
  async listFunctions(): Promise<FunctionDefinition[]> {
    return (await this.request<{ functions: FunctionDefinition[] }>('GET', '/functions')).functions;
  }

  /** Removes a function. */
  async removeFunction(name: string): Promise<void> {
    await this.request('DELETE', `/functions/${encodeURIComponent(name)}`);
  }

  /** Creates a queue (idempotent on the server). */
  createQueue(name: string): Promise<Queue> {
    return this.request('POST', '/queues', { name });
  }

  /** Every queue, with its depth. */
  async listQueues(): Promise<QueueSummary[]> {
    return (await this.request<{ queues: QueueSummary[] }>('GET', '/queues')).queues;
  }

  /** Deletes a queue. */
  async deleteQueue(name: string): Promise<void> {
    await this.request('DELETE', `/queues/${encodeURIComponent(name)}`);
  }

  /** Takes up to `max` messages off a queue. */
  async receiveMessages(name: string, max: number): Promise<QueueMessage[]> {
    const path = `/queues/${encodeURIComponent(name)}/receive`;
    return (await this.request<{ messages: QueueMessage[] }>('POST', path, { max })).messages;
  }

  /** Empties a queue; resolves with how many messages were dropped. */
  async purgeQueue(name: string): Promise<number> {
    const path = `/queues/${encodeURIComponent(name)}/purge`;
    return (await this.request<{ purged: number }>('POST', path)).purged;
  }

  /** Dead letters, of one queue or of all dead-letter queues. */
  listDeadLetters(queue?: string, max?: number): Promise<DeadLetterListing> {
    const query = new URLSearchParams();
    if (queue !== undefined) query.set('queue', queue);
    if (max !== undefined) query.set('max', String(max));
    const path = query.size > 0 ? `/dead-letters?${query.toString()}` : '/dead-letters';
    return this.request('GET', path);
  }

  /** Redelivers a queue's dead letters; resolves with how many went and how many remain. */
  redriveDeadLetters(queue: string, max?: number): Promise<RedriveResult> {
    const body = max === undefined ? { queue } : { queue, max };
    return this.request('POST', '/dead-letters/redrive', body);
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const url = this.url(path);
    const text = body === undefined ? undefined : JSON.stringify(body);
    const headers = await requestHeaders(method, url, text);
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers,
        ...(text === undefined ? {} : { body: text }),
      });
    } catch {
      throw new CliError(
        'ServerUnreachable',
        `no Herald server at ${this.endpoint}: start one with \`npx herald serve${portFlagOf(this.endpoint)}\`` +
          ' or point --endpoint (or HERALD_ENDPOINT) at a running one',
      );
    }

    if (response.status === 204) return undefined as T;
    const payload = await this.json(response);
    if (!response.ok) throw serverError(payload, response.status);
    return payload as T;
  }

  private url(path: string): URL {
    try {
      return new URL(`${this.endpoint.replace(/\/+$/, '')}${ADMIN_PATH}${path}`);
    } catch {
      throw new CliError('InvalidEndpoint', `not a URL: ${this.endpoint}`);
    }
  }

  private async json(response: Response): Promise<unknown> {
    const text = await response.text();
    try {
      return JSON.parse(text);
    } catch {
      throw new CliError(
        'UnexpectedResponse',
        `${this.endpoint} answered HTTP ${response.status} without JSON: is it a Herald server?`,
      );
    }
  }
}

function serverError(payload: unknown, status: number): CliError {
  const error = (payload as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  if (typeof error?.code === 'string' && typeof error.message === 'string') {
    return new CliError(error.code, error.message);
  }
  return new CliError('UnexpectedResponse', `the server answered HTTP ${status}`);
}

/** The `--port` flag that makes `herald serve` listen where `endpoint` points, if needed. */
function portFlagOf(endpoint: string): string {
  try {
    const { port } = new URL(endpoint);
    return port === '' || port === '4575' ? '' : ` --port ${port}`;
  } catch {
    return '';
  }
}
