import type { Logger } from '../../log/logger.js';
import { confirmationEnvelope, type ConfirmationRequest } from '../confirmation-envelope.js';
import type { EnvelopeContext } from '../envelope.js';
import { SNS_USER_AGENT } from './http-target.js';
import type { HttpTransport } from './http-transport.js';

/**
 * Posts SubscriptionConfirmation and UnsubscribeConfirmation messages to HTTP(S)
 * endpoints, retrying a failed post after each of `retryDelaysMs`. These posts are not
 * journaled: one still being retried when Herald stops is not resumed.
 */
export class ConfirmationSender {
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(
    private readonly transport: HttpTransport,
    private readonly envelopes: EnvelopeContext,
    private readonly retryDelaysMs: readonly number[],
    private readonly logger: Logger,
  ) {}

  /** Starts posting the confirmation to `endpoint`; returns at once. */
  send(request: ConfirmationRequest, endpoint: string): void {
    void this.attempt(request, endpoint, 0);
  }

  /** Stops retrying. */
  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private async attempt(request: ConfirmationRequest, endpoint: string, retry: number) {
    if (this.closed) return;
    const { messageId, body } = confirmationEnvelope(request, this.envelopes);
    const headers = {
      'x-amz-sns-message-type': request.type,
      'x-amz-sns-message-id': messageId,
      'x-amz-sns-topic-arn': request.topicArn,
      ...(request.type === 'UnsubscribeConfirmation'
        ? { 'x-amz-sns-subscription-arn': request.subscriptionArn }
        : {}),
      'content-type': 'text/plain; charset=UTF-8',
      'user-agent': SNS_USER_AGENT,
    };

    const result = await this.transport.post(new URL(endpoint), headers, body);
    if (result.ok) return;

    const log = { type: request.type, endpoint, error: result.error, attempt: retry + 1 };
    const delay = this.retryDelaysMs[retry];
    if (!result.retryable || delay === undefined || this.closed) {
      this.logger.warn(log, 'confirmation message could not be delivered; giving up');
      return;
    }
    this.logger.info(log, 'confirmation message not delivered; retrying');
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.attempt(request, endpoint, retry + 1);
    }, delay);
    timer.unref();
    this.timers.add(timer);
  }
}
