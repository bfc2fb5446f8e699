/**
 * The registry of API error codes Herald answers with: each code's HTTP status and whether
 * the caller (Sender) or Herald (Receiver) is at fault. SNS codes and Lambda codes live here
 * together so that every error a client sees comes from one table.
 */
export const ERROR_CODES = {
  InvalidParameter: { status: 400, fault: 'Sender' },
  InvalidParameterValue: { status: 400, fault: 'Sender' },
  MissingParameter: { status: 400, fault: 'Sender' },
  InvalidAction: { status: 400, fault: 'Sender' },
  MalformedQueryString: { status: 400, fault: 'Sender' },
  ValidationError: { status: 400, fault: 'Sender' },
  NotFound: { status: 404, fault: 'Sender' },
  ResourceNotFound: { status: 404, fault: 'Sender' },
  AuthorizationError: { status: 403, fault: 'Sender' },
  InvalidClientTokenId: { status: 403, fault: 'Sender' },
  SignatureDoesNotMatch: { status: 403, fault: 'Sender' },
  MissingAuthenticationToken: { status: 403, fault: 'Sender' },
  IncompleteSignature: { status: 400, fault: 'Sender' },
  TopicLimitExceeded: { status: 403, fault: 'Sender' },
  SubscriptionLimitExceeded: { status: 403, fault: 'Sender' },
  FilterPolicyLimitExceeded: { status: 403, fault: 'Sender' },
  TagLimitExceeded: { status: 400, fault: 'Sender' },
  TooManyEntriesInBatchRequest: { status: 400, fault: 'Sender' },
  BatchEntryIdsNotDistinct: { status: 400, fault: 'Sender' },
  EmptyBatchRequest: { status: 400, fault: 'Sender' },
  InvalidBatchEntryId: { status: 400, fault: 'Sender' },
  BatchRequestTooLong: { status: 400, fault: 'Sender' },
  Throttled: { status: 429, fault: 'Sender' },
  InternalError: { status: 500, fault: 'Receiver' },
  ServiceUnavailable: { status: 503, fault: 'Receiver' },
  // Lambda API codes (REST-JSON protocol, `x-amzn-ErrorType`).
  ResourceNotFoundException: { status: 404, fault: 'Sender' },
  ResourceConflictException: { status: 409, fault: 'Sender' },
  AccessDeniedException: { status: 403, fault: 'Sender' },
  InvalidParameterValueException: { status: 400, fault: 'Sender' },
  InvalidRequestContentException: { status: 400, fault: 'Sender' },
  RequestTooLargeException: { status: 413, fault: 'Sender' },
  TooManyRequestsException: { status: 429, fault: 'Sender' },
  ServiceException: { status: 500, fault: 'Receiver' },
  // Lambda's names for refused signatures (SNS's are InvalidClientTokenId and the like).
  MissingAuthenticationTokenException: { status: 403, fault: 'Sender' },
  UnrecognizedClientException: { status: 403, fault: 'Sender' },
  InvalidSignatureException: { status: 403, fault: 'Sender' },
  IncompleteSignatureException: { status: 400, fault: 'Sender' },
} as const satisfies Record<string, { status: number; fault: 'Sender' | 'Receiver' }>;

/** An API error code from {@link ERROR_CODES}. */
export type ErrorCode = keyof typeof ERROR_CODES;
