import { HeraldError } from '../../errors/index.js';

/**
 * `ServiceUnavailable` (503) for a NATS request that failed: the client can retry once NATS
 * answers again. The NATS error stays attached as the cause, for the log.
 */
export function natsUnavailable(message: string, cause: unknown): HeraldError {
  const reason = cause instanceof Error ? `: ${cause.message}` : '';
  return new HeraldError('ServiceUnavailable', `${message}${reason}`, {}, cause);
}
