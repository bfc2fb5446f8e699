export { ERROR_CODES, type ErrorCode } from './codes.js';
export { HeraldError, invalidParameter, notFound, type ErrorContext } from './herald-error.js';
