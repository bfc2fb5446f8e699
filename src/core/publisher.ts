import { randomUUID } from 'node:crypto';
import type { MessageAttributes, PublishedMessage } from '../domain/message.js';
import type { Topic } from '../domain/topic.js';
import type { DeliveryEngine } from '../delivery/engine.js';
import type { DeliveryMetrics } from '../delivery/metrics.js';
import { HeraldError, invalidParameter, notFound } from '../errors/index.js';
import { createFilterInput } from '../filter/index.js';
import type { DeduplicationRecord, Journal, JournalEntry } from '../store/journal.js';
import type { SharedDeduplication } from '../store/stores.js';
import type { PublishBatchEntry, PublishBatchResult, PublishInput, PublishResult } from './api.js';
import { checkBatchCount, checkBatchEntryId } from './batch-entries.js';
import {
  DEDUPLICATION_INTERVAL_MS,
  DeduplicationWindow,
  type RememberedPublish,
} from './deduplication-window.js';
import { checkFifoPresence, fifoFieldsOf } from './fifo-rules.js';
import { messageSize } from './message-size.js';
import { parseMessageStructure } from './message-structure.js';
import type { Registry } from './registry.js';
import { clusterSlot, formatSequenceNumber, SequenceNumbers } from './sequence-numbers.js';
import type { Protocol, Subscription } from '../domain/subscription.js';

/** Subjects must be shorter than this many characters. */
const MAX_SUBJECT_LENGTH = 100;
const CONTROL_CHARACTER = /\p{Cc}/u;

/** A message ready for the journal, with the subscriptions it matched. */
interface Accepted {
  kind: 'accepted';
  message: PublishedMessage;
  subscriptions: Subscription[];
  /** A FIFO message's entry in the deduplication window. */
  fifo?: RememberedPublish;
}

/** A FIFO message repeating a deduplication id of the window: answered, not delivered. */
interface Duplicate {
  kind: 'duplicate';
  original: RememberedPublish;
}

/**
 * The publish path: checks a message, matches it against the topic's filter-policy index,
 * writes it and its deliveries to the journal (group commit), and once they are durable
 * hands the deliveries to the engine. For FIFO topics it also numbers messages and answers
 * duplicates within the deduplication window without delivering them again.
 */
export class Publisher {
  private readonly deduplication: DeduplicationWindow;
  private readonly sequenceNumbers: SequenceNumbers;

  constructor(
    private readonly registry: Registry,
    private readonly journal: Journal,
    private readonly engine: DeliveryEngine,
    private readonly metrics: DeliveryMetrics,
    private readonly maxMessageBytes: number,
    private readonly sharedDeduplication?: SharedDeduplication,
  ) {
    this.deduplication = new DeduplicationWindow(journal.loadDeduplication(Date.now()));
    const highest = this.deduplication.highestSequenceNumber();
    this.sequenceNumbers = new SequenceNumbers(highest, journal.shared ? clusterSlot() : undefined);
  }

  async publish(input: PublishInput): Promise<PublishResult> {
    return this.publishNow(input);
  }

  /**
   * Publishes as {@link publish} does, but decides at once: throws when the message is
   * refused, else has queued its journal write before returning, so the write joins the
   * caller's commit (on a cluster, a FIFO message's write is queued once its deduplication
   * id is claimed). The promise settles once the message is durable.
   */
  publishNow(input: PublishInput): Promise<PublishResult> {
    const topic = this.requireTopic(input.topicArn);
    const outcome = this.accept(topic, input);
    if (outcome.kind === 'duplicate') {
      return Promise.resolve(outcome.original.durable).then(() => resultOf(outcome));
    }
    if (outcome.fifo && this.sharedDeduplication) return this.publishClaimed(outcome);
    return this.commit([outcome]).then(() => resultOf(outcome));
  }

