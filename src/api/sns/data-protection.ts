import type { ActionHandler } from './action.js';
import { requireParam } from './form.js';
import { actionResponse } from './xml.js';

/** GetDataProtectionPolicy: the stored policy; the element is left out when none is set. */
const getDataProtectionPolicy: ActionHandler = async ({ herald, params, requestId }) => {
  const policy = await herald.getDataProtectionPolicy(requireParam(params, 'ResourceArn'));
  return actionResponse('GetDataProtectionPolicy', requestId, {
    DataProtectionPolicy: policy === '' ? undefined : policy,
  });
};

/** PutDataProtectionPolicy: stores the policy document (Herald does not enforce it). */
const putDataProtectionPolicy: ActionHandler = async ({ herald, params, requestId }) => {
  const resourceArn = requireParam(params, 'ResourceArn');
  const policy = requireParam(params, 'DataProtectionPolicy');

  await herald.putDataProtectionPolicy(resourceArn, policy);
  return actionResponse('PutDataProtectionPolicy', requestId);
};

/** The data-protection actions by their `Action` name. */
export const dataProtectionActions: Record<string, ActionHandler> = {
  GetDataProtectionPolicy: getDataProtectionPolicy,
  PutDataProtectionPolicy: putDataProtectionPolicy,
};
