import { authorizeTopicAccess } from '../../core/topic-access.js';
import type { ActionRequest } from './action.js';

/**
 * Enforces the topic's access policy (its `Policy` attribute) for one action when access
 * control is on; without a verified caller every request is let through, as before.
 */
export async function authorizeTopicAction(
  request: ActionRequest,
  topicArn: string,
  action: string,
): Promise<void> {
  const { caller, herald } = request;
  if (caller === undefined) return;

  const { Policy: policy = '' } = await herald.getTopicAttributes(topicArn);
  authorizeTopicAccess(policy, { caller, action, topicArn });
}
