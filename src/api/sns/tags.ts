import type { ActionHandler } from './action.js';
import { missingParameter, requireParam, stringList, stringMap } from './form.js';
import { actionResponse, members } from './xml.js';

/** ListTagsForResource: the topic's tags as `<Tags><member><Key/><Value/></member></Tags>`. */
const listTagsForResource: ActionHandler = async ({ herald, params, requestId }) => {
  const tags = await herald.listTagsForResource(requireParam(params, 'ResourceArn'));
  return actionResponse('ListTagsForResource', requestId, {
    Tags: members(Object.entries(tags).map(([Key, Value]) => ({ Key, Value }))),
  });
};

/** TagResource: adds or overwrites tags, within 50 per topic. */
const tagResource: ActionHandler = async ({ herald, params, requestId }) => {
  const resourceArn = requireParam(params, 'ResourceArn');
  const tags = stringMap(params, 'Tags.member', 'Key', 'Value');
  if (tags === undefined) throw missingParameter('Tags');

  await herald.tagResource(resourceArn, tags);
  return actionResponse('TagResource', requestId, {});
};

/** UntagResource: removes tags by key; unknown keys are ignored. */
const untagResource: ActionHandler = async ({ herald, params, requestId }) => {
  const resourceArn = requireParam(params, 'ResourceArn');
  const keys = stringList(params, 'TagKeys.member');
  if (keys.length === 0) throw missingParameter('TagKeys');

  await herald.untagResource(resourceArn, keys);
  return actionResponse('UntagResource', requestId, {});
};

/** The tagging actions by their `Action` name. */
export const tagActions: Record<string, ActionHandler> = {
  ListTagsForResource: listTagsForResource,
  TagResource: tagResource,
  UntagResource: untagResource,
};
