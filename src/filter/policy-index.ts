import type { Collector } from './index-collector.js';
import { exactKeys, pairKeys, PairIndex } from './index-pairs.js';
import { indexKindOf, PathIndex } from './index-path.js';
import type { FieldLookup, FilterInput } from './input.js';
import { clauseHolds } from './match.js';
import type { Clause, CompiledPolicy, Condition, FilterScope } from './types.js';

/** How a clause is found: by one key, by two exact keys together, or checked always. */
type Access =
  | { kind: 'path'; condition: Condition }
  | { kind: 'pair'; first: Condition; second: Condition; keys: string[] }
  | { kind: 'always' };

/** One subscription in the index. */
interface Subscription<K> {
  key: K;
  /** The match call that last reported this subscription (each is reported once). */
  reported: number;
  clauses: IndexedClause<K>[];
  /** The scope index holding the clauses (null for subscriptions without a filter). */
  scope: ScopeIndex<K> | null;
}

/** One clause of a subscription's policy, indexed under its most selective access. */
interface IndexedClause<K> {
  clause: Clause;
  subscription: Subscription<K>;
  access: Access;
  /** True when being found through the access already proves the clause matches. */
  proven: boolean;
  /** The match call that last collected this clause. */
  collected: number;
}

/** The clauses of one scope, by access. Lists mirror maps for iteration without garbage. */
interface ScopeIndex<K> {
  paths: Map<string, PathIndex<IndexedClause<K>>>;
  pathList: Array<{ path: string; index: PathIndex<IndexedClause<K>> }>;
  pairs: Map<string, PairIndex<IndexedClause<K>>>;
  pairList: PairIndex<IndexedClause<K>>[];
  always: Set<IndexedClause<K>>;
}

function newScopeIndex<K>(): ScopeIndex<K> {
  return { paths: new Map(), pathList: [], pairs: new Map(), pairList: [], always: new Set() };
}

const EMPTY_PATH = new PathIndex<never>();
const FIRST_REBALANCE = 64;
const PRECISE_KINDS = new Set([
  'string',
  'number',
  'literal',
  'ignore-case',
  'prefix',
  'suffix',
  'range',
]);

/** Whether being found through `access` proves the clause: its only key, indexed exactly. */
function isProven(clause: Clause, access: Access): boolean {
  return (
    access.kind === 'path' &&
    clause.conditions.length === 1 &&
    access.condition.matchers.every((m) => PRECISE_KINDS.has(indexKindOf(m)))
  );
}

function pairName(first: string, second: string): string {
  return `${first}\u0000${second}`;
}

/** Collects the clauses found for one message, each once. */
class ClauseCollector<K> implements Collector<IndexedClause<K>> {
  call = 0;
  readonly found: IndexedClause<K>[] = [];

  add(item: IndexedClause<K>): void {
    if (item.collected === this.call) return;
    item.collected = this.call;
    this.found.push(item);
  }
}

/**
 * An index over the filter policies of one topic's subscriptions. Each policy clause is
 * registered under one access (its most selective key, or two common exact keys together),
 * so a message only looks up its own values (hash maps, tries, an interval index) and then
 * checks the few clauses found, instead of evaluating every policy. K is the subscription
 * key.
 */
export class PolicyIndex<K> {
  private readonly subscriptions = new Map<K, Subscription<K>>();
  private unfiltered: Subscription<K>[] = [];
  private readonly scopes: Record<FilterScope, ScopeIndex<K>> = {
    MessageAttributes: newScopeIndex(),
    MessageBody: newScopeIndex(),
  };
  private readonly collector = new ClauseCollector<K>();
  private calls = 0;
  private rebalanceAt = FIRST_REBALANCE;

