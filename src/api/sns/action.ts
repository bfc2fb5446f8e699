import type { HeraldApi } from '../../core/api.js';
import type { Caller } from '../../core/topic-access.js';
import type { Params } from './form.js';

/** Everything one SNS action needs to answer a request. */
export interface ActionRequest {
  herald: HeraldApi;
  params: Params;
  requestId: string;
  /** The verified caller when access control is on; undefined when it is off. */
  caller?: Caller;
}

/** Runs one SNS action and returns its XML response document. */
export type ActionHandler = (request: ActionRequest) => Promise<string>;
