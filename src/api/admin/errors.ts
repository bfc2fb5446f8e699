import type { HeraldError } from '../../errors/index.js';

/** The admin API's error body: `{ "error": { "code", "message" } }`. */
export interface AdminErrorBody {
  error: { code: string; message: string };
}

/** The JSON body for an error, with the code from Herald's registry. */
export function errorBody(error: HeraldError): AdminErrorBody {
  return { error: { code: error.code, message: error.message } };
}
