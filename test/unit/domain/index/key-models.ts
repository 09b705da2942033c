/**
 * Test models for the key codec: value generators per column type and the "natural" order of DESIGN §6.1,
 * written independently of the codec (bigint arithmetic, Buffer.compare, Date).
 */
import fc from 'fast-check';
import type { ColumnType } from '../../../../src/domain/storage/column-type';

export const SEED = Number(process.env.KEY_CODEC_SEED ?? 20240611);
/** Runs per property; raise (e.g. KEY_CODEC_RUNS=5000) for a long randomized run. */
export const RUNS = Number(process.env.KEY_CODEC_RUNS ?? 200);
export const FC = { seed: SEED, numRuns: RUNS };

export const sign = (x: number): number => (x < 0 ? -1 : x > 0 ? 1 : 0);
const cmpPrim = <T>(a: T, b: T): number => (a < b ? -1 : a > b ? 1 : 0);

// ---- numbers ----------------------------------------------------------------------------------------------

export function compareDouble(a: number, b: number): number {
  if (a !== a) return b !== b ? 0 : 1;
  if (b !== b) return -1;
  return cmpPrim(a, b);
}

export const compareFloat = (a: number, b: number): number => compareDouble(Math.fround(a), Math.fround(b));

export const INT64_MIN = -(1n << 63n);
export const INT64_MAX = (1n << 63n) - 1n;
export const int64Arb = fc.oneof(
  fc.bigInt({ min: INT64_MIN, max: INT64_MAX }),
  fc.constantFrom(INT64_MIN, INT64_MIN + 1n, -1n, 0n, 1n, INT64_MAX - 1n, INT64_MAX, -(1n << 32n), 1n << 32n),
);

export const doubleArb = fc.oneof(
  fc.double(),
  fc.constantFrom(0, -0, Infinity, -Infinity, NaN, Number.MIN_VALUE, -Number.MIN_VALUE, 2.2250738585072014e-308,
    -2.2250738585072014e-308, Number.MAX_VALUE, -Number.MAX_VALUE, 1, -1),
);

// ---- decimals: (unscaled, scale) --------------------------------------------------------------------------

export interface Dec { readonly u: bigint; readonly s: number }

export function parseDec(str: string): Dec {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(str);
  if (m === null) throw new Error(`model cannot parse ${str}`);
  const frac = m[3] ?? '';
  let u = BigInt(`${m[2] || '0'}${frac}` || '0');
  let s = frac.length - Number(m[4] ?? 0);
  if (s < 0) {
    u *= 10n ** BigInt(-s);
    s = 0;
  }
  return { u: m[1] === '-' ? -u : u, s };
}

export function compareDec(a: Dec, b: Dec): number {
  const s = Math.max(a.s, b.s);
  return cmpPrim(a.u * 10n ** BigInt(s - a.s), b.u * 10n ** BigInt(s - b.s));
}

export function formatDec(d: Dec): string {
  const neg = d.u < 0n;
  const digits = (neg ? -d.u : d.u).toString().padStart(d.s + 1, '0');
  const int = digits.slice(0, digits.length - d.s);
  const frac = digits.slice(digits.length - d.s);
  return `${neg ? '-' : ''}${int}${d.s > 0 ? `.${frac}` : ''}`;
}

/** HALF_UP (away from zero on ties) to `scale` fraction digits. */
export function roundDec(d: Dec, scale: number): Dec {
  if (d.s <= scale) return { u: d.u * 10n ** BigInt(scale - d.s), s: scale };
  const p = 10n ** BigInt(d.s - scale);
  const mag = d.u < 0n ? -d.u : d.u;
  let q = mag / p;
  if ((mag % p) * 2n >= p) q += 1n;
  return { u: d.u < 0n ? -q : q, s: scale };
}

/** Canonical form for a column without scale: no trailing fraction zeros. */
export function stripDec(d: Dec): Dec {
  let { u, s } = d;
  while (s > 0 && u % 10n === 0n) {
    u /= 10n;
    s--;
  }
  return { u, s };
}

