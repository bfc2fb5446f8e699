import type { MessageAttributes } from '../domain/message.js';
import { parseIpAddress, type IpAddress } from './ip.js';
import { scaleNumber, scaleNumberText } from './number.js';
import type { ValueKind } from './types.js';

/**
 * One leaf value of a message: an attribute value, a String.Array element, or a scalar in
 * the JSON body. `arrays` records the arrays the value sits in, as (array id, index) pairs
 * from the outermost, so that one match never combines elements of the same array.
 */
export class FieldValue {
  readonly kind: ValueKind;
  /** The string itself; for numbers, the number as written (attributes) or printed. */
  readonly text: string;
  /** The number as a double (NaN for non-numbers). */
  readonly double: number;
  readonly arrays: readonly number[] | null;
  private scaledCache: number | undefined;
  private lowerCache: string | undefined;
  private ipCache: IpAddress | null | undefined;

  constructor(kind: ValueKind, text: string, double: number, arrays: readonly number[] | null) {
    this.kind = kind;
    this.text = text;
    this.double = double;
    this.arrays = arrays;
  }

  /** Fixed-point form of a number (see number.ts); NaN for non-numbers and huge numbers. */
  get scaled(): number {
    if (this.scaledCache === undefined) {
      this.scaledCache =
        this.kind !== 'number'
          ? NaN
          : this.text === ''
            ? scaleNumber(this.double)
            : scaleNumberText(this.text);
    }
    return this.scaledCache;
  }

  /** The string lower-cased, computed once. */
  get lower(): string {
    if (this.lowerCache === undefined) this.lowerCache = this.text.toLowerCase();
    return this.lowerCache;
  }

  /** The string parsed as an IP address (null when it is not one), computed once. */
  get ip(): IpAddress | null {
    if (this.ipCache === undefined) {
      this.ipCache = this.kind === 'string' ? parseIpAddress(this.text) : null;
    }
    return this.ipCache;
  }
}

/** Values by key path: an attribute name, or a dotted path into the body. */
export interface FieldLookup {
  get(path: string): FieldValue[] | undefined;
}

/** A scalar of parsed JSON as a value, or null for objects. */
function scalarValue(value: unknown, arrays: readonly number[] | null): FieldValue | null {
  switch (typeof value) {
    case 'string':
      return new FieldValue('string', value, NaN, arrays);
    case 'number':
      return new FieldValue('number', '', value, arrays);
    case 'boolean':
      return new FieldValue(value ? 'true' : 'false', String(value), NaN, arrays);
    default:
      return value === null ? new FieldValue('null', 'null', NaN, arrays) : null;
  }
}

/**
 * The values of a JSON body, found per path on demand and remembered: a message is parsed
 * once, and only the paths some policy asks about are walked. A path `a.b.c` reaches keys
 * nested as `a` → `b` → `c` as well as keys that contain dots (`a.b` → `c`), as on AWS.
 */
class BodyFields implements FieldLookup {
  private readonly root: Record<string, unknown>;
  private readonly found = new Map<string, FieldValue[] | undefined>();
  private readonly arrayIds = new Map<unknown[], number>();

  constructor(root: Record<string, unknown>) {
    this.root = root;
  }

  get(path: string): FieldValue[] | undefined {
    if (this.found.has(path)) return this.found.get(path);
    const values: FieldValue[] = [];
    this.walk(this.root, path, null, values);
    const result = values.length === 0 ? undefined : values;
    this.found.set(path, result);
    return result;
  }

  private arrayId(array: unknown[]): number {
    let id = this.arrayIds.get(array);
    if (id === undefined) {
      id = this.arrayIds.size;
      this.arrayIds.set(array, id);
    }
    return id;
  }

