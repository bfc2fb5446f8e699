import { invalidParameter } from '../errors/index.js';
import { parseTopicDeliveryPolicy } from '../delivery/http/delivery-policy.js';
import { topicEffectiveDeliveryPolicy } from '../delivery/http/effective-policy.js';
import type { Subscription } from '../domain/subscription.js';
import type { Topic } from '../domain/topic.js';

/** Topic attributes a client may set; everything else GetTopicAttributes computes. */
const SETTABLE = new Set([
  'DisplayName',
  'Policy',
  'DeliveryPolicy',
  'TracingConfig',
  'KmsMasterKeyId',
  'SignatureVersion',
  'ContentBasedDeduplication',
  'ArchivePolicy',
  'DataProtectionPolicy',
  'FifoThroughputScope',
  'ApplicationSuccessFeedbackRoleArn',
  'ApplicationSuccessFeedbackSampleRate',
  'ApplicationFailureFeedbackRoleArn',
  'HTTPSuccessFeedbackRoleArn',
  'HTTPSuccessFeedbackSampleRate',
  'HTTPFailureFeedbackRoleArn',
  'LambdaSuccessFeedbackRoleArn',
  'LambdaSuccessFeedbackSampleRate',
  'LambdaFailureFeedbackRoleArn',
  'SQSSuccessFeedbackRoleArn',
  'SQSSuccessFeedbackSampleRate',
  'SQSFailureFeedbackRoleArn',
  'FirehoseSuccessFeedbackRoleArn',
  'FirehoseSuccessFeedbackSampleRate',
  'FirehoseFailureFeedbackRoleArn',
]);

/** Attributes only CreateTopic may set. */
const CREATE_ONLY = new Set(['FifoTopic']);

/** AWS's limit on a topic's DisplayName. */
const MAX_DISPLAY_NAME_LENGTH = 100;

const JSON_ATTRIBUTES = new Set(['Policy', 'DeliveryPolicy', 'DataProtectionPolicy']);

/** Checks one topic attribute a client sets; throws `InvalidParameter` naming it. */
export function validateTopicAttribute(name: string, value: string, creating: boolean): void {
  if (!SETTABLE.has(name) && !(creating && CREATE_ONLY.has(name))) {
    throw invalidParameter(`AttributeName`, { parameter: name });
  }
  if (name === 'DeliveryPolicy') parseTopicDeliveryPolicy(value);
  if (JSON_ATTRIBUTES.has(name) && value !== '') {
    try {
      JSON.parse(value);
    } catch {
      throw invalidParameter(`${name}: failed to parse JSON`, { parameter: name });
    }
  }
  if (name === 'DisplayName' && [...value].length > MAX_DISPLAY_NAME_LENGTH) {
    throw invalidParameter(`DisplayName: must be at most ${MAX_DISPLAY_NAME_LENGTH} characters`, {
      parameter: name,
    });
  }
  if (name === 'SignatureVersion' && value !== '1' && value !== '2') {
    throw invalidParameter(`SignatureVersion: must be 1 or 2, got '${value}'`);
  }
  if (name === 'FifoTopic' && value !== 'true' && value !== 'false') {
    throw invalidParameter(`FifoTopic: must be true or false`);
  }
}

/** The access policy AWS gives a new topic: the owner may do everything. */
export function defaultTopicPolicy(topicArn: string, accountId: string): string {
  const actions = [
    'SNS:GetTopicAttributes',
    'SNS:SetTopicAttributes',
    'SNS:AddPermission',
    'SNS:RemovePermission',
    'SNS:DeleteTopic',
    'SNS:Subscribe',
    'SNS:ListSubscriptionsByTopic',
    'SNS:Publish',
  ];
  return JSON.stringify({
    Version: '2008-10-17',
    Id: '__default_policy_ID',
    Statement: [
      {
        Sid: '__default_statement_ID',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: actions,
        Resource: topicArn,
        Condition: { StringEquals: { 'AWS:SourceOwner': accountId } },
      },
    ],
  });
}

/** Everything GetTopicAttributes reports for a topic, computed counts included. */
export function describeTopic(
  topic: Topic,
  subscriptions: Subscription[],
  accountId: string,
): Record<string, string> {
  const confirmed = subscriptions.filter((s) => s.confirmed).length;
  const attributes: Record<string, string> = {
    Policy: defaultTopicPolicy(topic.arn, accountId),
    Owner: accountId,
    SubscriptionsPending: String(subscriptions.length - confirmed),
    TopicArn: topic.arn,
    EffectiveDeliveryPolicy: topicEffectiveDeliveryPolicy(topic.attributes.DeliveryPolicy ?? ''),
    SubscriptionsConfirmed: String(confirmed),
    DisplayName: '',
    SubscriptionsDeleted: '0',
    ...topic.attributes,
  };
  if (topic.name.endsWith('.fifo')) {
    attributes.FifoTopic = 'true';
    attributes.ContentBasedDeduplication ??= 'false';
  }
  return attributes;
}
