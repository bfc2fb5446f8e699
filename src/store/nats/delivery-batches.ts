import { headers, type MsgHdrs } from '@nats-io/transport-node';
import type { PublishedMessage } from '../../domain/message.js';
import type { JournalEntry } from '../journal.js';
import { encodeBatch, messageJson } from './message-codec.js';

/** Most deliveries one stream message carries. */
export const MAX_BATCH_DELIVERIES = 64;
/** Most bytes of message JSON one stream message carries (NATS allows 1 MB by default). */
const MAX_BATCH_BYTES = 512 * 1024;

/** Failed attempts of the deliveries a retry batch carries. */
const ATTEMPT_HEADER = 'Herald-Attempt';
/** Epoch ms before which a retry batch must not be delivered. */
const DUE_HEADER = 'Herald-Due';

/** One stream message to publish: a subscription's deliveries and, for a retry, its headers. */
export interface BatchWrite {
  subscriptionId: number;
  data: Uint8Array;
  headers?: MsgHdrs;
}

/**
 * Groups the deliveries of committed messages into stream messages: per subscription, in
 * publish order, at most {@link MAX_BATCH_DELIVERIES} (and 512 KB) each. One publish
 * acknowledgement then covers every delivery in it.
 */
export function batchesOf(entries: readonly JournalEntry[]): BatchWrite[] {
  const bySubscription = new Map<number, string[]>();
  for (const { message, subscriptionIds } of entries) {
    const json = messageJson(message);
    for (const id of subscriptionIds) {
      const list = bySubscription.get(id);
      if (list) list.push(json);
      else bySubscription.set(id, [json]);
    }
  }

  const writes: BatchWrite[] = [];
  for (const [subscriptionId, messages] of bySubscription) {
    let chunk: string[] = [];
    let bytes = 0;
    for (const json of messages) {
      const full = chunk.length >= MAX_BATCH_DELIVERIES || bytes + json.length > MAX_BATCH_BYTES;
      if (full && chunk.length > 0) {
        writes.push({ subscriptionId, data: encodeBatch(chunk) });
        chunk = [];
        bytes = 0;
      }
      chunk.push(json);
      bytes += json.length;
    }
    if (chunk.length > 0) writes.push({ subscriptionId, data: encodeBatch(chunk) });
  }
  return writes;
}

/** A batch of one delivery to try again at `dueAt`, after `attempt` failed attempts. */
export function retryBatch(
  subscriptionId: number,
  message: PublishedMessage,
  attempt: number,
  dueAt: number,
): BatchWrite {
  const retry = headers();
  retry.set(ATTEMPT_HEADER, String(attempt));
  retry.set(DUE_HEADER, String(dueAt));
  return { subscriptionId, data: encodeBatch([messageJson(message)]), headers: retry };
}

/** What the headers of a received batch say: failed attempts so far and when it is due. */
export function retryStateOf(received: MsgHdrs | undefined): { attempt: number; dueAt: number } {
  const attempt = Number(received?.get(ATTEMPT_HEADER) || 0);
  const dueAt = Number(received?.get(DUE_HEADER) || 0);
  return {
    attempt: Number.isFinite(attempt) ? attempt : 0,
    dueAt: Number.isFinite(dueAt) ? dueAt : 0,
  };
}
