export {
  ACCESS_KEY_SCHEMA,
  AccessKeyStore,
  loadAccessKeysFile,
  parseAccessKeyFlag,
  type AccessKey,
} from './access-keys.js';
export {
  callerOf,
  isOpenRequest,
  LINK_ACTIONS,
  sigV4PreParsing,
  type AuthSettings,
} from './hook.js';
export { MAX_CLOCK_SKEW_MS, verifySigV4, type SignedRequest } from './sigv4.js';
