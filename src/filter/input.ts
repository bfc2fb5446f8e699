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
  /** The string itself, or the number as written. */
  readonly text: string;
  /** Fixed-point form of a number (see number.ts); NaN for non-numbers and huge numbers. */
  readonly scaled: number;
  /** The number as a double, for numbers outside the comparable range. */
  readonly double: number;
  readonly arrays: readonly number[] | null;
  private lowerCache: string | undefined;
  private ipCache: IpAddress | null | undefined;

  constructor(kind: ValueKind, text: string, scaled: number, double: number, arrays: number[] | null) {
    this.kind = kind;
    this.text = text;
    this.scaled = scaled;
    this.double = double;
    this.arrays = arrays;
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

/** Values by key path (attribute name, or dotted path in the body). */
export type FieldMap = Map<string, FieldValue[]>;

function stringValue(text: string, arrays: number[] | null): FieldValue {
  return new FieldValue('string', text, NaN, NaN, arrays);
}

function numberFromText(text: string): FieldValue {
  return new FieldValue('number', text, scaleNumberText(text), Number(text), null);
}

function push(fields: FieldMap, path: string, value: FieldValue): void {
  const list = fields.get(path);
  if (list === undefined) fields.set(path, [value]);
  else list.push(value);
}

/** Adds the scalars of a parsed JSON value at `path` (objects continue the path). */
function addJson(
  fields: FieldMap,
  path: string,
  value: unknown,
  arrays: number[] | null,
  counter: { arrays: number },
): void {
  if (typeof value === 'string') {
    push(fields, path, stringValue(value, arrays));
  } else if (typeof value === 'number') {
    push(fields, path, new FieldValue('number', String(value), scaleNumber(value), value, arrays));
  } else if (value === true || value === false || value === null) {
    push(fields, path, new FieldValue(value === null ? 'null' : value ? 'true' : 'false', String(value), NaN, NaN, arrays));
  } else if (Array.isArray(value)) {
    const id = counter.arrays++;
    for (let i = 0; i < value.length; i++) {
      const chain = arrays === null ? [id, i] : [...arrays, id, i];
      addJson(fields, path, value[i], chain, counter);
    }
  } else if (typeof value === 'object') {
    const object = value as Record<string, unknown>;
    for (const key in object) {
      addJson(fields, path === '' ? key : `${path}.${key}`, object[key], arrays, counter);
    }
  }
}

/** Flattens a parsed String.Array: each element counts, nested arrays included. */
function addArrayElements(fields: FieldMap, name: string, elements: unknown): void {
  if (Array.isArray(elements)) {
    for (const element of elements) addArrayElements(fields, name, element);
  } else if (elements === null || typeof elements !== 'object') {
    addJson(fields, name, elements, null, { arrays: 0 });
  }
}

function flattenAttributes(attributes: MessageAttributes): FieldMap {
  const fields: FieldMap = new Map();
  for (const name in attributes) {
    const attribute = attributes[name];
    if (attribute === undefined) continue;
    const type = attribute.Type;
    if (type === 'String.Array') {
      let elements: unknown;
      try {
        elements = JSON.parse(attribute.Value);
      } catch {
        push(fields, name, stringValue(attribute.Value, null));
        continue;
      }
      addArrayElements(fields, name, elements);
    } else if (type.startsWith('Number')) {
      push(fields, name, numberFromText(attribute.Value));
    } else if (type.startsWith('String')) {
      push(fields, name, stringValue(attribute.Value, null));
    }
  }
  return fields;
}

/**
 * One message as the matcher sees it. Create it once per message and reuse it for every
 * subscription: attributes are flattened, and the body parsed and flattened, only once and
 * only when a policy of that scope asks.
 */
export class FilterInput {
  readonly body: string;
  readonly attributes: MessageAttributes;
  private attributeFields: FieldMap | undefined;
  private bodyFields: FieldMap | null | undefined;
  private bodyArrays = false;

  constructor(body: string, attributes: MessageAttributes) {
    this.body = body;
    this.attributes = attributes;
  }

  /** Attribute values by name (Binary attributes are left out, as SNS ignores them). */
  attributeValues(): FieldMap {
    if (this.attributeFields === undefined) this.attributeFields = flattenAttributes(this.attributes);
    return this.attributeFields;
  }

  /** Body values by dotted path; null when the body is not a JSON object. */
  bodyValues(): FieldMap | null {
    if (this.bodyFields === undefined) this.bodyFields = this.parseBody();
    return this.bodyFields;
  }

  /** Whether the body holds arrays (then matches must respect array elements). */
  bodyHasArrays(): boolean {
    this.bodyValues();
    return this.bodyArrays;
  }

  private parseBody(): FieldMap | null {
    let parsed: unknown;
    try {
      parsed = JSON.parse(this.body);
    } catch {
      return null;
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
    const fields: FieldMap = new Map();
    const counter = { arrays: 0 };
    addJson(fields, '', parsed, null, counter);
    this.bodyArrays = counter.arrays > 0;
    return fields;
  }
}

/** Creates the matcher's view of one message; reuse it across all subscriptions. */
export function createFilterInput(body: string, attributes: MessageAttributes): FilterInput {
  return new FilterInput(body, attributes);
}
