import { randomUUID } from 'node:crypto';
import type { MessageAttributes, PublishedMessage } from '../domain/message.js';
import type { DeliveryEngine } from '../delivery/engine.js';
import type { DeliveryMetrics } from '../delivery/metrics.js';
import { HeraldError, invalidParameter, notFound } from '../errors/index.js';
import { createFilterInput } from '../filter/index.js';
import type { Journal, JournalEntry } from '../store/journal.js';
import type { PublishBatchEntry, PublishBatchResult, PublishInput } from './api.js';
import { messageSize } from './message-size.js';
import type { Registry } from './registry.js';
import type { Subscription } from '../domain/subscription.js';

const BATCH_ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;
const MAX_BATCH_ENTRIES = 10;
/** Subjects must be shorter than this many characters. */
const MAX_SUBJECT_LENGTH = 100;
const CONTROL_CHARACTER = /\p{Cc}/u;

/** A message ready for the journal, with the subscriptions it matched. */
interface Accepted {
  message: PublishedMessage;
  subscriptions: Subscription[];
}

/**
 * The publish path: checks a message, matches it against the topic's filter-policy index,
 * writes it and its deliveries to the journal (group commit), and once they are durable
 * hands the deliveries to the engine.
 */
export class Publisher {
  constructor(
    private readonly registry: Registry,
    private readonly journal: Journal,
    private readonly engine: DeliveryEngine,
    private readonly metrics: DeliveryMetrics,
    private readonly maxMessageBytes: number,
  ) {}

  async publish(input: PublishInput): Promise<{ messageId: string }> {
    this.requireTopic(input.topicArn);
    const accepted = this.accept(input.topicArn, input);
    await this.commit([accepted]);
    return { messageId: accepted.message.messageId };
  }

  async publishBatch(topicArn: string, entries: PublishBatchEntry[]): Promise<PublishBatchResult> {
    this.requireTopic(topicArn);
    checkBatchShape(entries);
    this.checkBatchSize(entries);

    const result: PublishBatchResult = { successful: [], failed: [] };
    const accepted: Accepted[] = [];
    for (const entry of entries) {
      try {
        const one = this.accept(topicArn, entry);
        accepted.push(one);
        result.successful.push({ id: entry.id, messageId: one.message.messageId });
      } catch (error) {
        if (!(error instanceof HeraldError)) throw error;
        result.failed.push({
          id: entry.id,
          code: error.code,
          message: error.message,
          senderFault: error.fault === 'Sender',
        });
      }
    }

    await this.commit(accepted);
    return result;
  }

  /** The messages of one batch together must fit in one message's size limit, as on AWS. */
  private checkBatchSize(entries: PublishBatchEntry[]): void {
    let total = 0;
    for (const entry of entries) total += messageSize(entry.message, entry.attributes);
    if (total > this.maxMessageBytes) {
      throw new HeraldError(
        'BatchRequestTooLong',
        'The length of all the messages put together is more than the limit.',
      );
    }
  }

  private requireTopic(topicArn: string): void {
    if (!this.registry.topic(topicArn)) notFoundTopic(topicArn);
  }

  private accept(topicArn: string, input: Omit<PublishInput, 'topicArn'>): Accepted {
    const attributes = input.attributes ?? {};
    checkMessage(input.message, input.subject, attributes, this.maxMessageBytes);

    const message: PublishedMessage = {
      seq: 0,
      messageId: randomUUID(),
      topicArn,
      body: input.message,
      attributes,
      publishedAt: Date.now(),
    };
    if (input.subject !== undefined) message.subject = input.subject;

    const filterInput = createFilterInput(input.message, attributes);
    return { message, subscriptions: this.registry.match(topicArn, filterInput) };
  }

  private async commit(accepted: Accepted[]): Promise<void> {
    if (accepted.length === 0) return;

    const entries: JournalEntry[] = [];
    for (const one of accepted) {
      if (one.subscriptions.length === 0) continue;
      one.message.seq = this.journal.nextSeq();
      entries.push({ message: one.message, subscriptionIds: one.subscriptions.map((s) => s.id) });
    }
    if (entries.length > 0) await this.journal.append(entries);

    this.metrics.recordPublished(accepted[0]!.message.topicArn, accepted.length);
    for (const one of accepted) {
      if (one.subscriptions.length > 0) this.engine.enqueue(one.message, one.subscriptions);
    }
  }
}

function notFoundTopic(topicArn: string): never {
  throw notFound('Topic', { topicArn });
}

function checkBatchShape(entries: PublishBatchEntry[]): void {
  if (entries.length === 0) {
    throw new HeraldError('EmptyBatchRequest', 'The batch request does not contain any entries');
  }
  if (entries.length > MAX_BATCH_ENTRIES) {
    throw new HeraldError(
      'TooManyEntriesInBatchRequest',
      `The batch request contains more entries than permissible (${MAX_BATCH_ENTRIES})`,
    );
  }
  const ids = new Set<string>();
  for (const entry of entries) {
    if (!BATCH_ENTRY_ID.test(entry.id)) {
      throw new HeraldError(
        'InvalidBatchEntryId',
        `The Id of a batch entry in a batch request doesn't abide by the specification: ` +
          `up to 80 letters, digits, hyphens and underscores`,
      );
    }
    if (ids.has(entry.id)) {
      throw new HeraldError(
        'BatchEntryIdsNotDistinct',
        `Two or more batch entries in the request have the same Id: ${entry.id}`,
      );
    }
    ids.add(entry.id);
  }
}

/** Checks what AWS checks of a message: non-empty, within the size limit, a valid subject. */
function checkMessage(
  body: string,
  subject: string | undefined,
  attributes: MessageAttributes,
  maxBytes: number,
): void {
  if (body === '') throw invalidParameter('Empty message', { parameter: 'Message' });
  if (messageSize(body, attributes) > maxBytes) {
    throw invalidParameter('Message too long', { parameter: 'Message' });
  }
  if (subject !== undefined) checkSubject(subject);
}

/**
 * AWS's rule for a subject: UTF-8 text with no line breaks or control characters, and less
 * than 100 characters long. Any breach is `Invalid parameter: Subject`, as AWS words it.
 */
function checkSubject(subject: string): void {
  const length = [...subject].length;
  if (length === 0 || length >= MAX_SUBJECT_LENGTH || CONTROL_CHARACTER.test(subject)) {
    throw invalidParameter('Subject', { parameter: 'Subject' });
  }
}
