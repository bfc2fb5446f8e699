import { topicArn as buildTopicArn, topicNameOf, type Partition } from '../domain/arn.js';
import type { Topic } from '../domain/topic.js';
import { HeraldError, invalidParameter, notFound } from '../errors/index.js';
import type { Catalog } from '../store/catalog.js';
import type { Page } from './api.js';
import { decodePageToken, encodePageToken } from './page-token.js';
import type { Registry } from './registry.js';
import { describeTopic, validateTopicAttribute } from './topic-attributes.js';
import { validateTags } from './topic-tags.js';
import type { Subscription } from '../domain/subscription.js';

const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}$/;
const FIFO_TOPIC_NAME = /^[A-Za-z0-9_-]{1,251}\.fifo$/;

/** Topic lifecycle: create (idempotent), attributes, listing, delete. */
export class TopicService {
  constructor(
    private readonly catalog: Catalog,
    private readonly registry: Registry,
    private readonly partition: Partition,
    private readonly pageSize: number,
    private readonly onDeleted: (subscriptions: Subscription[]) => void,
  ) {}

  create(
    name: string,
    attributes: Record<string, string> = {},
    tags: Record<string, string> = {},
  ): Topic {
    checkTopicName(name, attributes);
    for (const [key, value] of Object.entries(attributes)) {
      validateTopicAttribute(key, value, true);
    }
    validateTags(tags);

    const arn = buildTopicArn(this.partition, name);
    const existing = this.registry.topic(arn);
    if (existing) {
      checkSameTopic(existing, attributes, tags);
      return existing;
    }

    const { FifoTopic: _fifo, ...stored } = attributes;
    const topic: Topic = { arn, name, attributes: stored, tags, createdAt: Date.now() };
    this.catalog.putTopic(topic);
    this.registry.putTopic(topic);
    return topic;
  }

  get(arn: string): Topic {
    topicNameOf(arn);
    const topic = this.registry.topic(arn);
    if (!topic) throw notFound('Topic', { topicArn: arn });
    return topic;
  }

  delete(arn: string): void {
    topicNameOf(arn);
    if (!this.registry.topic(arn)) return;
    this.catalog.deleteTopic(arn);
    this.onDeleted(this.registry.removeTopic(arn));
  }

  list(nextToken?: string): Page<Topic> {
    const after =
      nextToken === undefined ? undefined : decodePageToken<string>(nextToken, 'string');
    const items = this.catalog.listTopics(after, this.pageSize + 1);
    if (items.length <= this.pageSize) return { items };
    const page = items.slice(0, this.pageSize);
    return { items: page, nextToken: encodePageToken(page[page.length - 1]!.arn) };
  }

  attributes(arn: string): Record<string, string> {
    const topic = this.get(arn);
    return describeTopic(topic, this.registry.subscriptionsOf(arn), this.partition.accountId);
  }

  setAttribute(arn: string, name: string, value: string): void {
    const topic = this.get(arn);
    validateTopicAttribute(name, value, false);
    const updated: Topic = { ...topic, attributes: { ...topic.attributes, [name]: value } };
    this.catalog.putTopic(updated);
    this.registry.putTopic(updated);
  }

  /** Replaces a topic with what `change` makes of it (tags, policy), durably. */
  update(arn: string, change: (topic: Topic) => Topic): Topic {
    const updated = change(this.get(arn));
    this.catalog.putTopic(updated);
    this.registry.putTopic(updated);
    return updated;
  }
}

/**
 * A FIFO topic (`FifoTopic=true`) must be named `<name>.fifo`, and only a FIFO topic may be:
 * AWS refuses a `.fifo` name without the attribute, as it refuses other dots.
 */
function checkTopicName(name: string, attributes: Record<string, string>): void {
  const fifo = attributes.FifoTopic === 'true';
  if (fifo && !FIFO_TOPIC_NAME.test(name)) {
    throw new HeraldError(
      'InvalidParameter',
      'Fifo Topic names must end with .fifo and must be made up of only uppercase and ' +
        'lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 ' +
        'and 256 characters long.',
      { parameter: 'Name' },
    );
  }
  if (!fifo && !TOPIC_NAME.test(name)) {
    throw invalidParameter('Topic Name', { parameter: 'Name' });
  }
}

/** CreateTopic of an existing name succeeds only with the same attributes and tags. */
function checkSameTopic(
  topic: Topic,
  attributes: Record<string, string>,
  tags: Record<string, string>,
): void {
  for (const [key, value] of Object.entries(attributes)) {
    if (
      key !== 'FifoTopic' &&
      Object.hasOwn(topic.attributes, key) &&
      topic.attributes[key] !== value
    ) {
      throw invalidParameter('Attributes: Topic already exists with different attributes');
    }
  }
  for (const [key, value] of Object.entries(tags)) {
    if (Object.hasOwn(topic.tags, key) && topic.tags[key] !== value) {
      throw invalidParameter('Tags: Topic already exists with different tags');
    }
  }
}
