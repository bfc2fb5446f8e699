import type { Collector } from './index-collector.js';
import { indexKindOf, PathIndex } from './index-path.js';
import type { FieldMap, FilterInput } from './input.js';
import { clauseHolds } from './match.js';
import type { Clause, CompiledPolicy, Condition, FilterScope } from './types.js';

/** One subscription in the index. */
interface Subscription<K> {
  key: K;
  /** The match call that last reported this subscription (each is reported once). */
  reported: number;
  clauses: IndexedClause<K>[];
  /** The scope index holding the clauses (null for subscriptions without a filter). */
  scope: ScopeIndex<K> | null;
}

/** One clause of a subscription's policy, indexed under its most selective condition. */
interface IndexedClause<K> {
  clause: Clause;
  subscription: Subscription<K>;
  /** The access condition, or null when every condition accepts absence. */
  access: Condition | null;
  /** True when being found by the access condition already proves the clause matches. */
  proven: boolean;
  /** The match call that last collected this clause. */
  collected: number;
}

/** The clauses of one scope: by access path, plus those that must always be checked. */
interface ScopeIndex<K> {
  paths: Map<string, PathIndex<IndexedClause<K>>>;
  /** The same path indexes as a list, for iteration without allocation. */
  pathList: Array<{ path: string; index: PathIndex<IndexedClause<K>> }>;
  always: Set<IndexedClause<K>>;
}

function newScopeIndex<K>(): ScopeIndex<K> {
  return { paths: new Map(), pathList: [], always: new Set() };
}

const PRECISE_KINDS = new Set(['string', 'number', 'literal', 'ignore-case', 'prefix', 'suffix', 'range']);

const EMPTY_PATH = new PathIndex<never>();
const FIRST_REBALANCE = 64;

/** Whether being found through `access` proves the clause: its only key, indexed exactly. */
function isProven(clause: Clause, access: Condition | null): boolean {
  return (
    access !== null &&
    clause.conditions.length === 1 &&
    access.matchers.every((m) => PRECISE_KINDS.has(indexKindOf(m)))
  );
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
 * registered under one access condition (its most selective key), so a message only looks
 * up its own values (hash maps, tries, an interval index) and then checks the few clauses
 * found, instead of evaluating every policy. K is the subscription key.
 */
export class PolicyIndex<K> {
  private readonly subscriptions = new Map<K, Subscription<K>>();
  private readonly unfiltered = new Set<Subscription<K>>();
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
      this.unfiltered.add(subscription);
      return;
    }
    const scope = this.scopes[policy.scope];
    subscription.scope = scope;
    for (const clause of policy.clauses) {
      const access = this.chooseAccess(scope, clause);
      const indexed: IndexedClause<K> = {
        clause,
        subscription,
        access,
        proven: isProven(clause, access),
        collected: 0,
      };
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
    this.unfiltered.delete(subscription);
    const scope = subscription.scope;
    if (scope === null) return;
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
    for (const subscription of this.unfiltered) {
      subscription.reported = call;
      keys.push(subscription.key);
    }

    const attributes = this.scopes.MessageAttributes;
    if (attributes.paths.size > 0 || attributes.always.size > 0) {
      this.matchScope(attributes, input.attributeValues(), false, call, keys);
    }
    const body = this.scopes.MessageBody;
    if (body.paths.size > 0 || body.always.size > 0) {
      const fields = input.bodyValues();
      if (fields !== null) this.matchScope(body, fields, input.bodyHasArrays(), call, keys);
    }
    return keys;
  }

  private matchScope(scope: ScopeIndex<K>, fields: FieldMap, hasArrays: boolean, call: number, keys: K[]): void {
    const collector = this.collector;
    collector.call = call;
    collector.found.length = 0;
    for (const indexed of scope.always) collector.add(indexed);

    if (scope.paths.size <= fields.size) {
      const pathList = scope.pathList;
      for (let i = 0; i < pathList.length; i++) {
        const entry = pathList[i] as ScopeIndex<K>['pathList'][number];
        const values = fields.get(entry.path);
        if (values !== undefined) entry.index.collect(values, collector);
      }
    } else {
      for (const [path, values] of fields) {
        const pathIndex = scope.paths.get(path);
        if (pathIndex !== undefined) pathIndex.collect(values, collector);
      }
    }

    const found = collector.found;
    for (let i = 0; i < found.length; i++) {
      const indexed = found[i] as IndexedClause<K>;
      const subscription = indexed.subscription;
      if (subscription.reported === call) continue;
      if (indexed.proven || clauseHolds(indexed.clause, fields, hasArrays)) {
        subscription.reported = call;
        keys.push(subscription.key);
      }
    }
  }

  /**
   * Chooses every clause's access condition again, now that more is known about which
   * values are common. Runs each time the index doubles, so its cost is amortised.
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
   * Picks the condition whose index lookups should yield the fewest candidates, judged by
   * what is already indexed (so a customer id wins over an event type shared by thousands).
   */
  private chooseAccess(scope: ScopeIndex<K>, clause: Clause): Condition | null {
    let best: Condition | null = null;
    let bestLoad = Infinity;
    for (const condition of clause.conditions) {
      if (condition.acceptsAbsence) continue;
      const pathIndex = scope.paths.get(condition.path) ?? EMPTY_PATH;
      let load = 0;
      for (const matcher of condition.matchers) load += pathIndex.load(matcher);
      if (load < bestLoad) {
        best = condition;
        bestLoad = load;
      }
    }
    return best;
  }

  private register(scope: ScopeIndex<K>, indexed: IndexedClause<K>, adding: boolean): void {
    const access = indexed.access;
    if (access === null) {
      if (adding) scope.always.add(indexed);
      else scope.always.delete(indexed);
      return;
    }
    let pathIndex = scope.paths.get(access.path);
    if (pathIndex === undefined) {
      if (!adding) return;
      pathIndex = new PathIndex();
      scope.paths.set(access.path, pathIndex);
      scope.pathList.push({ path: access.path, index: pathIndex });
    }
    for (const matcher of access.matchers) {
      if (adding) pathIndex.add(matcher, indexed);
      else pathIndex.remove(matcher, indexed);
    }
    if (pathIndex.empty) {
      scope.paths.delete(access.path);
      scope.pathList = scope.pathList.filter((entry) => entry.index !== pathIndex);
    }
  }
}
