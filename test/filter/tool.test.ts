import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { evaluateLine, PolicyCache, runFilterTest, runNdjson } from '../../src/filter/tool.js';

async function ndjson(input: string[]): Promise<string[]> {
  const output = new PassThrough();
  const chunks: string[] = [];
  output.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
  await runNdjson(Readable.from(input.map((text) => Buffer.from(text))), output);
  const text = chunks.join('');
  return text === '' ? [] : text.replace(/\n$/, '').split('\n');
}

describe('ndjson filter testing', () => {
  const attributes = { a: { Type: 'String', Value: 'b' } };

  it('answers one line per input line, in order, across chunk boundaries', async () => {
    const first = JSON.stringify({ policy: { a: ['b'] }, attributes });
    const second = JSON.stringify({ policy: '{"a":["c"]}', attributes, id: 7, note: 'x' });
    const text = `${first}\r\n${second}\n`;
    const lines = await ndjson([text.slice(0, 10), text.slice(10, 95), text.slice(95)]);
    expect(lines).toEqual(['{"match":true}', '{"match":false}']);
  });

  it('reports invalid policies, unreadable lines and blank lines without stopping', async () => {
    const invalid = JSON.stringify({ policy: { a: [] } });
    const valid = JSON.stringify({ policy: { a: ['b'] }, attributes });
    const lines = await ndjson([`${invalid}\n\nnot json\n[1]\n${valid}`]);
    expect(lines).toHaveLength(5);
    expect(JSON.parse(lines[0] as string)).toEqual({
      error: 'InvalidParameter',
      message: 'Invalid parameter: FilterPolicy: Empty arrays are not allowed',
    });
    expect(JSON.parse(lines[1] as string)).toMatchObject({ error: 'InvalidInput' });
    expect(JSON.parse(lines[2] as string)).toMatchObject({ error: 'InvalidInput' });
    expect(JSON.parse(lines[3] as string)).toMatchObject({ error: 'InvalidInput' });
    expect(lines[4]).toBe('{"match":true}');
  });

  it('evaluates MessageBody cases from the raw message', () => {
    const cache = new PolicyCache();
    const line = JSON.stringify({
      scope: 'MessageBody',
      policy: { order: { total: [{ numeric: ['>', 100] }] } },
      message: '{"order":{"total":1.5e2}}',
    });
    expect(evaluateLine(line, cache)).toBe('{"match":true}');
    expect(evaluateLine(line, cache)).toBe('{"match":true}');
  });

  it('streams a large input quickly', async () => {
    const line = JSON.stringify({ policy: { a: ['b', { prefix: 'x' }] }, attributes });
    const input = Array.from({ length: 20 }, () => `${Array(5_000).fill(line).join('\n')}\n`);
    const started = performance.now();
    const lines = await ndjson(input);
    expect(lines).toHaveLength(100_000);
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});

describe('single filter test', () => {
  const policyText = '{"store":["a"],"price":[{"numeric":[">",10]}]}';

  it('exits 0 on a match and 1 with the failed key otherwise', () => {
    const matching = runFilterTest({
      policyText,
      scope: 'MessageAttributes',
      attributesText:
        '{"store":{"Type":"String","Value":"a"},"price":{"Type":"Number","Value":"11"}}',
    });
    expect(matching).toEqual({ exitCode: 0, output: 'match' });

    const failing = runFilterTest({
      policyText,
      scope: 'MessageAttributes',
      attributesText: '{"store":{"DataType":"String","StringValue":"a"}}',
    });
    expect(failing.exitCode).toBe(1);
    expect(failing.output).toContain('"price"');
  });

  it('exits 2 for an invalid policy or unreadable attributes', () => {
    expect(
      runFilterTest({ policyText: '{"a":[]}', scope: 'MessageAttributes', messageText: '' })
        .exitCode,
    ).toBe(2);
    expect(
      runFilterTest({ policyText, scope: 'MessageAttributes', attributesText: '{' }).exitCode,
    ).toBe(2);
  });

  it('tests a message body', () => {
    const result = runFilterTest({
      policyText: '{"store":{"name":["a"]}}',
      scope: 'MessageBody',
      messageText: '{"store":{"name":"a"}}',
    });
    expect(result.exitCode).toBe(0);
  });
});
