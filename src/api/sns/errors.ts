import type { HeraldError } from '../../errors/index.js';
import { SNS_NAMESPACE, buildXml } from './xml.js';

/**
 * Codes whose wire spelling differs from Herald's registry name. SNS's
 * `InvalidParameterValueException` travels as `ParameterValueInvalid` (botocore's service
 * model), which is what the AWS SDKs map back to that exception.
 */
const WIRE_CODES: Partial<Record<string, string>> = {
  InvalidParameterValue: 'ParameterValueInvalid',
};

/** The SNS `<ErrorResponse>` document for an error, as AWS SDKs parse it. */
export function errorResponse(error: HeraldError, requestId: string): string {
  return buildXml({
    ErrorResponse: {
      '@xmlns': SNS_NAMESPACE,
      Error: {
        Type: error.fault,
        Code: WIRE_CODES[error.code] ?? error.code,
        Message: error.message,
      },
      RequestId: requestId,
    },
  });
}
