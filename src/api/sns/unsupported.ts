import { HeraldError } from '../../errors/index.js';
import type { ActionHandler } from './action.js';

/** SNS's SMS and mobile-push actions, which Herald answers with `InvalidAction`. */
export const UNSUPPORTED_ACTIONS = [
  'CheckIfPhoneNumberIsOptedOut',
  'CreatePlatformApplication',
  'CreatePlatformEndpoint',
  'CreateSMSSandboxPhoneNumber',
  'DeleteEndpoint',
  'DeletePlatformApplication',
  'DeleteSMSSandboxPhoneNumber',
  'GetEndpointAttributes',
  'GetPlatformApplicationAttributes',
  'GetSMSAttributes',
  'GetSMSSandboxAccountStatus',
  'ListEndpointsByPlatformApplication',
  'ListOriginationNumbers',
  'ListPhoneNumbersOptedOut',
  'ListPlatformApplications',
  'ListSMSSandboxPhoneNumbers',
  'OptInPhoneNumber',
  'SetEndpointAttributes',
  'SetPlatformApplicationAttributes',
  'SetSMSAttributes',
  'VerifySMSSandboxPhoneNumber',
] as const;

function unsupported(action: string): ActionHandler {
  return async () => {
    throw new HeraldError('InvalidAction', `Herald does not support SMS / mobile push: ${action}`);
  };
}

/** A handler per unsupported action, each answering a clear `InvalidAction` (400). */
export const unsupportedActions: Record<string, ActionHandler> = Object.fromEntries(
  UNSUPPORTED_ACTIONS.map((action) => [action, unsupported(action)]),
);
