import { parseArn } from '../domain/arn.js';
import { HeraldError, invalidParameter } from '../errors/index.js';
import { validateTopicAttribute } from './topic-attributes.js';
import {
  addPermission as withPermission,
  removePermission as withoutPermission,
  type PermissionGrant,
} from './topic-permissions.js';
import { mergeTags, withoutTags } from './topic-tags.js';
import type { TopicService } from './topics.js';

const DATA_PROTECTION_POLICY = 'DataProtectionPolicy';

/**
 * What SNS keeps beside a topic's attributes: its tags, the statements AddPermission and
 * RemovePermission edit in its access policy, and its data-protection policy.
 */
export class TopicResourceService {
  constructor(private readonly topics: TopicService) {}

  tags(resourceArn: string): Record<string, string> {
    return this.taggedTopic(resourceArn).tags;
  }

  tag(resourceArn: string, tags: Record<string, string>): void {
    this.taggedTopic(resourceArn);
    this.topics.update(resourceArn, (topic) => ({ ...topic, tags: mergeTags(topic.tags, tags) }));
  }

  untag(resourceArn: string, keys: string[]): void {
    this.taggedTopic(resourceArn);
    this.topics.update(resourceArn, (topic) => ({ ...topic, tags: withoutTags(topic.tags, keys) }));
  }

  addPermission(topicArn: string, grant: PermissionGrant): void {
    const policy = this.policyOf(topicArn);
    this.setPolicy(topicArn, withPermission(policy, topicArn, grant));
  }

  removePermission(topicArn: string, label: string): void {
    const policy = this.policyOf(topicArn);
    this.setPolicy(topicArn, withoutPermission(policy, label));
  }

  dataProtectionPolicy(resourceArn: string): string {
    return this.topics.get(resourceArn).attributes[DATA_PROTECTION_POLICY] ?? '';
  }

  putDataProtectionPolicy(resourceArn: string, policy: string): void {
    this.topics.get(resourceArn);
    validateTopicAttribute(DATA_PROTECTION_POLICY, policy, false);
    this.topics.update(resourceArn, (topic) => ({
      ...topic,
      attributes: { ...topic.attributes, [DATA_PROTECTION_POLICY]: policy },
    }));
  }

  /** The topic a tagging call names; a missing one is `ResourceNotFound`, as SNS answers. */
  private taggedTopic(resourceArn: string) {
    const parsed = parseArn(resourceArn);
    if (!parsed || parsed.service !== 'sns' || parsed.resource.includes(':')) {
      throw invalidParameter(`ResourceArn: Invalid ResourceArn: ${resourceArn}`, {
        parameter: 'ResourceArn',
      });
    }
    try {
      return this.topics.get(resourceArn);
    } catch (error) {
      if (error instanceof HeraldError && error.code === 'NotFound') {
        throw new HeraldError('ResourceNotFound', 'Resource does not exist', {
          topicArn: resourceArn,
        });
      }
      throw error;
    }
  }

  /** The topic's access policy as GetTopicAttributes reports it (the default when unset). */
  private policyOf(topicArn: string): string {
    const policy = this.topics.attributes(topicArn).Policy ?? '';
    return policy === '' ? '{"Version":"2008-10-17","Statement":[]}' : policy;
  }

  private setPolicy(topicArn: string, policy: string): void {
    this.topics.update(topicArn, (topic) => ({
      ...topic,
      attributes: { ...topic.attributes, Policy: policy },
    }));
  }
}
