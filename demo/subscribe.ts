import { SubscribeCommand, type SNSClient } from '@aws-sdk/client-sns';

import type { HeraldApi } from '../src/core/api.js';
import type { DemoSubscription } from './subscriptions.js';

/**
 * Subscribes a deployed function to a topic through the SNS API, with its filter policy
 * and, when it has one, a redrive policy naming a fresh built-in dead-letter queue.
 * Resolves with the subscription ARN.
 */
export async function subscribeFunction(
  sns: SNSClient,
  herald: HeraldApi,
  topicArn: string,
  functionArn: string,
  subscription: DemoSubscription,
): Promise<string> {
  const attributes: Record<string, string> = { FilterPolicy: subscription.filterPolicy };

  if (subscription.deadLetterQueue) {
    const queue = await herald.createQueue(subscription.deadLetterQueue);
    attributes.RedrivePolicy = JSON.stringify({ deadLetterTargetArn: queue.arn });
  }

  const result = await sns.send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: 'lambda',
      Endpoint: functionArn,
      Attributes: attributes,
      ReturnSubscriptionArn: true,
    }),
  );
  if (!result.SubscriptionArn) throw new Error(`Subscribe returned no ARN for ${functionArn}`);
  return result.SubscriptionArn;
}
