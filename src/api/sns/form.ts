import { HeraldError } from '../../errors/index.js';

/**
 * Query-protocol parameters by their flattened wire name, as SNS clients send them:
 * `Action`, `TopicArn`, `Attributes.entry.1.key`, `MessageAttributes.entry.2.Value.DataType`.
 */
export type Params = Record<string, string>;

/**
 * Decodes an `application/x-www-form-urlencoded` body (or a query string) into parameters.
 * Percent-escapes must decode to UTF-8; anything else is `MalformedQueryString`, never a crash.
 */
export function decodeForm(text: string): Params {
  const params = Object.create(null) as Params;
  if (text === '') return params;

  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const separator = pair.indexOf('=');
    const name = decodeComponent(separator === -1 ? pair : pair.slice(0, separator), undefined);
    params[name] = separator === -1 ? '' : decodeComponent(pair.slice(separator + 1), name);
  }
  return params;
}

function decodeComponent(text: string, parameter: string | undefined): string {
  const spaced = text.includes('+') ? text.replaceAll('+', ' ') : text;
  if (!spaced.includes('%')) return spaced;

  try {
    return decodeURIComponent(spaced);
  } catch {
    const what = parameter === undefined ? 'a parameter name' : `the value of ${parameter}`;
    throw new HeraldError(
      'MalformedQueryString',
      `Malformed query string: ${what} is not percent-encoded UTF-8`,
      parameter === undefined ? {} : { parameter },
    );
  }
}

/** The error AWS answers for an absent required member, naming the parameter. */
export function missingParameter(parameter: string): HeraldError {
  const member = parameter.charAt(0).toLowerCase() + parameter.slice(1);
  return new HeraldError(
    'ValidationError',
    `1 validation error detected: Value null at '${member}' failed to satisfy constraint: ` +
      'Member must not be null',
    { parameter },
  );
}

/** A required parameter's value; absent → `ValidationError` naming it. */
export function requireParam(params: Params, name: string): string {
  const value = params[name];
  if (value === undefined) throw missingParameter(name);
  return value;
}

/** A boolean parameter (`true`/`false`, any case), or undefined when absent. */
export function booleanParam(params: Params, name: string): boolean | undefined {
  const value = params[name];
  if (value === undefined) return undefined;

  const lower = value.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  throw new HeraldError('InvalidParameter', `Invalid parameter: ${name} must be true or false`, {
    parameter: name,
  });
}

const INDEX = /^[1-9][0-9]{0,5}$/;

/** One member of a flattened list or map: its wire index and its parameters below it. */
export interface IndexedGroup {
  index: number;
  params: Params;
}

/**
 * The members of a flattened list or map, in index order: for the prefix `Tags.member`,
 * `Tags.member.1.Key=a&Tags.member.1.Value=b` gives `[{ index: 1, params: { Key: 'a',
 * Value: 'b' } }]`. Each group keeps the rest of its names, so nested shapes decode by calling
 * this again on a group's params.
 */
export function indexedGroups(params: Params, prefix: string): IndexedGroup[] {
  const start = `${prefix}.`;
  const groups = new Map<number, Params>();

  for (const name in params) {
    if (!name.startsWith(start)) continue;
    const rest = name.slice(start.length);
    const dot = rest.indexOf('.');
    const index = dot === -1 ? rest : rest.slice(0, dot);
    if (!INDEX.test(index)) {
      throw new HeraldError(
        'MalformedQueryString',
        `Malformed query string: bad index in ${name}`,
        {
          parameter: name,
        },
      );
    }

    const position = Number(index);
    let group = groups.get(position);
    if (group === undefined) {
      group = Object.create(null) as Params;
      groups.set(position, group);
    }
    group[dot === -1 ? '' : rest.slice(dot + 1)] = params[name] as string;
  }

  return [...groups.entries()]
    .sort(([a], [b]) => a - b)
    .map(([index, group]) => ({ index, params: group }));
}

/**
 * A flattened string map such as `Attributes.entry.N.key` / `.value` (the default member
 * names) or `Tags.member.N.Key` / `.Value`. A member without its key or value is an error.
 */
export function stringMap(
  params: Params,
  prefix: string,
  keyName = 'key',
  valueName = 'value',
): Record<string, string> | undefined {
  const groups = indexedGroups(params, prefix);
  if (groups.length === 0) return undefined;

  const map = Object.create(null) as Record<string, string>;
  for (const { index, params: member } of groups) {
    const key = member[keyName];
    const value = member[valueName];
    if (key === undefined) throw missingParameter(`${prefix}.${index}.${keyName}`);
    if (value === undefined) throw missingParameter(`${prefix}.${index}.${valueName}`);
    map[key] = value;
  }
  return map;
}

/** A flattened string list such as `TagKeys.member.N`, in index order; empty when absent. */
export function stringList(params: Params, prefix: string): string[] {
  return indexedGroups(params, prefix).map(({ index, params: member }) => {
    const value = member[''];
    if (value === undefined) throw missingParameter(`${prefix}.${index}`);
    return value;
  });
}
