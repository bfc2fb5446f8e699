/** A compiled `wildcard` pattern: the literal pieces between unescaped `*` characters. */
export interface WildcardPattern {
  /** Literal segments; a `*` stands between each pair. */
  segments: string[];
}

/**
 * Compiles a wildcard pattern. `*` matches any run of characters; `\*` and `\\` stand for a
 * literal star and backslash. Throws an Error with the policy error to report for two stars
 * in a row or any other escape, as event-ruler does.
 */
export function compileWildcard(text: string): WildcardPattern {
  const segments: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '\\') {
      const next = text[i + 1];
      if (next !== '*' && next !== '\\') throw new Error(`Invalid escape character at pos ${i}`);
      current += next;
      i++;
    } else if (char === '*') {
      if (text[i + 1] === '*') throw new Error(`Consecutive wildcard characters at pos ${i}`);
      segments.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  segments.push(current);
  return { segments };
}

/** Whether `value` matches the pattern (first and last segments are anchored). */
export function matchesWildcard(pattern: WildcardPattern, value: string): boolean {
  const { segments } = pattern;
  const first = segments[0] ?? '';
  if (segments.length === 1) return value === first;

  const last = segments[segments.length - 1] ?? '';
  if (value.length < first.length + last.length) return false;
  if (!value.startsWith(first) || !value.endsWith(last)) return false;

  let position = first.length;
  const end = value.length - last.length;
  for (let i = 1; i < segments.length - 1; i++) {
    const segment = segments[i] ?? '';
    const found = value.indexOf(segment, position);
    if (found < 0 || found + segment.length > end) return false;
    position = found + segment.length;
  }
  return true;
}
