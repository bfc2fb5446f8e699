import { describe, expect, it } from 'vitest';
import type { Delivery, DeliveryOutcome, DeliveryTarget } from '../../src/delivery/delivery.js';
import { DeliveryEngine } from '../../src/delivery/engine.js';
import { DeliveryMetrics } from '../../src/delivery/metrics.js';
import type { PublishedMessage } from '../../src/domain/message.js';
import type { Subscription } from '../../src/domain/subscription.js';
import { silentLogger } from '../../src/log/logger.js';
import type { Journal } from '../../src/store/journal.js';

const SUBSCRIPTION: Subscription = {
  id: 1,
  arn: 'arn:aws:sns:us-east-1:000000000000:orders.fifo:sub',
  topicArn: 'arn:aws:sns:us-east-1:000000000000:orders.fifo',
  protocol: 'sqs',
  endpoint: 'arn:aws:sqs:us-east-1:000000000000:q',
  attributes: {},
  confirmed: true,
  createdAt: 0,
};

let seq = 0;
function message(body: string, messageGroupId: string): PublishedMessage {
  seq++;
  return {
    seq,
    messageId: `m${seq}`,
    topicArn: SUBSCRIPTION.topicArn,
    body,
    messageGroupId,
    attributes: {},
    publishedAt: Date.now(),
  };
}

/** A target that fails the first attempt of some bodies and records what it saw. */
class RecordingTarget implements DeliveryTarget {
  readonly key = 'sqs:q';
  readonly maxBatch = 256;
  readonly attempts: string[] = [];
  readonly delivered: string[] = [];
  inFlightByGroup = new Map<string, number>();
  overlapped = false;

  constructor(private readonly failOnce: Set<string>) {}

  concurrency(): number {
    return 100;
  }

  maxAttempts(): number {
    return 5;
  }

  retryDelayMs(): number {
    return 30;
  }

  async deliver(batch: readonly Delivery[]): Promise<DeliveryOutcome[]> {
    for (const delivery of batch) this.enter(delivery);
    await new Promise((resolve) => setTimeout(resolve, 5));
    return batch.map((delivery) => {
      const { body } = delivery.entry.message;
      this.leave(delivery);
      this.attempts.push(body);
      if (this.failOnce.delete(body)) return { ok: false, error: 'try again' };
      this.delivered.push(body);
      return { ok: true };
    });
  }

  private enter(delivery: Delivery): void {
    const group = delivery.entry.message.messageGroupId!;
    const count = (this.inFlightByGroup.get(group) ?? 0) + 1;
    if (count > 1) this.overlapped = true;
    this.inFlightByGroup.set(group, count);
  }

  private leave(delivery: Delivery): void {
    const group = delivery.entry.message.messageGroupId!;
    this.inFlightByGroup.set(group, (this.inFlightByGroup.get(group) ?? 1) - 1);
  }
}

function engineWith(target: DeliveryTarget): DeliveryEngine {
  const journal = { ack() {}, retry() {} } as unknown as Journal;
  return new DeliveryEngine({
    journal,
    metrics: new DeliveryMetrics(),
    logger: silentLogger(),
    targetFor: () => target,
    deadLetter: () => {},
  });
}

describe('delivery order within a FIFO message group', () => {
  it('keeps one delivery of a group in flight, and a retry holds back its group', async () => {
    const target = new RecordingTarget(new Set(['a1']));
    const engine = engineWith(target);
    for (const [body, group] of [
      ['a1', 'a'],
      ['b1', 'b'],
      ['a2', 'a'],
      ['b2', 'b'],
      ['a3', 'a'],
    ] as const) {
      engine.enqueue(message(body, group), [SUBSCRIPTION]);
    }
    await engine.idle();

    expect(target.overlapped).toBe(false);
    expect(target.delivered.filter((body) => body.startsWith('a'))).toEqual(['a1', 'a2', 'a3']);
    expect(target.delivered.filter((body) => body.startsWith('b'))).toEqual(['b1', 'b2']);
    // Group b does not wait for group a's retry.
    expect(target.delivered.indexOf('b2')).toBeLessThan(target.delivered.indexOf('a1'));
    expect(target.attempts.indexOf('a2')).toBeGreaterThan(target.attempts.lastIndexOf('a1'));
  });

  it('restores pending deliveries of a group in order, behind a delivery awaiting a retry', async () => {
    const target = new RecordingTarget(new Set());
    const engine = engineWith(target);
    const first = message('x1', 'x');
    const second = message('x2', 'x');
    engine.restore(
      [
        { messageSeq: first.seq, subscriptionId: 1, attempt: 1, dueAt: Date.now() + 40 },
        { messageSeq: second.seq, subscriptionId: 1, attempt: 0, dueAt: Date.now() },
      ],
      new Map([
        [first.seq, first],
        [second.seq, second],
      ]),
      new Map([[1, SUBSCRIPTION]]),
    );
    await engine.idle();
    expect(target.delivered).toEqual(['x1', 'x2']);
  });

  it('drops the deliveries waiting behind a group when its subscription is removed', async () => {
    const target = new RecordingTarget(new Set(['r1']));
    const engine = engineWith(target);
    engine.enqueue(message('r1', 'r'), [SUBSCRIPTION]);
    engine.enqueue(message('r2', 'r'), [SUBSCRIPTION]);
    await new Promise((resolve) => setTimeout(resolve, 10));
    engine.removeSubscription(SUBSCRIPTION.id);
    await engine.idle();
    expect(engine.pendingCount).toBe(0);
    expect(target.delivered).toEqual([]);
  });
});
