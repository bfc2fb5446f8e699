import { addAll, removeItem, type Collector } from './index-collector.js';
import type { FieldValue } from './input.js';
import type { Condition, Matcher } from './types.js';

/** The most value combinations a pair of keys may register for one clause. */
const MAX_COMBINATIONS = 8;

/** The hash key of a value an exact matcher compares equal to, or null for other matchers. */
function matcherKey(matcher: Matcher): string | null {
  switch (matcher.op) {
    case 'exact-string':
      return matcher.ip === null ? `s${matcher.value}` : null;
    case 'exact-number':
      return Number.isNaN(matcher.scaled) ? null : `n${matcher.scaled}`;
    case 'literal':
      return `l${matcher.kind}`;
    default:
      return null;
  }
}

/** The hash key of a message value, matching `matcherKey`. */
function valueKey(value: FieldValue): string | null {
  if (value.kind === 'string') return `s${value.text}`;
  if (value.kind === 'number') return Number.isNaN(value.scaled) ? null : `n${value.scaled}`;
  return `l${value.kind}`;
}

/** The keys of a condition whose matchers are all exact values; null otherwise. */
export function exactKeys(condition: Condition): string[] | null {
  if (condition.acceptsAbsence) return null;
  const keys: string[] = [];
  for (const matcher of condition.matchers) {
    const key = matcherKey(matcher);
    if (key === null) return null;
    keys.push(key);
  }
  return keys;
}

/** The combined keys of two exact conditions, or null when there would be too many. */
export function pairKeys(first: string[], second: string[]): string[] | null {
  if (first.length * second.length > MAX_COMBINATIONS) return null;
  return first.flatMap((a) => second.map((b) => `${a}\u0000${b}`));
}

/**
 * A hash index over the values of two keys together, for clauses whose every key is common
 * (an event type and a store): the pair is far more selective than either key alone.
 */
export class PairIndex<T> {
  /** An empty pair index, to estimate loads before one exists. */
  static readonly EMPTY = new PairIndex<never>('', '');

  readonly first: string;
  readonly second: string;
  private readonly buckets = new Map<string, T[]>();
  private count = 0;

  constructor(first: string, second: string) {
    this.first = first;
    this.second = second;
  }

  /** Whether nothing is indexed. */
  get empty(): boolean {
    return this.count === 0;
  }

  /**
   * Expected candidates per message from these combined keys (see PathIndex.load); the
   * pair's cardinality is at least `cardinality`, an estimate from the two keys alone.
   */
  load(keys: string[], cardinality: number): number {
    const distinct = Math.max(this.buckets.size + 1, cardinality);
    let load = 0;
    for (const key of keys) load += ((this.buckets.get(key)?.length ?? 0) + 1) / distinct;
    return load;
  }

  /** Registers `item` under each combined key. */
  add(keys: string[], item: T): void {
    for (const key of keys) {
      const list = this.buckets.get(key);
      if (list === undefined) this.buckets.set(key, [item]);
      else list.push(item);
      this.count++;
    }
  }

  /** Removes `item` from under each combined key. */
  remove(keys: string[], item: T): void {
    for (const key of keys) {
      const list = this.buckets.get(key);
      if (list === undefined) continue;
      removeItem(list, item);
      this.count--;
      if (list.length === 0) this.buckets.delete(key);
    }
  }

  /** Hands the items registered under any combination of the two keys' values. */
  collect(
    first: readonly FieldValue[],
    second: readonly FieldValue[],
    collector: Collector<T>,
  ): void {
    for (let i = 0; i < first.length; i++) {
      const a = valueKey(first[i] as FieldValue);
      if (a === null) continue;
      for (let j = 0; j < second.length; j++) {
        const b = valueKey(second[j] as FieldValue);
        if (b !== null) addAll(this.buckets.get(`${a}\u0000${b}`), collector);
      }
    }
  }
}