  /** Follows `rest` from `node` (arrays are transparent), collecting the leaves it reaches. */
  private walk(
    node: unknown,
    rest: string,
    arrays: readonly number[] | null,
    out: FieldValue[],
  ): void {
    if (Array.isArray(node)) {
      if (tooDeep(arrays)) return;
      const id = this.arrayId(node);
      for (let i = 0; i < node.length; i++) {
        this.walk(node[i], rest, arrays === null ? [id, i] : [...arrays, id, i], out);
      }
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const object = node as Record<string, unknown>;
    if (Object.hasOwn(object, rest)) this.leaves(object[rest], arrays, out);
    for (let dot = rest.indexOf('.'); dot >= 0; dot = rest.indexOf('.', dot + 1)) {
      const key = rest.slice(0, dot);
      if (Object.hasOwn(object, key)) {
        this.walk(object[key], rest.slice(dot + 1), arrays, out);
      }
    }
  }

  /** Collects the scalars of a value at the end of a path (through arrays, not objects). */
  private leaves(value: unknown, arrays: readonly number[] | null, out: FieldValue[]): void {
    if (Array.isArray(value)) {
      if (tooDeep(arrays)) return;
      const id = this.arrayId(value);
      for (let i = 0; i < value.length; i++) {
        this.leaves(value[i], arrays === null ? [id, i] : [...arrays, id, i], out);
      }
      return;
    }
    const scalar = scalarValue(value, arrays);
    if (scalar !== null) out.push(scalar);
  }
}

function push(fields: Map<string, FieldValue[]>, name: string, value: FieldValue): void {
  const list = fields.get(name);
  if (list === undefined) fields.set(name, [value]);
  else list.push(value);
}

/** Adds the elements of a parsed String.Array: each counts, nested arrays included. */
function addArrayElements(
  fields: Map<string, FieldValue[]>,
  name: string,
  elements: unknown,
): void {
  if (Array.isArray(elements)) {
    for (const element of elements) addArrayElements(fields, name, element);
    return;
  }
  const scalar = scalarValue(elements, null);
  if (scalar !== null) push(fields, name, scalar);
}

function flattenAttributes(attributes: MessageAttributes): Map<string, FieldValue[]> {
  const fields = new Map<string, FieldValue[]>();
  for (const name in attributes) {
    const attribute = attributes[name];
    if (attribute === undefined) continue;
    const type = attribute.Type;
    if (type === 'String.Array') {
      let elements: unknown;
      try {
        elements = JSON.parse(attribute.Value);
      } catch {
        push(fields, name, new FieldValue('string', attribute.Value, NaN, null));
        continue;
      }
      addArrayElements(fields, name, elements);
    } else if (type.startsWith('Number')) {
      push(fields, name, new FieldValue('number', attribute.Value, Number(attribute.Value), null));
    } else if (type.startsWith('String')) {
      push(fields, name, new FieldValue('string', attribute.Value, NaN, null));
    }
  }
  return fields;
}

/**
 * One message as the matcher sees it. Create it once per message and reuse it for every
 * subscription: attributes are read, and the body parsed, only once and only when a policy
 * of that scope asks.
 */
export class FilterInput {
  readonly body: string;
  readonly attributes: MessageAttributes;
  private attributeFields: Map<string, FieldValue[]> | undefined;
  private bodyFields: BodyFields | null | undefined;

  constructor(body: string, attributes: MessageAttributes) {
    this.body = body;
    this.attributes = attributes;
  }

  /** Attribute values by name (Binary attributes are left out, as SNS ignores them). */
  attributeValues(): FieldLookup {
    if (this.attributeFields === undefined)
      this.attributeFields = flattenAttributes(this.attributes);
    return this.attributeFields;
  }

  /** Body values by dotted path; null when the body is not a JSON object. */
  bodyValues(): FieldLookup | null {
    if (this.bodyFields === undefined) this.bodyFields = this.parseBody();
    return this.bodyFields;
  }

  private parseBody(): BodyFields | null {
    let parsed: unknown;
    try {
      parsed = JSON.parse(this.body);
    } catch {
      return null;
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
    return new BodyFields(parsed as Record<string, unknown>);
  }
}

/** Creates the matcher's view of one message; reuse it across all subscriptions. */
export function createFilterInput(body: string, attributes: MessageAttributes): FilterInput {
  return new FilterInput(body, attributes);
}

/**
 * Arrays nested deeper than this in a message body are not looked into: no policy can
 * match a value there. Bounds the walk, so a hostile body cannot exhaust the stack.
 */
const MAX_ARRAY_NESTING = 100;

/** True when `arrays` (array id and index pairs) is as deep as the walk goes. */
function tooDeep(arrays: readonly number[] | null): boolean {
  return arrays !== null && arrays.length >= MAX_ARRAY_NESTING * 2;
}
