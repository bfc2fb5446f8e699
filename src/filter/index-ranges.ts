import { addAll, type Collector } from './index-collector.js';

interface RangeEntry<T> {
  low: number;
  high: number;
  item: T;
}

/**
 * Closed numeric intervals, answering "which intervals contain v" in O(log n + answers).
 * A segment tree over the sorted interval boundaries, rebuilt lazily after changes (policies
 * change rarely; messages are matched constantly).
 */
export class RangeIndex<T> {
  private readonly entries = new Set<RangeEntry<T>>();
  private starts: number[] = [];
  private nodes: T[][] = [];
  private dirty = false;

  /** Whether the index holds no intervals. */
  get empty(): boolean {
    return this.entries.size === 0;
  }

  /** The number of intervals held. */
  get size(): number {
    return this.entries.size;
  }

  /** Adds the interval [low, high] for `item`. */
  add(low: number, high: number, item: T): void {
    if (low > high) return;
    this.entries.add({ low, high, item });
    this.dirty = true;
  }

  /** Removes every interval of `item`. */
  remove(item: T): void {
    for (const entry of this.entries) {
      if (entry.item === item) this.entries.delete(entry);
    }
    this.dirty = true;
  }

  /** Hands the item of every interval containing `value` to `collector`. */
  collect(value: number, collector: Collector<T>): void {
    if (this.dirty) this.rebuild();
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    if (hi < 0 || value < (starts[0] as number)) return;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= value) lo = mid;
      else hi = mid - 1;
    }
    let node = 1;
    let left = 0;
    let right = starts.length - 1;
    for (;;) {
      addAll(this.nodes[node], collector);
      if (left === right) return;
      const mid = (left + right) >> 1;
      if (lo <= mid) {
        node = node * 2;
        right = mid;
      } else {
        node = node * 2 + 1;
        left = mid + 1;
      }
    }
  }

  private rebuild(): void {
    const points = new Set<number>();
    for (const entry of this.entries) {
      points.add(entry.low);
      if (entry.high !== Infinity) points.add(entry.high + 1);
    }
    this.starts = [...points].sort((a, b) => a - b);
    this.nodes = [];
    const last = this.starts.length - 1;
    for (const entry of this.entries) {
      const first = this.indexOf(entry.low);
      const end = entry.high === Infinity ? last : this.indexOf(entry.high + 1) - 1;
      this.insert(1, 0, last, first, end, entry.item);
    }
    this.dirty = false;
  }

  private indexOf(point: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.starts[mid] as number) < point) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private insert(
    node: number,
    left: number,
    right: number,
    from: number,
    to: number,
    item: T,
  ): void {
    if (to < left || from > right || from > to) return;
    if (from <= left && right <= to) {
      const list = this.nodes[node];
      if (list === undefined) this.nodes[node] = [item];
      else list.push(item);
      return;
    }
    const mid = (left + right) >> 1;
    this.insert(node * 2, left, mid, from, to, item);
    this.insert(node * 2 + 1, mid + 1, right, from, to, item);
  }
}
