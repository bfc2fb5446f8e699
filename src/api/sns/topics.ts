import type { ActionHandler } from './action.js';
import { requireParam, stringMap } from './form.js';
import { actionResponse, attributeEntries, members } from './xml.js';

/** CreateTopic: idempotent; takes `Attributes.entry.N` and `Tags.member.N`. */
const createTopic: ActionHandler = async ({ herald, params, requestId }) => {
  const name = requireParam(params, 'Name');
  const attributes = stringMap(params, 'Attributes.entry');
  const tags = stringMap(params, 'Tags.member', 'Key', 'Value');

  const topic = await herald.createTopic(name, attributes, tags);
  return actionResponse('CreateTopic', requestId, { TopicArn: topic.arn });
};

/** DeleteTopic. */
const deleteTopic: ActionHandler = async ({ herald, params, requestId }) => {
  await herald.deleteTopic(requireParam(params, 'TopicArn'));
  return actionResponse('DeleteTopic', requestId);
};

/** ListTopics: one page of topic ARNs, with `NextToken` when more remain. */
const listTopics: ActionHandler = async ({ herald, params, requestId }) => {
  const page = await herald.listTopics(params.NextToken);
  return actionResponse('ListTopics', requestId, {
    Topics: members(page.items.map((topic) => ({ TopicArn: topic.arn }))),
    NextToken: page.nextToken,
  });
};

/** GetTopicAttributes. */
const getTopicAttributes: ActionHandler = async ({ herald, params, requestId }) => {
  const attributes = await herald.getTopicAttributes(requireParam(params, 'TopicArn'));
  return actionResponse('GetTopicAttributes', requestId, {
    Attributes: attributeEntries(attributes),
  });
};

/** SetTopicAttributes: one attribute; an absent `AttributeValue` sets it empty. */
const setTopicAttributes: ActionHandler = async ({ herald, params, requestId }) => {
  const topicArn = requireParam(params, 'TopicArn');
  const name = requireParam(params, 'AttributeName');

  await herald.setTopicAttribute(topicArn, name, params.AttributeValue ?? '');
  return actionResponse('SetTopicAttributes', requestId);
};

/** The topic actions by their `Action` name. */
export const topicActions: Record<string, ActionHandler> = {
  CreateTopic: createTopic,
  DeleteTopic: deleteTopic,
  ListTopics: listTopics,
  GetTopicAttributes: getTopicAttributes,
  SetTopicAttributes: setTopicAttributes,
};
