/**
 * Herald's public entry: embed a Herald in a Node.js process, run its HTTP server, and use
 * its filter-policy engine on its own. Everything else under `src/` is internal.
 */
export { createHerald, Herald, type HeraldMetrics, type HeraldOptions } from './core/herald.js';
export type {
  DeadLetter,
  DeployFunctionInput,
  HeraldApi,
  Page,
  PublishBatchEntry,
  PublishBatchResult,
  PublishInput,
} from './core/api.js';
export { startServer, type RunningServer, type ServerOptions } from './server/start.js';
export {
  compileFilterPolicy,
  createFilterInput,
  explainMatch,
  matchesPolicy,
  PolicyIndex,
  type CompiledPolicy,
  type FilterInput,
  type FilterScope,
} from './filter/index.js';
export { HeraldError, type ErrorCode } from './errors/index.js';
export type { MessageAttribute, MessageAttributes } from './domain/message.js';
export type { FunctionDefinition } from './domain/function.js';
export type { Queue, QueueMessage } from './domain/queue.js';
export type { Subscription } from './domain/subscription.js';
export type { Topic } from './domain/topic.js';
export { zipDirectory } from './functions/bundle.js';
