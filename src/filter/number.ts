/**
 * Numbers as the filter engine compares them. AWS (event-ruler) turns every number into a
 * fixed-point form so that `300`, `3.0e2` and `300.0000001` compare equal: Herald does the
 * same with an integer count of 1e-5 units (five decimal digits, as the SNS documentation
 * states), floored like event-ruler's conversion, within -5e9..5e9 (event-ruler's range).
 * Numbers outside that range still match exactly as written, never by range.
 */

/** Decimal digits kept after the point. */
export const DECIMAL_DIGITS = 5;

/** The largest magnitude that compares numerically. */
export const NUMBER_LIMIT = 5e9;

const SCALED_LIMIT = NUMBER_LIMIT * 10 ** DECIMAL_DIGITS;
const MAX_INTEGER_DIGITS = 15;
const CHAR_0 = 48;
const CHAR_9 = 57;
const CHAR_DOT = 46;
const CHAR_MINUS = 45;
const CHAR_PLUS = 43;
const CHAR_E = 101;
const CHAR_UPPER_E = 69;

function isDigit(code: number): boolean {
  return code >= CHAR_0 && code <= CHAR_9;
}

/** Reads the optional exponent from `start`; NaN when it is malformed. */
function readExponent(text: string, start: number): number {
  let i = start;
  let sign = 1;
  const first = text.charCodeAt(i);
  if (first === CHAR_MINUS || first === CHAR_PLUS) {
    sign = first === CHAR_MINUS ? -1 : 1;
    i++;
  }
  if (i >= text.length) return NaN;
  let exponent = 0;
  for (; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (!isDigit(code)) return NaN;
    exponent = Math.min(exponent * 10 + (code - CHAR_0), 100_000);
  }
  return sign * exponent;
}

/**
 * Converts decimal text (`-12.5`, `3.015e2`, `.5`) to its scaled integer form: floor(value ×
 * 1e5). Returns NaN when the text is not a number or is outside -5e9..5e9. Exact: the digits
 * are shifted as text, never multiplied as floats.
 */
export function scaleNumberText(text: string): number {
  let i = 0;
  let negative = false;
  const sign = text.charCodeAt(0);
  if (sign === CHAR_MINUS || sign === CHAR_PLUS) {
    negative = sign === CHAR_MINUS;
    i = 1;
  }

  // Digits before the exponent, with the position of the decimal point among them.
  let digits = 0;
  let pointAt = -1;
  let integer = 0;
  let integerDigits = 0;
  let droppedNonZero = false;
  let sawDigit = false;
  const mantissaStart = i;
  for (; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === CHAR_DOT) {
      if (pointAt >= 0) return NaN;
      pointAt = digits;
      continue;
    }
    if (!isDigit(code)) break;
    sawDigit = true;
    digits++;
  }
  if (!sawDigit) return NaN;
  if (pointAt < 0) pointAt = digits;

  let exponent = 0;
  if (i < text.length) {
    const code = text.charCodeAt(i);
    if (code !== CHAR_E && code !== CHAR_UPPER_E) return NaN;
    exponent = readExponent(text, i + 1);
    if (Number.isNaN(exponent)) return NaN;
  }

  // Digits that land left of the scaled point form the integer; the rest only matter for
  // flooring negatives.
  const keep = pointAt + exponent + DECIMAL_DIGITS;
  let seen = 0;
  for (let j = mantissaStart; j < text.length; j++) {
    const code = text.charCodeAt(j);
    if (code === CHAR_DOT) continue;
    if (!isDigit(code)) break;
    const digit = code - CHAR_0;
    if (seen < keep) {
      if (integer !== 0 || digit !== 0) integerDigits++;
      if (integerDigits > MAX_INTEGER_DIGITS) return NaN;
      integer = integer * 10 + digit;
    } else if (digit !== 0) {
      droppedNonZero = true;
    }
    seen++;
  }
  for (; seen < keep; seen++) {
    if (integer !== 0) integerDigits++;
    if (integerDigits > MAX_INTEGER_DIGITS) return NaN;
    integer *= 10;
  }

  if (negative) {
    const floored = droppedNonZero ? -integer - 1 : -integer;
    if (floored < -SCALED_LIMIT) return NaN;
    return floored === 0 ? 0 : floored;
  }
  if (integer > SCALED_LIMIT || (integer === SCALED_LIMIT && droppedNonZero)) return NaN;
  return integer;
}

/** The scaled form of a JavaScript number (via its shortest decimal spelling). */
export function scaleNumber(value: number): number {
  if (!Number.isFinite(value)) return NaN;
  return scaleNumberText(String(value));
}