  /** Adds or replaces a subscription; `policy` undefined means no filter: it matches all. */
  set(key: K, policy: CompiledPolicy | undefined): void {
    this.delete(key);
    const subscription: Subscription<K> = { key, reported: 0, clauses: [], scope: null };
    this.subscriptions.set(key, subscription);
    if (policy === undefined || policy.matchesAll) {
      this.unfiltered.push(subscription);
      return;
    }

    const scope = this.scopes[policy.scope];
    subscription.scope = scope;
    for (const clause of policy.clauses) {
      const access = this.chooseAccess(scope, clause);
      const proven = isProven(clause, access);
      const indexed: IndexedClause<K> = { clause, subscription, access, proven, collected: 0 };
      subscription.clauses.push(indexed);
      this.register(scope, indexed, true);
    }
    if (this.subscriptions.size >= this.rebalanceAt) this.rebalance();
  }

  /** Removes a subscription (no-op when absent). */
  delete(key: K): void {
    const subscription = this.subscriptions.get(key);
    if (subscription === undefined) return;
    this.subscriptions.delete(key);
    const scope = subscription.scope;
    if (scope === null) {
      this.unfiltered = this.unfiltered.filter((other) => other !== subscription);
      return;
    }
    for (const indexed of subscription.clauses) this.register(scope, indexed, false);
  }

  /** The number of subscriptions. */
  get size(): number {
    return this.subscriptions.size;
  }

  /** The keys of all subscriptions whose policy matches the message, each once. */
  match(input: FilterInput): K[] {
    const call = ++this.calls;
    const keys: K[] = [];
    const unfiltered = this.unfiltered;
    for (let i = 0; i < unfiltered.length; i++) {
      const subscription = unfiltered[i] as Subscription<K>;
      subscription.reported = call;
      keys.push(subscription.key);
    }

    const attributes = this.scopes.MessageAttributes;
    if (this.holdsClauses(attributes)) {
      this.matchScope(attributes, input.attributeValues(), call, keys);
    }
    const body = this.scopes.MessageBody;
    if (this.holdsClauses(body)) {
      const fields = input.bodyValues();
      if (fields !== null) this.matchScope(body, fields, call, keys);
    }
    return keys;
  }

  private holdsClauses(scope: ScopeIndex<K>): boolean {
    return scope.pathList.length > 0 || scope.pairList.length > 0 || scope.always.size > 0;
  }

  /** Collects the candidate clauses of one scope, then checks and reports them. */
  private matchScope(scope: ScopeIndex<K>, fields: FieldLookup, call: number, keys: K[]): void {
    const collector = this.collector;
    collector.call = call;
    collector.found.length = 0;
    for (const indexed of scope.always) collector.add(indexed);

    const pathList = scope.pathList;
    for (let i = 0; i < pathList.length; i++) {
      const entry = pathList[i] as ScopeIndex<K>['pathList'][number];
      const values = fields.get(entry.path);
      if (values !== undefined) entry.index.collect(values, collector);
    }
    const pairList = scope.pairList;
    for (let i = 0; i < pairList.length; i++) {
      const pair = pairList[i] as PairIndex<IndexedClause<K>>;
      const first = fields.get(pair.first);
      const second = first === undefined ? undefined : fields.get(pair.second);
      if (first !== undefined && second !== undefined) pair.collect(first, second, collector);
    }

    const found = collector.found;
    for (let i = 0; i < found.length; i++) {
      const indexed = found[i] as IndexedClause<K>;
      const subscription = indexed.subscription;
      if (subscription.reported === call) continue;
      if (indexed.proven || clauseHolds(indexed.clause, fields)) {
        subscription.reported = call;
        keys.push(subscription.key);
      }
    }
  }

  /**
   * Chooses every clause's access again, now that more is known about which values are
   * common. Runs each time the index doubles, so its cost is amortised.
   */
  private rebalance(): void {
    this.rebalanceAt = this.subscriptions.size * 2;
    for (const subscription of this.subscriptions.values()) {
      const scope = subscription.scope;
      if (scope === null) continue;
      for (const indexed of subscription.clauses) {
        this.register(scope, indexed, false);
        indexed.access = this.chooseAccess(scope, indexed.clause);
        indexed.proven = isProven(indexed.clause, indexed.access);
        this.register(scope, indexed, true);
      }
    }
  }

