import { invalidParameter } from '../../errors/index.js';
import type { ActionHandler } from './action.js';
import { missingParameter, requireParam, stringList } from './form.js';
import { actionResponse } from './xml.js';

const LABEL = /^[A-Za-z0-9_-]{1,80}$/;

/** AddPermission: one Allow statement (Sid = Label) for accounts and actions on a topic. */
const addPermission: ActionHandler = async ({ herald, params, requestId }) => {
  const topicArn = requireParam(params, 'TopicArn');
  const label = requireParam(params, 'Label');
  if (!LABEL.test(label)) throw invalidParameter('Label', { parameter: 'Label' });
  const accountIds = stringList(params, 'AWSAccountId.member');
  if (accountIds.length === 0) throw missingParameter('AWSAccountId');
  const actionNames = stringList(params, 'ActionName.member');
  if (actionNames.length === 0) throw missingParameter('ActionName');

  await herald.addPermission(topicArn, { label, accountIds, actionNames });
  return actionResponse('AddPermission', requestId);
};

/** RemovePermission: drops the statement labelled `Label` from the topic's policy. */
const removePermission: ActionHandler = async ({ herald, params, requestId }) => {
  const topicArn = requireParam(params, 'TopicArn');
  await herald.removePermission(topicArn, requireParam(params, 'Label'));
  return actionResponse('RemovePermission', requestId);
};

/** The topic-permission actions by their `Action` name. */
export const permissionActions: Record<string, ActionHandler> = {
  AddPermission: addPermission,
  RemovePermission: removePermission,
};
