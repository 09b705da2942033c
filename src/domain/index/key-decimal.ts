/**
 * DECIMAL values: parsing ('-123.45', '1.5e3', numbers, bigints), HALF_UP rounding to the column's scale
 * (as SQL assignment to DECIMAL(p, s) does), the precision check, and the order-preserving encoding:
 *
 *   zero:     0x02
 *   positive: 0x03, exponent E + 0x8000 (2 bytes big-endian), digit pairs as bytes 1..100, terminator 0x00
 *   negative: 0x01, then the positive form's exponent, pair and terminator bytes inverted
 *
 * where the value is 0.d1d2...dn x 10^E with d1 != 0 and dn != 0 (canonical: no leading or trailing zeros),
 * pairs are (d1 d2), (d3 d4), ... with a lone last digit padded by 0. A larger exponent means a larger
 * magnitude; with equal exponents, the digit strings compare like the magnitudes, a shorter string (fewer
 * significant digits) being smaller. Inversion reverses that for negatives, and the form is prefix-free, so
 * later columns compare correctly. Numerically equal values (1.5, 1.50) have the same key.
 */
import { DataCorruptionError, InvalidArgumentError } from '../shared/errors';
import type { KeyColumn } from './column-values';
import { wrongValue } from './column-values';

const ZERO = 0x02;
const POSITIVE = 0x03;
const NEGATIVE = 0x01;
const EXP_BIAS = 0x8000;
const DECIMAL_SHAPE = "a decimal string like '-123.45' (or a finite number or a bigint)";

/** Caller-owned scratch: value = (negative ? -1 : 1) x 0.digits[0..count) x 10^exponent; count 0 is zero. */
export class DecimalScratch {
  digits = new Uint8Array(64);
  count = 0;
  exponent = 0;
  negative = false;

  push(d: number): void {
    if (this.count === this.digits.length) {
      const grown = new Uint8Array(this.count * 2);
      grown.set(this.digits);
      this.digits = grown;
    }
    this.digits[this.count++] = d;
  }

  /** Drops trailing zero digits; a value without digits becomes canonical zero. */
  normalize(): void {
    while (this.count > 0 && this.digits[this.count - 1] === 0) this.count--;
    if (this.count === 0) {
      this.exponent = 0;
      this.negative = false;
    }
  }
}

/** Parses a DECIMAL key value into `out` (canonical, unrounded); throws the column's error when malformed. */
export function parseDecimal(c: KeyColumn, v: unknown, out: DecimalScratch): void {
  let s: string;
  if (typeof v === 'string') s = v;
  else if (typeof v === 'bigint') s = v.toString();
  else if (typeof v === 'number' && Number.isFinite(v)) s = String(v);
  else throw wrongValue(c, DECIMAL_SHAPE, v);
  if (!parseDecimalString(s, out)) throw wrongValue(c, DECIMAL_SHAPE, v);
}

function parseDecimalString(s: string, out: DecimalScratch): boolean {
  const n = s.length;
  let i = 0;
  out.count = 0;
  out.exponent = 0;
  out.negative = s.charCodeAt(0) === 45;
  if (out.negative || s.charCodeAt(0) === 43) i++;
  let digitsSeen = 0;
  let afterPoint = false;
  for (; i < n; i++) {
    const ch = s.charCodeAt(i);
    if (ch === 46 && !afterPoint) {
      afterPoint = true;
      continue;
    }
    if (ch < 48 || ch > 57) break;
    digitsSeen++;
    const d = ch - 48;
    if (out.count === 0 && d === 0) {
      if (afterPoint) out.exponent--;
    } else {
      out.push(d);
      if (!afterPoint) out.exponent++;
    }
  }
  if (digitsSeen === 0) return false;
  if (i < n) {
    const e = parseExponent(s, i);
    if (e === null) return false;
    out.exponent += e;
  }
  out.normalize();
  return true;
}

/** The exponent part at `i` ('e' or 'E', optional sign, digits), clamped to +-2e9; null when malformed. */
function parseExponent(s: string, i: number): number | null {
  const n = s.length;
  const e0 = s.charCodeAt(i);
  if (e0 !== 101 && e0 !== 69) return null;
  i++;
  const neg = s.charCodeAt(i) === 45;
  if (neg || s.charCodeAt(i) === 43) i++;
  if (i >= n) return null;
  let e = 0;
  for (; i < n; i++) {
    const ch = s.charCodeAt(i);
    if (ch < 48 || ch > 57) return null;
    if (e < 2e9) e = e * 10 + (ch - 48);
  }
  return neg ? -e : e;
}

/** Rounds HALF_UP (away from zero on a tie) to `scale` fraction digits, keeping the value canonical. */
export function roundToScale(d: DecimalScratch, scale: number): void {
  if (d.count === 0 || d.count - d.exponent <= scale) return;
  const keep = d.exponent + scale;
  if (keep < 0) {
    d.count = 0;
    d.normalize();
    return;
  }
  const up = d.digits[keep]! >= 5;
  d.count = keep;
  if (up) {
    let j = keep - 1;
    while (j >= 0 && d.digits[j] === 9) d.digits[j--] = 0;
    if (j >= 0) {
      d.digits[j]!++;
    } else {
      d.digits[0] = 1;
      d.count = 1;
      d.exponent++;
    }
  }
  d.normalize();
}