  /**
   * Picks the access whose lookups should yield the fewest candidates, judged by what is
   * already indexed (so a customer id wins over an event type shared by thousands, and an
   * event type with a store beats either alone).
   */
  private chooseAccess(scope: ScopeIndex<K>, clause: Clause): Access {
    let best: Access = { kind: 'always' };
    let bestLoad = Infinity;
    for (const condition of clause.conditions) {
      if (condition.acceptsAbsence) continue;
      const pathIndex = scope.paths.get(condition.path) ?? EMPTY_PATH;
      let load = 0;
      for (const matcher of condition.matchers) load += pathIndex.load(matcher);
      if (load < bestLoad) {
        best = { kind: 'path', condition };
        bestLoad = load;
      }
    }
    const exact = clause.conditions
      .filter((condition) => exactKeys(condition) !== null)
      .sort((a, b) => (a.path < b.path ? -1 : 1));
    for (let i = 0; i < exact.length; i++) {
      for (let j = i + 1; j < exact.length; j++) {
        const first = exact[i] as Condition;
        const second = exact[j] as Condition;
        const keys = pairKeys(exactKeys(first) ?? [], exactKeys(second) ?? []);
        if (keys === null) continue;
        const pair = scope.pairs.get(pairName(first.path, second.path)) ?? PairIndex.EMPTY;
        const cardinality =
          ((scope.paths.get(first.path)?.distinctValues ?? 0) + 1) *
          ((scope.paths.get(second.path)?.distinctValues ?? 0) + 1);
        const load = pair.load(keys, cardinality);
        if (load < bestLoad) {
          best = { kind: 'pair', first, second, keys };
          bestLoad = load;
        }
      }
    }
    return best;
  }

  private register(scope: ScopeIndex<K>, indexed: IndexedClause<K>, adding: boolean): void {
    const access = indexed.access;
    if (access.kind === 'always') {
      if (adding) scope.always.add(indexed);
      else scope.always.delete(indexed);
    } else if (access.kind === 'pair') {
      this.registerPair(scope, access, indexed, adding);
    } else {
      this.registerPath(scope, access.condition, indexed, adding);
    }
  }

  private registerPath(
    scope: ScopeIndex<K>,
    condition: Condition,
    indexed: IndexedClause<K>,
    adding: boolean,
  ): void {
    let pathIndex = scope.paths.get(condition.path);
    if (pathIndex === undefined) {
      if (!adding) return;
      pathIndex = new PathIndex();
      scope.paths.set(condition.path, pathIndex);
      scope.pathList.push({ path: condition.path, index: pathIndex });
    }
    for (const matcher of condition.matchers) {
      if (adding) pathIndex.add(matcher, indexed);
      else pathIndex.remove(matcher, indexed);
    }
    if (pathIndex.empty) {
      scope.paths.delete(condition.path);
      scope.pathList = scope.pathList.filter((entry) => entry.index !== pathIndex);
    }
  }

  private registerPair(
    scope: ScopeIndex<K>,
    access: Access & { kind: 'pair' },
    indexed: IndexedClause<K>,
    adding: boolean,
  ): void {
    const name = pairName(access.first.path, access.second.path);
    let pair = scope.pairs.get(name);
    if (pair === undefined) {
      if (!adding) return;
      pair = new PairIndex(access.first.path, access.second.path);
      scope.pairs.set(name, pair);
      scope.pairList.push(pair);
    }
    if (adding) pair.add(access.keys, indexed);
    else pair.remove(access.keys, indexed);
    if (pair.empty) {
      scope.pairs.delete(name);
      scope.pairList = scope.pairList.filter((other) => other !== pair);
    }
  }
}
