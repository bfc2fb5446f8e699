import { addAll, removeItem, type Collector } from './index-collector.js';

interface TrieNode<T> {
  next: Map<number, TrieNode<T>> | null;
  items: T[] | undefined;
}

function newNode<T>(): TrieNode<T> {
  return { next: null, items: undefined };
}

/**
 * A character trie over UTF-16 code units, for prefix patterns (or, built from the end of
 * the text, suffix patterns): walking one value visits every pattern that it starts (ends)
 * with, in time linear in the value's length.
 */
export class PatternTrie<T> {
  private readonly root: TrieNode<T> = newNode();
  private readonly fromEnd: boolean;
  private count = 0;
  private patternCount = 0;

  /** `fromEnd` makes this a suffix trie. */
  constructor(fromEnd: boolean) {
    this.fromEnd = fromEnd;
  }

  /** Whether the trie holds no patterns. */
  get empty(): boolean {
    return this.count === 0;
  }

  /** The number of distinct patterns registered. */
  get patterns(): number {
    return this.patternCount;
  }

  /** Registers `item` under `pattern`. */
  add(pattern: string, item: T): void {
    let node = this.root;
    for (let i = 0; i < pattern.length; i++) {
      const code = pattern.charCodeAt(this.fromEnd ? pattern.length - 1 - i : i);
      if (node.next === null) node.next = new Map();
      let child = node.next.get(code);
      if (child === undefined) {
        child = newNode();
        node.next.set(code, child);
      }
      node = child;
    }
    if (node.items === undefined) node.items = [];
    if (node.items.length === 0) this.patternCount++;
    node.items.push(item);
    this.count++;
  }

  /** Removes one registration of `item` under `pattern`. */
  remove(pattern: string, item: T): void {
    let node: TrieNode<T> | undefined = this.root;
    for (let i = 0; i < pattern.length && node !== undefined; i++) {
      const code = pattern.charCodeAt(this.fromEnd ? pattern.length - 1 - i : i);
      node = node.next?.get(code);
    }
    if (node?.items === undefined) return;
    const before = node.items.length;
    removeItem(node.items, item);
    this.count -= before - node.items.length;
    if (before > 0 && node.items.length === 0) this.patternCount--;
  }

  /** The number of items registered under exactly `pattern`. */
  countOf(pattern: string): number {
    let node: TrieNode<T> | undefined = this.root;
    for (let i = 0; i < pattern.length && node !== undefined; i++) {
      const code = pattern.charCodeAt(this.fromEnd ? pattern.length - 1 - i : i);
      node = node.next?.get(code);
    }
    return node?.items?.length ?? 0;
  }

  /** Hands every item whose pattern `text` starts (or ends) with to `collector`. */
  collect(text: string, collector: Collector<T>): void {
    let node: TrieNode<T> | undefined = this.root;
    const length = text.length;
    for (let i = 0; ; i++) {
      addAll(node.items, collector);
      if (i === length || node.next === null) return;
      node = node.next.get(text.charCodeAt(this.fromEnd ? length - 1 - i : i));
      if (node === undefined) return;
    }
  }
}
