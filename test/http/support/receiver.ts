import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the receiver got. */
export interface Received {
  at: number;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Decides the status of a request; the default answers 200. */
export type Responder = (request: Received) => number | Promise<number>;

/**
 * A real HTTP server on 127.0.0.1 standing in for an SNS webhook receiver: records every
 * request and answers with the responder's status.
 */
export class Receiver {
  readonly received: Received[] = [];
  responder: Responder = () => 200;
  private readonly server: Server;
  private waiters: Array<() => void> = [];

  private constructor() {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const entry: Received = {
          at: performance.now(),
          path: request.url ?? '/',
          headers: request.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        };
        this.received.push(entry);
        for (const wake of this.waiters.splice(0)) wake();
        void Promise.resolve(this.responder(entry)).then((status) => {
          response.statusCode = status;
          response.end();
        });
      });
    });
  }

  /** Starts a receiver on a random port. */
  static async start(): Promise<Receiver> {
    const receiver = new Receiver();
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  /** The receiver's URL for `path`. */
  url(path = '/'): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}${path}`;
  }

  /** Resolves with the first request (from `from` on) that `match` accepts. */
  async waitFor(match: (request: Received) => boolean, from = 0, timeoutMs = 5000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.slice(from).find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error('the receiver did not get the expected request');
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** The `Type` of a received SNS JSON message. */
export function typeOf(request: Received): string | undefined {
  return request.headers['x-amz-sns-message-type'] as string | undefined;
}