export const decArb = (maxScale: number, maxDigits = 30): fc.Arbitrary<Dec> => fc.oneof(
  fc.record({ u: fc.bigInt({ min: -(10n ** BigInt(maxDigits)) + 1n, max: 10n ** BigInt(maxDigits) - 1n }), s: fc.integer({ min: 0, max: maxScale }) }),
  fc.record({ u: fc.bigInt({ min: -1000n, max: 1000n }), s: fc.integer({ min: 0, max: maxScale }) }),
  fc.record({ u: fc.constantFrom(0n, 1n, -1n, 9n, -9n, 10n, -10n, 99n, 100n, -100n, 101n), s: fc.integer({ min: 0, max: maxScale }) }),
);

// ---- UUID, strings, bytes --------------------------------------------------------------------------------

export const uuidArb = fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => {
  const h = Buffer.from(b).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
});

export function compareUuid(a: string, b: string): number {
  const halves = (u: string) => {
    const h = u.replace(/-/g, '');
    return [BigInt.asIntN(64, BigInt(`0x${h.slice(0, 16)}`)), BigInt.asIntN(64, BigInt(`0x${h.slice(16)}`))] as const;
  };
  const [am, al] = halves(a);
  const [bm, bl] = halves(b);
  return am !== bm ? cmpPrim(am, bm) : cmpPrim(al, bl);
}

const edgeUnits = fc.constantFrom('\0', '\u0001', 'a', 'b', '\u007f', '\u0080', '\u07ff', '\u0800', '\uffff', '\ud83d\ude00', '\u{10ffff}', '\ud7ff', '\ue000');
export const stringArb = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: edgeUnits, maxLength: 6 }),
  fc.constantFrom('', '\0', '\0\0', 'a', 'a\0', 'a\0b', 'ab'),
);

export const compareUtf8 = (a: string, b: string): number => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

export const bytesArb = fc.oneof(
  fc.uint8Array({ maxLength: 12 }),
  fc.array(fc.constantFrom(0x00, 0x01, 0xfe, 0xff), { maxLength: 6 }).map((xs) => Uint8Array.from(xs)),
);

export const compareBytes = (a: Uint8Array, b: Uint8Array): number => Buffer.compare(a, b);

// ---- temporal ----------------------------------------------------------------------------------------------

const pad = (v: number, n: number): string => String(v).padStart(n, '0');

/** Days since the epoch, generated as JS Dates (±270000 years) and formatted with the expanded-year rule. */
export const dateArb = fc.oneof(
  fc.integer({ min: -100_000_000, max: 100_000_000 }),
  fc.integer({ min: -719_528, max: 2_932_896 }), // 0000-01-01 .. 9999-12-31
  fc.constantFrom(0, -1, 1, -719_528, -719_529, 2_932_896, 2_932_897, 11_016, 10_957),
);

