import { addAll, removeItem, type Collector } from './index-collector.js';
import { RangeIndex } from './index-ranges.js';
import { PatternTrie } from './index-trie.js';
import type { FieldValue } from './input.js';
import type { Matcher, ValueKind } from './types.js';

/** How an access matcher is found in a path's index. */
export type IndexKind =
  'string' | 'number' | 'literal' | 'ignore-case' | 'prefix' | 'suffix' | 'range' | 'presence';

/**
 * Where a matcher is indexed. Exact values go to hash maps, prefixes and suffixes to tries,
 * numeric ranges to an interval index; anything else (wildcard, cidr, anything-but, exists,
 * numbers too large to compare, IP literals) is found by the mere presence of the key.
 */
export function indexKindOf(matcher: Matcher): IndexKind {
  switch (matcher.op) {
    case 'exact-string':
      return matcher.ip === null ? 'string' : 'presence';
    case 'exact-number':
      return Number.isNaN(matcher.scaled) ? 'presence' : 'number';
    case 'literal':
      return 'literal';
    case 'equals-ignore-case':
      return 'ignore-case';
    case 'prefix':
    case 'suffix':
    case 'range':
      return matcher.op;
    default:
      return 'presence';
  }
}

/** Expected hits of one hash bucket: its size over the number of distinct keys. */
function share(bucket: readonly unknown[] | undefined, keys: number): number {
  return ((bucket?.length ?? 0) + 1) / (keys + 1);
}

function addTo<K, T>(map: Map<K, T[]>, key: K, item: T): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [item]);
  else list.push(item);
}

function removeFrom<K, T>(map: Map<K, T[]>, key: K, item: T): void {
  const list = map.get(key);
  if (list === undefined) return;
  removeItem(list, item);
  if (list.length === 0) map.delete(key);
}

/** The index of one key path: every structure a value at that path is looked up in. */
export class PathIndex<T> {
  private readonly strings = new Map<string, T[]>();
  private readonly numbers = new Map<number, T[]>();
  private readonly literals = new Map<ValueKind, T[]>();
  private readonly ignoreCase = new Map<string, T[]>();
  private readonly prefixes = new PatternTrie<T>(false);
  private readonly suffixes = new PatternTrie<T>(true);
  private readonly ranges = new RangeIndex<T>();
  private readonly presence: T[] = [];
  private count = 0;

  /** The number of distinct exact values indexed (a hint of the key's cardinality). */
  get distinctValues(): number {
    return this.strings.size + this.numbers.size;
  }

  /** Whether nothing is indexed under this path. */
  get empty(): boolean {
    return this.count === 0;
  }

  /**
   * The expected number of candidates per message `matcher` would bring if indexed here:
   * the items already under its key, times the chance that a message hits that key (judged
   * by how many distinct keys the path has; ranges are taken to hold half the values).
   */
  load(matcher: Matcher): number {
    const kind = indexKindOf(matcher);
    if (kind === 'presence') return this.presence.length + 1;
    switch (matcher.op) {
      case 'exact-string':
        return share(this.strings.get(matcher.value), this.strings.size);
      case 'exact-number':
        return share(this.numbers.get(matcher.scaled), this.numbers.size);
      case 'literal':
        return share(this.literals.get(matcher.kind), 1);
      case 'equals-ignore-case':
        return share(this.ignoreCase.get(matcher.value), this.ignoreCase.size);
      case 'prefix':
        return (this.prefixes.countOf(matcher.value) + 1) / (this.prefixes.patterns + 1);
      case 'suffix':
        return (this.suffixes.countOf(matcher.value) + 1) / (this.suffixes.patterns + 1);
      default:
        return (this.ranges.size + 1) / 2;
    }
  }

  /** Indexes `item` under `matcher`. */
  add(matcher: Matcher, item: T): void {
    this.count++;
    this.apply(matcher, item, true);
  }

  /** Removes `item` from under `matcher`. */
  remove(matcher: Matcher, item: T): void {
    this.count--;
    this.apply(matcher, item, false);
  }

  /** Hands every item whose matcher may accept one of `values` to `collector`. */
  collect(values: readonly FieldValue[], collector: Collector<T>): void {
    addAll(this.presence, collector);
    for (let i = 0; i < values.length; i++) {
      const value = values[i] as FieldValue;
      if (value.kind === 'string') {
        addAll(this.strings.get(value.text), collector);
        if (this.ignoreCase.size > 0) addAll(this.ignoreCase.get(value.lower), collector);
        if (!this.prefixes.empty) this.prefixes.collect(value.text, collector);
        if (!this.suffixes.empty) this.suffixes.collect(value.text, collector);
      } else if (value.kind === 'number') {
        if (Number.isNaN(value.scaled)) continue;
        addAll(this.numbers.get(value.scaled), collector);
        if (!this.ranges.empty) this.ranges.collect(value.scaled, collector);
      } else {
        addAll(this.literals.get(value.kind), collector);
      }
    }
  }

  private apply(matcher: Matcher, item: T, adding: boolean): void {
    const kind = indexKindOf(matcher);
    if (kind === 'range' && matcher.op === 'range') {
      if (adding) this.ranges.add(matcher.low, matcher.high, item);
      else this.ranges.remove(item);
    } else if (kind === 'prefix' && matcher.op === 'prefix') {
      if (adding) this.prefixes.add(matcher.value, item);
      else this.prefixes.remove(matcher.value, item);
    } else if (kind === 'suffix' && matcher.op === 'suffix') {
      if (adding) this.suffixes.add(matcher.value, item);
      else this.suffixes.remove(matcher.value, item);
    } else if (kind === 'string' && matcher.op === 'exact-string') {
      (adding ? addTo : removeFrom)(this.strings, matcher.value, item);
    } else if (kind === 'number' && matcher.op === 'exact-number') {
      (adding ? addTo : removeFrom)(this.numbers, matcher.scaled, item);
    } else if (kind === 'literal' && matcher.op === 'literal') {
      (adding ? addTo : removeFrom)(this.literals, matcher.kind, item);
    } else if (kind === 'ignore-case' && matcher.op === 'equals-ignore-case') {
      (adding ? addTo : removeFrom)(this.ignoreCase, matcher.value, item);
    } else if (adding) {
      this.presence.push(item);
    } else {
      removeItem(this.presence, item);
    }
  }
}
