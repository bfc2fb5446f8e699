import { readFileSync } from 'node:fs';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { HeraldError } from '../../src/errors/index.js';
import {
  compileFilterPolicy,
  createFilterInput,
  matchesPolicy,
  PolicyIndex,
  type CompiledPolicy,
  type FilterScope,
} from '../../src/filter/index.js';
import { runNdjson } from '../../src/filter/tool.js';
import type { MessageAttributes } from '../../src/domain/message.js';

interface ConformanceCase {
  id: string;
  scope?: FilterScope;
  policy: unknown;
  attributes?: MessageAttributes;
  message?: string;
  match?: boolean;
  invalid?: boolean;
}

const fixture = new URL('../fixtures/conformance/filter-cases.json', import.meta.url);
const cases = JSON.parse(readFileSync(fixture, 'utf8')) as ConformanceCase[];

function inputOf(testCase: ConformanceCase): ReturnType<typeof createFilterInput> {
  return createFilterInput(testCase.message ?? '', testCase.attributes ?? {});
}

const compiled = new Map<string, CompiledPolicy>();
for (const testCase of cases) {
  if (!testCase.invalid) {
    compiled.set(testCase.id, compileFilterPolicy(testCase.policy, testCase.scope));
  }
}
const index = new PolicyIndex<string>();
for (const [id, policy] of compiled) index.set(id, policy);

describe('filter-policy conformance', () => {
  it('has the expected number of cases', () => {
    expect(cases.length).toBe(380);
  });

  for (const testCase of cases) {
    it(testCase.id, () => {
      if (testCase.invalid) {
        let thrown: unknown;
        try {
          compileFilterPolicy(testCase.policy, testCase.scope);
        } catch (error) {
          thrown = error;
        }
        expect(thrown).toBeInstanceOf(HeraldError);
        expect((thrown as HeraldError).code).toBe('InvalidParameter');
        expect((thrown as HeraldError).message).toMatch(/^Invalid parameter: /);
        return;
      }

      const input = inputOf(testCase);
      const policy = compiled.get(testCase.id) as CompiledPolicy;
      expect(matchesPolicy(policy, input)).toBe(testCase.match);

      // The index over every case's policy must agree with a naive loop, for this message.
      const naive = [...compiled].filter(([, other]) => matchesPolicy(other, input));
      const found = index.match(input);
      expect(new Set(found)).toEqual(new Set(naive.map(([id]) => id)));
      expect(found.length).toBe(naive.length);
      expect(found.includes(testCase.id)).toBe(testCase.match);
    });
  }

  it('gives the same answers through the ndjson tool, in order', async () => {
    const lines = cases.map((testCase) => JSON.stringify(testCase));
    const output = new PassThrough();
    const chunks: string[] = [];
    output.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
    await runNdjson(Readable.from([`${lines.join('\n')}\n`]), output);

    const results = chunks
      .join('')
      .split('\n')
      .filter((line) => line !== '');
    expect(results).toHaveLength(cases.length);
    results.forEach((line, i) => {
      const testCase = cases[i] as ConformanceCase;
      const result = JSON.parse(line) as { match?: boolean; error?: string };
      if (testCase.invalid) expect(result.error, testCase.id).toBe('InvalidParameter');
      else expect(result, testCase.id).toEqual({ match: testCase.match });
    });
  });
});