export function dateString(days: number): string {
  const d = new Date(days * 86_400_000);
  const y = d.getUTCFullYear();
  const ys = y >= 0 && y <= 9999 ? pad(y, 4) : `${y < 0 ? '-' : '+'}${pad(Math.abs(y), 6)}`;
  return `${ys}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
}

export const NANOS_PER_DAY = 86_400_000_000_000;
export const timeArb = fc.oneof(
  fc.integer({ min: 0, max: NANOS_PER_DAY - 1 }),
  fc.integer({ min: 0, max: 86_399 }).map((s) => s * 1e9),
  fc.tuple(fc.integer({ min: 0, max: 86_399 }), fc.integer({ min: 0, max: 999 })).map(([s, ms]) => s * 1e9 + ms * 1e6),
  fc.constantFrom(0, 1, NANOS_PER_DAY - 1, 1e9 - 1, 100_000_000),
);

export function timeString(nanos: number): string {
  const secs = Math.floor(nanos / 1e9);
  const frac = (nanos % 1e9) === 0 ? '' : `.${pad(nanos % 1e9, 9).replace(/0+$/, '')}`;
  return `${pad(Math.floor(secs / 3600), 2)}:${pad(Math.floor(secs / 60) % 60, 2)}:${pad(secs % 60, 2)}${frac}`;
}

// ---- per-type model ----------------------------------------------------------------------------------------

/** A value generator in the codec's JS form, its natural order, and its canonical decoded form. */
export interface TypeModel {
  readonly type: ColumnType;
  readonly arb: fc.Arbitrary<unknown>;
  readonly compare: (a: any, b: any) => number;
  readonly canonical: (v: any) => unknown;
  readonly extra?: { precision?: number; scale?: number };
}

const identity = (v: unknown): unknown => v;
const dtArb = fc.tuple(dateArb, timeArb);

export function typeModels(): TypeModel[] {
  return [
    { type: 'INT8', arb: fc.integer({ min: -128, max: 127 }), compare: cmpPrim, canonical: identity },
    { type: 'INT16', arb: fc.integer({ min: -32768, max: 32767 }), compare: cmpPrim, canonical: identity },
    { type: 'INT32', arb: fc.integer(), compare: cmpPrim, canonical: identity },
    { type: 'INT64', arb: int64Arb, compare: cmpPrim, canonical: identity },
    { type: 'TIMESTAMP', arb: int64Arb, compare: cmpPrim, canonical: identity },
    { type: 'FLOAT', arb: doubleArb, compare: compareFloat, canonical: (v: number) => (Math.fround(v) === 0 ? 0 : Math.fround(v)) },
    { type: 'DOUBLE', arb: doubleArb, compare: compareDouble, canonical: (v: number) => (v === 0 ? 0 : v) },
    { type: 'BOOLEAN', arb: fc.boolean(), compare: (a: boolean, b: boolean) => Number(a) - Number(b), canonical: identity },
    { type: 'UUID', arb: uuidArb, compare: compareUuid, canonical: identity },
    { type: 'STRING', arb: stringArb, compare: compareUtf8, canonical: identity },
    { type: 'BYTES', arb: bytesArb, compare: compareBytes, canonical: identity },
    { type: 'DATE', arb: dateArb.map(dateString), compare: (a: string, b: string) => compareDateStrings(a, b), canonical: identity },
    { type: 'TIME', arb: timeArb.map(timeString), compare: (a: string, b: string) => cmpPrim(timeNanos(a), timeNanos(b)), canonical: identity },
    {
      type: 'DATETIME', arb: dtArb.map(([d, t]) => `${dateString(d)}T${timeString(t)}`),
      compare: (a: string, b: string) => compareDateStrings(a.split('T')[0]!, b.split('T')[0]!) || cmpPrim(timeNanos(a.split('T')[1]!), timeNanos(b.split('T')[1]!)),
      canonical: identity,
    },
    {
      type: 'DECIMAL', arb: decArb(6).map(formatDec), extra: { precision: 40, scale: 6 },
      compare: (a: string, b: string) => compareDec(parseDec(a), parseDec(b)), canonical: (v: string) => formatDec(roundDec(parseDec(v), 6)),
    },
    {
      type: 'DECIMAL', arb: decArb(25).map(formatDec),
      compare: (a: string, b: string) => compareDec(parseDec(a), parseDec(b)), canonical: (v: string) => formatDec(stripDec(parseDec(v))),
    },
  ];
}

/** Days of a canonical date string, through JS Date (independent of the codec's calendar arithmetic). */
export function dateDays(s: string): number {
  const m = /^([+-]?\d+)-(\d\d)-(\d\d)$/.exec(s)!;
  const d = new Date(0);
  d.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Math.round(d.getTime() / 86_400_000);
}

const compareDateStrings = (a: string, b: string): number => cmpPrim(dateDays(a), dateDays(b));

export function timeNanos(s: string): number {
  const [hms, frac = ''] = s.split('.');
  const [h, m, sec] = hms!.split(':').map(Number);
  return ((h! * 60 + m!) * 60 + sec!) * 1e9 + Number(frac.padEnd(9, '0'));
}

/** Order of a nullable column value under the column's direction and null placement. */
export function columnOrder(compare: (a: any, b: any) => number, asc: boolean, nullsFirst: boolean) {
  return (a: unknown, b: unknown): number => {
    if (a === null || b === null) {
      if (a === b) return 0;
      return (a === null) === nullsFirst ? -1 : 1;
    }
    return asc ? compare(a, b) : -compare(a, b);
  };
}
