import type { Delivery } from './delivery.js';

/** A min-heap of deliveries waiting for their retry time, earliest first. */
export class DueQueue {
  private readonly heap: Delivery[] = [];

  get size(): number {
    return this.heap.length;
  }

  /** The earliest due time, or undefined when empty. */
  peekDueAt(): number | undefined {
    return this.heap[0]?.dueAt;
  }

  push(delivery: Delivery): void {
    const heap = this.heap;
    heap.push(delivery);
    let index = heap.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if ((heap[parent] as Delivery).dueAt <= delivery.dueAt) break;
      heap[index] = heap[parent] as Delivery;
      index = parent;
    }
    heap[index] = delivery;
  }

  /** Removes and returns every delivery due at or before `now`. */
  takeDue(now: number): Delivery[] {
    const due: Delivery[] = [];
    while (this.heap.length > 0 && (this.heap[0] as Delivery).dueAt <= now) {
      due.push(this.pop());
    }
    return due;
  }

  private pop(): Delivery {
    const heap = this.heap;
    const top = heap[0] as Delivery;
    const last = heap.pop() as Delivery;
    if (heap.length === 0) return top;

    let index = 0;
    for (;;) {
      const left = index * 2 + 1;
      const right = left + 1;
      let smallest = index;
      let smallestDue = last.dueAt;
      if (left < heap.length && (heap[left] as Delivery).dueAt < smallestDue) {
        smallest = left;
        smallestDue = (heap[left] as Delivery).dueAt;
      }
      if (right < heap.length && (heap[right] as Delivery).dueAt < smallestDue) smallest = right;
      if (smallest === index) break;
      heap[index] = heap[smallest] as Delivery;
      index = smallest;
    }
    heap[index] = last;
    return top;
  }
}