  /** Publishes a FIFO message once its id is claimed across the cluster's nodes. */
  private async publishClaimed(accepted: Accepted): Promise<PublishResult> {
    const [outcome] = (await this.claimAcrossNodes([accepted])) as [Accepted | Duplicate];
    if (outcome.kind === 'accepted') await this.commit([outcome]);
    return resultOf(outcome);
  }

  async publishBatch(topicArn: string, entries: PublishBatchEntry[]): Promise<PublishBatchResult> {
    const topic = this.requireTopic(topicArn);
    checkBatchShape(entries);
    this.checkBatchSize(entries);
    for (const entry of entries) checkFifoPresence(topic, entry);

    const result: PublishBatchResult = { successful: [], failed: [] };
    const outcomes: Array<Accepted | Duplicate> = [];
    const ids: string[] = [];
    for (const entry of entries) {
      try {
        outcomes.push(this.accept(topic, entry));
        ids.push(entry.id);
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

    const settled = await this.claimAcrossNodes(outcomes);
    const accepted = settled.filter((outcome) => outcome.kind === 'accepted');
    const duplicates = settled.filter((outcome) => outcome.kind === 'duplicate');
    await this.commit(accepted);
    await Promise.all(duplicates.map((duplicate) => duplicate.original.durable));
    settled.forEach((outcome, i) => result.successful.push({ id: ids[i]!, ...resultOf(outcome) }));
    return result;
  }

  /**
   * On a cluster, claims the deduplication id of each accepted FIFO message across the
   * nodes (in parallel, keeping the order): a message whose id another node published first
   * becomes a duplicate of that publish. When a claim fails, the others are given up.
   */
  private async claimAcrossNodes(
    outcomes: Array<Accepted | Duplicate>,
  ): Promise<Array<Accepted | Duplicate>> {
    const shared = this.sharedDeduplication;
    if (!shared) return outcomes;

    const claimed: DeduplicationRecord[] = [];
    const claim = async (outcome: Accepted | Duplicate): Promise<Accepted | Duplicate> => {
      if (outcome.kind === 'duplicate' || !outcome.fifo) return outcome;
      const { record } = outcome.fifo;
      const earlier = await shared.claim(record);
      if (!earlier) {
        claimed.push(record);
        return outcome;
      }
      // The earlier publish stands, for this caller and for any duplicate of this one.
      outcome.fifo.record = earlier;
      outcome.fifo.settle?.(Promise.resolve());
      return { kind: 'duplicate', original: outcome.fifo };
    };
    const settled = await Promise.allSettled(outcomes.map(claim));
    const failed = settled.find((one) => one.status === 'rejected');
    if (failed) {
      for (const outcome of outcomes) {
        if (outcome.kind === 'accepted' && outcome.fifo) {
          this.deduplication.forget(outcome.fifo.record);
          outcome.fifo.settle?.(Promise.reject(failed.reason));
        }
      }
      await Promise.allSettled(claimed.map((record) => shared.release(record)));
      throw failed.reason;
    }
    return settled.map((one) => (one as PromiseFulfilledResult<Accepted | Duplicate>).value);
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

  private requireTopic(topicArn: string): Topic {
    const topic = this.registry.topic(topicArn);
    if (!topic) notFoundTopic(topicArn);
    return topic;
  }

  /**
   * Checks a message and matches it, or finds the FIFO publish it duplicates. The size limit
   * counts the message as published (every entry of a structured one), as on AWS.
   */
  private accept(topic: Topic, input: Omit<PublishInput, 'topicArn'>): Accepted | Duplicate {
    const attributes = input.attributes ?? {};
    checkMessage(input.message, input.subject, attributes, this.maxMessageBytes);
    const structured =
      input.messageStructure === 'json'
        ? parseMessageStructure(input.message)
        : { body: input.message };
    const fifo = fifoFieldsOf(topic, input);
    const now = Date.now();
    if (fifo) {
      const original = this.deduplication.find({ topicArn: topic.arn, ...fifo }, now);
      if (original) return { kind: 'duplicate', original };
    }

    const message: PublishedMessage = {
      seq: 0,
      messageId: randomUUID(),
      topicArn: topic.arn,
      body: structured.body,
      attributes,
      publishedAt: now,
    };
    if (input.subject !== undefined) message.subject = input.subject;
    if (structured.protocolBodies) message.protocolBodies = structured.protocolBodies;
    const accepted: Accepted = { kind: 'accepted', message, subscriptions: this.match(message) };
    if (!fifo) return accepted;

    message.messageGroupId = fifo.messageGroupId;
    accepted.fifo = this.deduplication.remember({
      topicArn: topic.arn,
      scope: fifo.scope,
      deduplicationId: fifo.deduplicationId,
      messageId: message.messageId,
      sequenceNumber: this.sequenceNumbers.next(now),
      expiresAt: now + DEDUPLICATION_INTERVAL_MS,
    });
    return accepted;
  }

  /**
   * The subscriptions whose filter policy accepts the message. A policy on the message body
   * sees the body its subscription receives: a structured message with a protocol's own
   * entry is matched once more with that body, for that protocol's subscriptions.
   */
  private match(message: PublishedMessage): Subscription[] {
    const { topicArn, attributes, protocolBodies } = message;
    const matched = this.registry.match(topicArn, createFilterInput(message.body, attributes));
    if (protocolBodies === undefined) return matched;

    const result = matched.filter((s) => protocolBodies[s.protocol] === undefined);
    for (const [protocol, body] of Object.entries(protocolBodies) as Array<[Protocol, string]>) {
      for (const subscription of this.registry.match(
        topicArn,
        createFilterInput(body, attributes),
      )) {
        if (subscription.protocol === protocol) result.push(subscription);
      }
    }
    return result;
  }

  private async commit(accepted: Accepted[]): Promise<void> {
    if (accepted.length === 0) return;

    const entries: JournalEntry[] = [];
    const remembered: RememberedPublish[] = [];
    for (const one of accepted) {
      if (one.fifo) remembered.push(one.fifo);
      if (one.subscriptions.length === 0) continue;
      one.message.seq = this.journal.nextSeq();
      entries.push({ message: one.message, subscriptionIds: one.subscriptions.map((s) => s.id) });
    }
    if (entries.length + remembered.length > 0) {
      const records = remembered.map((publish) => publish.record);
      const written = this.journal.append(entries, records);
      for (const publish of remembered) publish.settle?.(written);
      const shared = this.sharedDeduplication;
      try {
        await written;
      } catch (error) {
        for (const record of records) this.deduplication.forget(record);
        if (shared) await Promise.allSettled(records.map((record) => shared.release(record)));
        throw error;
      }
      // The messages are stored whether or not a confirmation is: a claim left unconfirmed
      // only makes a duplicate wait for it, then take it over.
      if (shared) await Promise.allSettled(records.map((record) => shared.confirm(record)));
    }

    this.metrics.recordPublished(accepted[0]!.message.topicArn, accepted.length);
    for (const one of accepted) {
      if (one.subscriptions.length > 0) this.engine.enqueue(one.message, one.subscriptions);
    }
  }
}

/** What Publish answers for an accepted message or a FIFO duplicate. */
function resultOf(outcome: Accepted | Duplicate): PublishResult {
  if (outcome.kind === 'duplicate') return fifoResult(outcome.original);
  return outcome.fifo ? fifoResult(outcome.fifo) : { messageId: outcome.message.messageId };
}

function fifoResult({ record }: RememberedPublish): PublishResult {
  return {
    messageId: record.messageId,
    sequenceNumber: formatSequenceNumber(record.sequenceNumber),
  };
}

function notFoundTopic(topicArn: string): never {
  throw notFound('Topic', { topicArn });
}

function checkBatchShape(entries: PublishBatchEntry[]): void {
  checkBatchCount(entries.length);
  const seen = new Set<string>();
  for (const entry of entries) checkBatchEntryId(entry.id, seen);
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
