import { describe, expect, it } from 'vitest';
import type { Delivery } from '../../src/delivery/delivery.js';
import { DueQueue } from '../../src/delivery/due-queue.js';

function delivery(dueAt: number): Delivery {
  return { dueAt, attempt: 1 } as Delivery;
}

describe('DueQueue', () => {
  it('releases deliveries in due order, only once due', () => {
    const queue = new DueQueue();
    const times = Array.from({ length: 500 }, (_, i) => (i * 7919) % 1000);
    for (const time of times) queue.push(delivery(time));

    expect(queue.peekDueAt()).toBe(0);
    const early = queue.takeDue(499).map((d) => d.dueAt);
    expect(early).toEqual([...early].sort((a, b) => a - b));
    expect(early.every((t) => t <= 499)).toBe(true);

    const rest = queue.takeDue(Infinity).map((d) => d.dueAt);
    expect(rest).toEqual([...rest].sort((a, b) => a - b));
    expect(early.length + rest.length).toBe(500);
    expect(queue.size).toBe(0);
  });
});
