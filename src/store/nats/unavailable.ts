import { HeraldError } from '../../errors/index.js';

/**
 * `ServiceUnavailable` (503) for a NATS request that failed: the client can retry once NATS
 * answers again. The NATS error stays attached as the cause, for the log.
 */
export function natsUnavailable(message: string, cause: unknown): HeraldError {
  const reason = cause instanceof Error ? `: ${natsReason(cause)}` : '';
  return new HeraldError('ServiceUnavailable', `${message}${reason}`, {}, cause);
}

/**
 * What a NATS error means, in words an operator can act on. While a replicated stream elects
 * a new leader, JetStream answers as though it were off ("jetstream is not enabled").
 */
export function natsReason(error: Error): string {
  if (isLeaderless(error)) {
    return `JetStream did not answer (${error.message}); a stream may be electing a new leader`;
  }
  return error.message;
}

/**
 * True for the answers of a JetStream request that no stream leader took: nothing was
 * stored, so it may be sent again.
 */
export function isLeaderless(error: unknown): boolean {
  return error instanceof Error && /jetstream is not enabled|no responders/i.test(error.message);
}
