import { CreateTopicCommand, SNSClient, type SNSClientConfig } from '@aws-sdk/client-sns';
import type { Herald } from '../../src/core/herald.js';
import type { RunningServer, ServerOptions } from '../../src/server/start.js';
import { startTestServer } from './test-server.js';

/** Access key credentials, as the AWS SDK takes them. */
export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** The credentials of an SNS client for a server without `--auth`. */
export const TEST_CREDENTIALS: Credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

/** An SNS client for the Herald at `url`, in us-east-1. */
export function snsClient(
  url: string,
  credentials: Credentials = TEST_CREDENTIALS,
  options: Omit<SNSClientConfig, 'endpoint' | 'region' | 'credentials'> = {},
): SNSClient {
  return new SNSClient({ endpoint: url, region: 'us-east-1', credentials, ...options });
}

/** A server (see `startTestServer`) with an SNS client for it. */
export interface SnsServer {
  server: RunningServer;
  sns: SNSClient;
  /** The temp dir the server keeps its data in. */
  dataDir: string;
  /** Destroys the client, closes the server and removes the temp dir. */
  close(): Promise<void>;
}

/** Starts a server in a new temp dir named with `prefix` and opens an SNS client for it. */
export async function startSnsServer(
  prefix: string,
  options: { server?: Omit<ServerOptions, 'dataDir'>; client?: { maxAttempts?: number } } = {},
): Promise<SnsServer> {
  const { server, dir, close } = await startTestServer(prefix, options.server);
  const sns = snsClient(server.url, TEST_CREDENTIALS, options.client);
  return {
    server,
    sns,
    dataDir: dir,
    async close() {
      sns.destroy();
      await close();
    },
  };
}

/** The AWS SDK error a command rejects with: its name, SNS code, HTTP status and message. */
export async function sdkFailure(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) =>
      caught as Error & { $metadata: { httpStatusCode?: number }; Code?: string },
  );
  if (!error) throw new Error('expected the command to fail');
  return {
    name: error.name,
    code: error.Code,
    status: error.$metadata.httpStatusCode,
    message: error.message,
  };
}

/** Creates a topic and returns its ARN. */
export async function createTopic(sns: SNSClient, name: string): Promise<string> {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: name }));
  if (!TopicArn) throw new Error('no TopicArn');
  return TopicArn;
}

/** Waits (up to 10 s) for a queue to hold `count` messages, then takes them. */
export async function drain(herald: Herald, queue: string, count: number) {
  const deadline = Date.now() + 10_000;
  const messages = [];
  while (messages.length < count && Date.now() < deadline) {
    messages.push(...(await herald.receiveMessages(queue, count - messages.length)));
    if (messages.length < count) await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return messages;
}
