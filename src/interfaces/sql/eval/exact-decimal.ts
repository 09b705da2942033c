/**
 * Exact decimal arithmetic for SQL DECIMAL: value = unscaled × 10^-scale with a bigint `unscaled` and scale ≥ 0.
 * Values are immutable; every operation returns a new one. + − × and remainder are exact; division rounds HALF_UP
 * (away from zero on a tie) to a scale the caller chooses. The canonical text (`formatExact`) is the table API's
 * DECIMAL form: plain digits, exactly `scale` fraction digits, no exponent, no '+', never '-0'.
 */

export class ExactDecimal {
  constructor(
    readonly unscaled: bigint,
    /** Digits after the point, ≥ 0. */
    readonly scale: number,
  ) {}
}

/** Beyond this exponent a decimal text is refused (it would make a number with that many digits). */
const MAX_EXPONENT = 100_000;
const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
const POW10: bigint[] = [];
for (let i = 0, p = 1n; i <= 40; i++, p *= 10n) POW10.push(p);

export const EXACT_ZERO = new ExactDecimal(0n, 0);

export function pow10(n: number): bigint {
  return n < POW10.length ? POW10[n]! : 10n ** BigInt(n);
}

/** `-12.50`, `.5`, `1e3`, `+2.5E-1`; null when not a decimal number (no surrounding spaces allowed). */
export function parseExact(s: string): ExactDecimal | null {
  const m = DECIMAL_TEXT.exec(s);
  if (m === null) return null;
  const intDigits = m[2]!;
  const fraction = m[3] ?? '';
  if (intDigits === '' && fraction === '') return null;
  let unscaled = BigInt(`${intDigits}${fraction}`);
  let scale = fraction.length;
  if (m[4] !== undefined) {
    const e = Number(m[4]);
    if (Math.abs(e) > MAX_EXPONENT) return null;
    scale -= e;
  }
  if (scale < 0) {
    unscaled *= pow10(-scale);
    scale = 0;
  }
  return new ExactDecimal(m[1] === '-' ? -unscaled : unscaled, scale);
}

/** The exact decimal of a finite number as JS prints it (0.1 → 0.1, not its binary expansion); null for NaN/±Infinity. */
export function exactOfNumber(n: number): ExactDecimal | null {
  if (Number.isSafeInteger(n)) return new ExactDecimal(BigInt(n), 0);
  if (!Number.isFinite(n)) return null;
  return parseExact(String(n));
}

export function formatExact(d: ExactDecimal): string {
  const negative = d.unscaled < 0n;
  let digits = (negative ? -d.unscaled : d.unscaled).toString();
  const sign = negative ? '-' : '';
  if (d.scale === 0) return sign + digits;
  if (digits.length <= d.scale) digits = digits.padStart(d.scale + 1, '0');
  const cut = digits.length - d.scale;
  return `${sign}${digits.slice(0, cut)}.${digits.slice(cut)}`;
}

/** The same value at a scale ≥ its own (exact). */
export function rescale(d: ExactDecimal, scale: number): bigint {
  return scale === d.scale ? d.unscaled : d.unscaled * pow10(scale - d.scale);
}

export function addExact(a: ExactDecimal, b: ExactDecimal): ExactDecimal {
  const s = a.scale > b.scale ? a.scale : b.scale;
  return new ExactDecimal(rescale(a, s) + rescale(b, s), s);
}

export function subtractExact(a: ExactDecimal, b: ExactDecimal): ExactDecimal {
  const s = a.scale > b.scale ? a.scale : b.scale;
  return new ExactDecimal(rescale(a, s) - rescale(b, s), s);
}

export function multiplyExact(a: ExactDecimal, b: ExactDecimal): ExactDecimal {
  return new ExactDecimal(a.unscaled * b.unscaled, a.scale + b.scale);
}

/** a ÷ b rounded HALF_UP to `scale` digits; b must not be zero. */
export function divideExact(a: ExactDecimal, b: ExactDecimal, scale: number): ExactDecimal {
  const k = b.scale + scale - a.scale;
  const n = k >= 0 ? a.unscaled * pow10(k) : a.unscaled;
  const d = k >= 0 ? b.unscaled : b.unscaled * pow10(-k);
  return new ExactDecimal(divideHalfUp(n, d), scale);
}

/** The remainder of a ÷ b truncated (its sign is the dividend's, as SQL `%` and MOD); b must not be zero. */
export function remainderExact(a: ExactDecimal, b: ExactDecimal): ExactDecimal {
  const s = a.scale > b.scale ? a.scale : b.scale;
  return new ExactDecimal(rescale(a, s) % rescale(b, s), s);
}

export function negateExact(a: ExactDecimal): ExactDecimal {
  return new ExactDecimal(-a.unscaled, a.scale);
}

export function compareExact(a: ExactDecimal, b: ExactDecimal): number {
  const s = a.scale > b.scale ? a.scale : b.scale;
  const x = rescale(a, s);
  const y = rescale(b, s);
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * The value rounded HALF_UP to `scale` fraction digits (padded with zeros when `scale` is larger than its own). A
 * negative `scale` rounds to tens, hundreds, … (ROUND(x, -1)) and gives scale 0.
 */
export function roundExact(d: ExactDecimal, scale: number): ExactDecimal {
  if (scale >= d.scale) return new ExactDecimal(rescale(d, scale), scale);
  const q = divideHalfUp(d.unscaled, pow10(d.scale - scale));
  return scale >= 0 ? new ExactDecimal(q, scale) : new ExactDecimal(q * pow10(-scale), 0);
}

/** The largest integer ≤ d (`up` false) or the smallest ≥ d (`up` true), at scale 0. */
export function floorOrCeilExact(d: ExactDecimal, up: boolean): ExactDecimal {
  if (d.scale === 0) return d;
  const p = pow10(d.scale);
  let q = d.unscaled / p;
  const r = d.unscaled % p;
  if (r !== 0n && (r > 0n) === up) q += up ? 1n : -1n;
  return new ExactDecimal(q, 0);
}

/** Decimal digits of the unscaled value (its precision), at least 1. */
export function digitCount(d: ExactDecimal): number {
  const u = d.unscaled < 0n ? -d.unscaled : d.unscaled;
  return u.toString().length;
}

/** Digits before the point (0 for |d| < 1). */
export function integerDigits(d: ExactDecimal): number {
  const u = d.unscaled < 0n ? -d.unscaled : d.unscaled;
  const n = u.toString().length - d.scale;
  return u === 0n || n < 0 ? 0 : n;
}

export function exactToNumber(d: ExactDecimal): number {
  return Number(formatExact(d));
}

/** n ÷ d rounded HALF_UP (d ≠ 0). */
function divideHalfUp(n: bigint, d: bigint): bigint {
  const q = n / d;
  const r = n % d;
  if (r === 0n) return q;
  const r2 = (r < 0n ? -r : r) * 2n;
  const dAbs = d < 0n ? -d : d;
  if (r2 < dAbs) return q;
  return (n < 0n) === (d < 0n) ? q + 1n : q - 1n;
}