/**
 * Throws when the (rounded) value needs more digits than the column's precision allows, or its exponent does
 * not fit the encoding. `precision`/`scale` are -1 when the column declares none.
 */
export function checkDecimalFits(c: KeyColumn, d: DecimalScratch, precision: number, scale: number, v: unknown): void {
  if (d.count === 0) return;
  if (d.exponent < -EXP_BIAS || d.exponent >= EXP_BIAS) {
    throw wrongValue(c, `a DECIMAL of magnitude within 1e${-EXP_BIAS}..1e${EXP_BIAS - 1}`, v);
  }
  if (precision < 0) return;
  if (scale >= 0) {
    const intDigits = d.exponent > 0 ? d.exponent : 0;
    if (intDigits > precision - scale) {
      throw new InvalidArgumentError(`Index column '${c.name}' is DECIMAL(${precision}, ${scale}): at most ${precision - scale} integer digits, `
        + `got ${String(v)} with ${intDigits}; the value does not fit the column's precision`);
    }
    return;
  }
  const digits = d.exponent > d.count ? d.exponent : d.count;
  if (digits > precision) {
    throw new InvalidArgumentError(`Index column '${c.name}' is DECIMAL with precision ${precision}, got ${String(v)} with ${digits} digits; `
      + "the value does not fit the column's precision");
  }
}

/** Upper bound of the encoded size of `d`. */
export function maxDecimalBytes(d: DecimalScratch): number {
  return 4 + ((d.count + 1) >> 1);
}

export function writeDecimal(buf: Uint8Array, pos: number, d: DecimalScratch): number {
  if (d.count === 0) {
    buf[pos] = ZERO;
    return pos + 1;
  }
  const m = d.negative ? 0xff : 0;
  buf[pos++] = d.negative ? NEGATIVE : POSITIVE;
  const e = d.exponent + EXP_BIAS;
  buf[pos++] = (e >> 8) ^ m;
  buf[pos++] = (e & 0xff) ^ m;
  const digits = d.digits;
  for (let i = 0; i < d.count; i += 2) {
    const pair = digits[i]! * 10 + (i + 1 < d.count ? digits[i + 1]! : 0);
    buf[pos++] = (pair + 1) ^ m;
  }
  buf[pos++] = m;
  return pos;
}

/** Reads one DECIMAL at `pos` (bytes XORed with `mask` first) into `out`; returns the position after it. */
export function readDecimal(src: Uint8Array, pos: number, limit: number, mask: number, out: DecimalScratch): number {
  out.count = 0;
  out.exponent = 0;
  out.negative = false;
  const head = pos < limit ? src[pos++]! ^ mask : -1;
  if (head === ZERO) return pos;
  if ((head !== POSITIVE && head !== NEGATIVE) || pos + 2 > limit) throw new DataCorruptionError(`Index key has a malformed DECIMAL at ${pos - 1}`);
  const m = mask ^ (head === NEGATIVE ? 0xff : 0);
  out.negative = head === NEGATIVE;
  out.exponent = (((src[pos]! ^ m) << 8) | (src[pos + 1]! ^ m)) - EXP_BIAS;
  pos += 2;
  for (;;) {
    if (pos >= limit) throw new DataCorruptionError('Index key ends inside a DECIMAL');
    const b = src[pos++]! ^ m;
    if (b === 0) break;
    if (b > 100) throw new DataCorruptionError(`Index key has a malformed DECIMAL digit pair byte ${b}`);
    out.push(((b - 1) / 10) | 0);
    out.push((b - 1) % 10);
  }
  out.normalize();
  if (out.count === 0) throw new DataCorruptionError('Index key has a non-zero DECIMAL without digits');
  return pos;
}

/** The position after the DECIMAL at `pos` (bytes XORed with `mask`); allocation-free. */
export function skipDecimal(src: Uint8Array, pos: number, limit: number, mask: number): number {
  const head = pos < limit ? src[pos++]! ^ mask : -1;
  if (head === ZERO) return pos;
  const m = mask ^ (head === NEGATIVE ? 0xff : 0);
  pos += 2;
  while (pos < limit) {
    if ((src[pos++]! ^ m) === 0) return pos;
  }
  throw new DataCorruptionError('Index key ends inside a DECIMAL');
}

/** The plain decimal string of `d` with at least `scale` fraction digits (-1: as many as it has). */
export function formatDecimal(d: DecimalScratch, scale: number): string {
  const own = d.count - d.exponent;
  const frac = own > scale ? (own > 0 ? own : 0) : scale;
  let s = d.negative ? '-' : '';
  if (d.exponent <= 0) {
    s += '0';
  } else {
    for (let i = 0; i < d.exponent; i++) s += i < d.count ? d.digits[i]! : 0;
  }
  if (frac > 0) {
    s += '.';
    for (let k = 0; k < frac; k++) {
      const idx = d.exponent + k;
      s += idx >= 0 && idx < d.count ? d.digits[idx]! : 0;
    }
  }
  return s;
}
