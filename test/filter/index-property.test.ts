import { describe, expect, it } from 'vitest';
import type { MessageAttributes } from '../../src/domain/message.js';
import {
  compileFilterPolicy,
  createFilterInput,
  matchesPolicy,
  PolicyIndex,
  type CompiledPolicy,
  type FilterInput,
} from '../../src/filter/index.js';
import { seededRandom } from '../../demo/random.js';

const random = seededRandom(42).next;
const int = (n: number): number => Math.floor(random() * n);
const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;

const KEYS = ['a', 'b', 'c', 'd'];
const WORDS = ['red', 'green', 'blue', 'Red', 'reddish', '10.0.0.7', 'x'];

function randomMatchValue(): unknown {
  switch (int(14)) {
    case 0:
      return pick(WORDS);
    case 1:
      return int(6);
    case 2:
      return { prefix: pick(['r', 're', 'gr', '']) };
    case 3:
      return { suffix: pick(['ed', 'ue', 'sh']) };
    case 4:
      return { 'equals-ignore-case': pick(['RED', 'blue']) };
    case 5:
      return { wildcard: pick(['r*d', '*e*', 'b*']) };
    case 6:
      return {
        numeric: pick([
          ['>', int(5)],
          ['<=', int(5)],
          ['>=', 1, '<', 4],
          ['=', int(5)],
        ]),
      };
    case 7:
      return { 'anything-but': pick([pick(WORDS), [1, 2], { prefix: 'r' }, ['red', 'blue']]) };
    case 8:
      return { exists: random() < 0.7 };
    case 9:
      return { cidr: '10.0.0.0/24' };
    case 10:
      return pick([true, false, null]);
    default:
      return pick(WORDS.slice(0, 3));
  }
}

function randomCondition(): unknown[] {
  return Array.from({ length: 1 + int(3) }, randomMatchValue);
}

function randomObject(depth: number, body: boolean): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  const keys = 1 + int(2);
  for (let i = 0; i < keys; i++) {
    const key = pick(KEYS);
    object[key] =
      body && depth < 2 && random() < 0.3 ? randomObject(depth + 1, body) : randomCondition();
  }
  if (random() < 0.15) {
    object.$or = [randomObject(depth, body), randomObject(depth, body)];
  }
  return object;
}

function randomPolicy(): CompiledPolicy | undefined {
  if (random() < 0.03) return undefined;
  const body = random() < 0.5;
  try {
    return compileFilterPolicy(randomObject(0, body), body ? 'MessageBody' : 'MessageAttributes');
  } catch {
    return compileFilterPolicy({ a: ['red'] });
  }
}

function randomScalar(): unknown {
  return pick([pick(WORDS), int(6), int(6) + 0.5, true, null]);
}

function randomBodyValue(depth: number): unknown {
  const roll = random();
  if (roll < 0.2 && depth < 2)
    return Array.from({ length: int(3) }, () => randomBodyValue(depth + 1));
  if (roll < 0.4 && depth < 2) return randomBody(depth + 1);
  return randomScalar();
}

function randomBody(depth: number): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const key of KEYS) if (random() < 0.6) body[key] = randomBodyValue(depth);
  return body;
}

function randomMessage(): FilterInput {
  const attributes: MessageAttributes = {};
  for (const key of KEYS) {
    if (random() < 0.35) continue;
    const roll = int(4);
    if (roll === 0)
      attributes[key] = { Type: 'Number', Value: String(pick([int(6), int(6) + 0.25])) };
    else if (roll === 1) {
      attributes[key] = {
        Type: 'String.Array',
        Value: JSON.stringify([randomScalar(), randomScalar()]),
      };
    } else if (roll === 2) attributes[key] = { Type: 'Binary', Value: 'cmVk' };
    else attributes[key] = { Type: 'String', Value: pick(WORDS) };
  }
  const body = random() < 0.1 ? 'not json' : JSON.stringify(randomBody(0));
  return createFilterInput(body, attributes);
}

function naiveMatch(
  policies: Map<number, CompiledPolicy | undefined>,
  input: FilterInput,
): number[] {
  const keys: number[] = [];
  for (const [key, policy] of policies) {
    if (policy === undefined || matchesPolicy(policy, input)) keys.push(key);
  }
  return keys.sort((x, y) => x - y);
}

describe('PolicyIndex agrees with evaluating every policy', () => {
  it('on random policies and messages, through adds, replacements and deletes', () => {
    const index = new PolicyIndex<number>();
    const policies = new Map<number, CompiledPolicy | undefined>();
    let compared = 0;

    for (let round = 0; round < 6; round++) {
      for (let i = 0; i < 150; i++) {
        const key = int(400);
        const policy = randomPolicy();
        index.set(key, policy);
        policies.set(key, policy);
      }
      for (let i = 0; i < 40; i++) {
        const key = int(400);
        index.delete(key);
        policies.delete(key);
      }
      expect(index.size).toBe(policies.size);

      for (let m = 0; m < 500; m++) {
        const input = randomMessage();
        const found = index.match(input).sort((x, y) => x - y);
        expect(found).toEqual(naiveMatch(policies, input));
        compared++;
      }
    }
    expect(compared).toBe(3_000);
  });
});
