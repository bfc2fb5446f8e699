import { addAll, removeItem, type Collector } from './index-collector.js';
import { RangeIndex } from './index-ranges.js';
import { PatternTrie } from './index-trie.js';
import type { FieldValue } from './input.js';
import type { Matcher, ValueKind } from './types.js';

/** How an access matcher is found in a path's index. */
export type IndexKind = 'string' | 'number' | 'literal' | 'ignore-case' | 'prefix' | 'suffix' | 'range' | 'presence';

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

/** A fixed cost per index kind, added to the load: broad kinds yield more false candidates. */
function penaltyOf(kind: IndexKind): number {
  switch (kind) {
    case 'prefix':
    case 'suffix':
      return 1;
    case 'literal':
    case 'range':
      return 4;
    case 'presence':
      return 1_000;
    default:
      return 0;
  }
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

  /** Whether nothing is indexed under this path. */
  get empty(): boolean {
    return this.count === 0;
  }

  /**
   * The estimated number of candidates a message would get from `matcher` if it were
   * indexed here: the items already under the same key, plus a penalty for broad kinds.
   */
  load(matcher: Matcher): number {
    const kind = indexKindOf(matcher);
    const penalty = penaltyOf(kind);
    switch (matcher.op) {
      case 'exact-string':
        return penalty + (kind === 'string' ? (this.strings.get(matcher.value)?.length ?? 0) : this.presence.length);
      case 'exact-number':
        return penalty + (kind === 'number' ? (this.numbers.get(matcher.scaled)?.length ?? 0) : this.presence.length);
      case 'literal':
        return penalty + (this.literals.get(matcher.kind)?.length ?? 0);
      case 'equals-ignore-case':
        return penalty + (this.ignoreCase.get(matcher.value)?.length ?? 0);
      case 'prefix':
        return penalty + this.prefixes.countOf(matcher.value);
      case 'suffix':
        return penalty + this.suffixes.countOf(matcher.value);
      case 'range':
        return penalty + this.ranges.size / 2;
      default:
        return penalty + this.presence.length;
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
