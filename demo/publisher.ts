import { PublishBatchCommand, type SNSClient } from '@aws-sdk/client-sns';

import { toBatchEntry } from './messages.js';
import type { OrderEvent } from './orders.js';
import type { Progress } from './progress.js';

/** SNS's limit of entries in one PublishBatch request. */
const BATCH_SIZE = 10;

/** How a publishing run went. */
export interface PublishOutcome {
  /** The events Herald accepted, in stream order. */
  accepted: OrderEvent[];
  /** Why entries or whole requests were refused; empty when all went through. */
  failures: string[];
  durationMs: number;
}

/**
 * Publishes `events` to a topic with PublishBatch, 10 entries a request and `concurrency`
 * requests in flight, as a busy producer would.
 */
export async function publishOrderEvents(
  sns: SNSClient,
  topicArn: string,
  events: OrderEvent[],
  concurrency: number,
  progress: Progress,
): Promise<PublishOutcome> {
  const acceptedFlags = new Uint8Array(events.length);
  const failures: string[] = [];
  const batches = Math.ceil(events.length / BATCH_SIZE);
  let nextBatch = 0;

  const publishBatch = async (batch: number): Promise<void> => {
    const first = batch * BATCH_SIZE;
    const slice = events.slice(first, first + BATCH_SIZE);
    const entries = slice.map((event, i) => toBatchEntry(event, String(first + i)));

    try {
      const result = await sns.send(
        new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: entries }),
      );
      for (const entry of result.Successful ?? []) acceptedFlags[Number(entry.Id)] = 1;
      for (const entry of result.Failed ?? []) failures.push(`${entry.Id}: ${entry.Code}`);
    } catch (error) {
      failures.push(`batch ${batch}: ${error instanceof Error ? error.message : String(error)}`);
    }
    progress.advance(slice.length);
  };

  const publisher = async (): Promise<void> => {
    while (nextBatch < batches) await publishBatch(nextBatch++);
  };

  const startedAt = performance.now();
  await Promise.all(Array.from({ length: concurrency }, publisher));
  const durationMs = performance.now() - startedAt;
  progress.stop();

  return { accepted: events.filter((_, i) => acceptedFlags[i] === 1), failures, durationMs };
}
