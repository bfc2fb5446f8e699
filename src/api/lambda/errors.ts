import type { FastifyReply, FastifyRequest } from 'fastify';
import { functionArn, type Partition } from '../../domain/arn.js';
import { HeraldError, type ErrorCode } from '../../errors/index.js';
import { clientErrorOf, internalError } from '../errors.js';

/** Herald's own codes as the Lambda API names them. */
const LAMBDA_CODES: Partial<Record<ErrorCode, ErrorCode>> = {
  NotFound: 'ResourceNotFoundException',
  ResourceNotFound: 'ResourceNotFoundException',
  InvalidParameter: 'InvalidParameterValueException',
  InvalidParameterValue: 'InvalidParameterValueException',
  MissingParameter: 'InvalidParameterValueException',
  ValidationError: 'InvalidParameterValueException',
  Throttled: 'TooManyRequestsException',
  InternalError: 'ServiceException',
  ServiceUnavailable: 'ServiceException',
  MissingAuthenticationToken: 'MissingAuthenticationTokenException',
  InvalidClientTokenId: 'UnrecognizedClientException',
  SignatureDoesNotMatch: 'InvalidSignatureException',
  IncompleteSignature: 'IncompleteSignatureException',
};

/**
 * Answers an error as the Lambda API does: the status from the registry, the code in
 * `x-amzn-ErrorType`, and `{ Type, message }` as the body. A missing function is named by
 * its ARN, as Lambda names it.
 */
export function sendLambdaError(
  request: FastifyRequest,
  reply: FastifyReply,
  error: unknown,
  partition: Partition,
): FastifyReply {
  let known = clientErrorOf(error, 'lambda');
  if (known === undefined) {
    request.log.error({ err: error }, 'internal error while serving a Lambda API request');
    known = internalError();
  } else if (known.fault === 'Receiver') {
    request.log.error({ err: known }, known.message);
  }
  const code = LAMBDA_CODES[known.code] ?? known.code;
  const lambdaError = new HeraldError(code, messageOf(known, code, partition), known.context);

  return reply
    .code(lambdaError.status)
    .header('x-amzn-ErrorType', code)
    .header('x-amzn-RequestId', request.id)
    .send({
      Type: lambdaError.fault === 'Sender' ? 'User' : 'Service',
      message: lambdaError.message,
    });
}

function messageOf(error: HeraldError, code: ErrorCode, partition: Partition): string {
  const name = error.context.functionName;
  if (
    code === 'ResourceNotFoundException' &&
    name !== undefined &&
    /^Function not found/.test(error.message)
  ) {
    return `Function not found: ${functionArn(partition, name)}`;
  }
  return error.message;
}
