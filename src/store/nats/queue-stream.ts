import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { QueueWrite, StoredQueueMessage } from '../journal.js';
import { decodeQueueMessage, encodeQueueWrite } from './message-codec.js';
import type { JournalNames } from './stream-names.js';

/**
 * Built-in queues on one JetStream stream: a queue is a subject (two, so that dead letters
 * can be counted apart), a message's id is its stream sequence number. Reads go to the
 * stream directly (any replica answers); taking a message deletes it, and only the node
 * whose delete succeeds returns it, so two nodes never take the same message.
 */
export class QueueStream {
  constructor(
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly names: JournalNames,
  ) {}

  /** Appends a message to its queue; resolves once the stream has stored it. */
  async put(write: QueueWrite): Promise<void> {
    const subject = this.names.queueSubject(write.queueName, write.origin !== undefined);
    await this.js.publish(subject, encodeQueueWrite(write));
  }

  async peek(queueName: string, max: number, afterId: number): Promise<StoredQueueMessage[]> {
    const messages: StoredQueueMessage[] = [];
    let seq = afterId + 1;
    while (messages.length < max) {
      const next = await this.next(queueName, seq);
      if (!next) break;
      messages.push(next);
      seq = next.id + 1;
    }
    return messages;
  }

  async take(queueName: string, max: number): Promise<StoredQueueMessage[]> {
    const taken: StoredQueueMessage[] = [];
    let seq = 1;
    while (taken.length < max) {
      const next = await this.next(queueName, seq);
      if (!next) break;
      seq = next.id + 1;
      if (await this.delete(next.id)) taken.push({ ...next, receiveCount: 1 });
    }
    return taken;
  }

  /** Deletes messages by id; resolves to how many this node deleted. */
  async remove(ids: readonly number[]): Promise<number> {
    const deleted = await Promise.all(ids.map((id) => this.delete(id)));
    return deleted.filter(Boolean).length;
  }

  async purge(queueName: string): Promise<number> {
    const response = await this.jsm.streams.purge(this.names.queues, {
      filter: this.names.queueSubjects(queueName),
    });
    return response.purged;
  }

  /** How many messages match a subject filter. */
  async count(subjects: string): Promise<number> {
    const info = await this.jsm.streams.info(this.names.queues, { subjects_filter: subjects });
    let count = 0;
    for (const n of Object.values(info.state.subjects ?? {})) count += n;
    return count;
  }

  private async next(queueName: string, seq: number): Promise<StoredQueueMessage | undefined> {
    const stored = await this.jsm.direct.getMessage(this.names.queues, {
      seq,
      next_by_subj: this.names.queueSubjects(queueName),
    });
    if (!stored) return undefined;
    return decodeQueueMessage(queueName, stored.seq, stored.time.getTime(), stored.data);
  }

  private async delete(seq: number): Promise<boolean> {
    try {
      return await this.jsm.streams.deleteMessage(this.names.queues, seq, false);
    } catch {
      return false;
    }
  }
}
