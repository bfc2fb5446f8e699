import type { IpAddress, IpRange } from './ip.js';
import type { WildcardPattern } from './wildcard.js';

/** Which part of a message a subscription's filter policy applies to. */
export type FilterScope = 'MessageAttributes' | 'MessageBody';

/** The kind of one value in a message, as the matcher compares it. */
export type ValueKind = 'string' | 'number' | 'true' | 'false' | 'null';

/** An exact string; `ip` is set when the string is an IP address (then any spelling matches). */
export interface ExactStringMatcher {
  op: 'exact-string';
  value: string;
  ip: IpAddress | null;
}

/** An exact number: `scaled` is its fixed-point form, NaN when out of the comparable range. */
export interface ExactNumberMatcher {
  op: 'exact-number';
  scaled: number;
  double: number;
}

/** `true`, `false` or `null` written as a policy value. */
export interface LiteralMatcher {
  op: 'literal';
  kind: 'true' | 'false' | 'null';
}

/** `prefix`, `suffix` or `equals-ignore-case` (whose `value` is lower-cased). */
export interface TextMatcher {
  op: 'prefix' | 'suffix' | 'equals-ignore-case';
  value: string;
}

/** `wildcard`: `*` stands for any run of characters. */
export interface WildcardMatcher {
  op: 'wildcard';
  pattern: WildcardPattern;
}

/** `numeric`: a closed interval over scaled numbers (open bounds are already moved inward). */
export interface RangeMatcher {
  op: 'range';
  low: number;
  high: number;
}

/** `cidr`: an IPv4 or IPv6 address range. */
export interface CidrMatcher {
  op: 'cidr';
  range: IpRange;
}

/** `exists`: whether the key must carry a value. */
export interface ExistsMatcher {
  op: 'exists';
  exists: boolean;
}

/** `anything-but` a set of strings or a set of scaled numbers. */
export interface AnythingButValuesMatcher {
  op: 'anything-but';
  strings: ReadonlySet<string> | null;
  numbers: ReadonlySet<number> | null;
}

/** `anything-but` a `prefix`, `suffix`, `wildcard` or `equals-ignore-case` pattern. */
export interface AnythingButPatternMatcher {
  op: 'anything-but-pattern';
  inner: (TextMatcher & { op: 'prefix' | 'suffix' }) | WildcardMatcher | EqualsAnyIgnoreCaseMatcher;
}

/** Case-insensitive membership, used inside `anything-but` (values lower-cased). */
export interface EqualsAnyIgnoreCaseMatcher {
  op: 'equals-any-ignore-case';
  values: ReadonlySet<string>;
}

/** One alternative in a key's list of values. */
export type Matcher =
  | ExactStringMatcher
  | ExactNumberMatcher
  | LiteralMatcher
  | TextMatcher
  | WildcardMatcher
  | RangeMatcher
  | CidrMatcher
  | ExistsMatcher
  | AnythingButValuesMatcher
  | AnythingButPatternMatcher;

/** One key of a policy: the message must carry a value at `path` that one matcher accepts. */
export interface Condition {
  /** Attribute name, or the dotted key path inside the body. */
  path: string;
  matchers: Matcher[];
  /** Whether one of the matchers is `exists: false` (then absence satisfies the key). */
  acceptsAbsence: boolean;
}

/** A conjunction of conditions; a policy is a disjunction of clauses (its `$or`s expanded). */
export interface Clause {
  conditions: Condition[];
}

/** A validated filter policy, compiled once and reused for every message. */
export interface CompiledPolicy {
  readonly scope: FilterScope;
  /** Alternatives: the policy matches when one clause does. */
  readonly clauses: readonly Clause[];
  /** True for the empty policy `{}`, which filters nothing out. */
  readonly matchesAll: boolean;
}
