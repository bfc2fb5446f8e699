/**
 * How deep an invocation payload's arrays and objects may nest. Handing an event to a
 * worker clones it recursively, and a payload nested tens of thousands deep overflows the
 * host's stack: Herald refuses it up front instead.
 */
export const MAX_PAYLOAD_DEPTH = 512;

const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * The deepest nesting of arrays and objects in a JSON text, found in one pass without
 * recursion (brackets inside strings do not count). Meant for text that parses as JSON.
 */
export function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === BACKSLASH) i++;
      else if (code === QUOTE) inString = false;
    } else if (code === QUOTE) {
      inString = true;
    } else if (code === OPEN_ARRAY || code === OPEN_OBJECT) {
      depth++;
      if (depth > deepest) deepest = depth;
    } else if (code === CLOSE_ARRAY || code === CLOSE_OBJECT) {
      depth--;
    }
  }
  return deepest;
}
