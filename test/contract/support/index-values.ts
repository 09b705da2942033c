/**
 * Index key values for the suites, per column type, in ascending §6.1 order — the expected order of a test is the
 * samples' positions, so the suites need no comparator of their own. Also: values that must be equal keys although
 * written differently, and a normal form for comparing returned keys by value.
 *
 * JS values: INT8/INT16/INT32 number, INT64 and TIMESTAMP (µs since the epoch, UTC) bigint, FLOAT/DOUBLE number,
 * DECIMAL string, BOOLEAN boolean, UUID string, STRING string, BYTES Uint8Array, DATE 'YYYY-MM-DD',
 * TIME 'HH:MM:SS[.fffffffff]', DATETIME 'YYYY-MM-DDTHH:MM:SS[.fffffffff]'.
 */
import type { ColumnType } from '../../../src/domain/storage/column-type';

const b = (...xs: number[]) => new Uint8Array(xs);

export const ALL_TYPES: readonly ColumnType[] = [
  'INT8', 'INT16', 'INT32', 'INT64', 'FLOAT', 'DOUBLE', 'DECIMAL', 'BOOLEAN', 'UUID', 'STRING', 'BYTES', 'DATE', 'TIME',
  'DATETIME', 'TIMESTAMP',
];

/** Distinct non-null values of each type, ascending. */
export const ASCENDING: Readonly<Record<ColumnType, readonly unknown[]>> = {
  INT8: [-128, -1, 0, 1, 127],
  INT16: [-32768, -300, -1, 0, 255, 256, 32767],
  INT32: [-2147483648, -65536, -1, 0, 1, 65536, 2147483647],
  INT64: [-(2n ** 63n), -(2n ** 32n), -1n, 0n, 1n, 2n ** 53n + 1n, 2n ** 63n - 1n],
  FLOAT: [-Infinity, -3.4028234663852886e38, -1.5, -1.401298464324817e-45, 0, 1.401298464324817e-45, 0.5, 1024.25, Infinity, NaN],
  DOUBLE: [-Infinity, -Number.MAX_VALUE, -1.5, -Number.MIN_VALUE, 0, Number.MIN_VALUE, 0.1, 1, 2 ** 53, Number.MAX_VALUE, Infinity, NaN],
  DECIMAL: ['-1000.5', '-999.999', '-10', '-9', '-1', '-0.5', '-0.001', '0', '0.001', '0.5', '1', '9.99', '10', '123456789012345678.123'],
  BOOLEAN: [false, true],
  UUID: [
    '80000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', 'ffffffff-ffff-ffff-0000-000000000000',
    '00000000-0000-0000-8000-000000000000', '00000000-0000-0000-0000-000000000000', '00000000-0000-0000-0000-000000000001',
    '7fffffff-ffff-ffff-7fff-ffffffffffff',
  ],
  STRING: ['', 'A', 'Z', 'a', 'aa', 'ab', 'b', 'z', '\u00e9', '\u4e2d', '\ufffd', '\u{1f600}'],
  BYTES: [b(), b(0), b(0, 0), b(0, 1), b(1), b(0x7f), b(0x80), b(0x80, 0), b(0xff), b(0xff, 0xff)],
  DATE: ['0001-01-01', '1969-12-31', '1970-01-01', '2000-02-29', '2024-12-31', '9999-12-31'],
  TIME: ['00:00:00', '00:00:00.000000001', '00:00:00.001', '00:00:00.5', '00:00:01', '12:30:00', '23:59:59.999999999'],
  DATETIME: ['1969-12-31T23:59:59.999999999', '1970-01-01T00:00:00', '1970-01-01T00:00:00.000001', '2024-02-29T12:00:00', '9999-12-31T23:59:59'],
  TIMESTAMP: [-(2n ** 62n), -1n, 0n, 1n, 1_700_000_000_000_000n, 2n ** 62n],
};

/** Pairs written differently that are the same key. */
export const EQUAL_VALUES: ReadonlyArray<[ColumnType, unknown, unknown]> = [
  ['DECIMAL', '1.5', '1.50'],
  ['DECIMAL', '0', '0.000'],
  ['DECIMAL', '-2', '-2.0'],
  ['TIME', '00:00:01.5', '00:00:01.500'],
  ['DATETIME', '2024-01-01T00:00:00', '2024-01-01T00:00:00.000'],
  ['DOUBLE', -0, 0],
  ['FLOAT', -0, 0],
];

function decimalNormalForm(s: string): string {
  const negative = s.startsWith('-');
  const [i = '', f = ''] = (negative ? s.slice(1) : s).split('.');
  const int = i.replace(/^0+/, '') || '0';
  const frac = f.replace(/0+$/, '');
  const body = frac === '' ? int : `${int}.${frac}`;
  return negative && body !== '0' ? `-${body}` : body;
}

/** A form in which two values are toEqual exactly when they are the same key (-0 and 0 are one key). */
export function normalValue(type: ColumnType, v: unknown): unknown {
  if (v === null || v === undefined) return v;
  switch (type) {
    case 'FLOAT': case 'DOUBLE': {
      const n = type === 'FLOAT' ? Math.fround(v as number) : (v as number);
      return Number.isNaN(n) ? 'NaN' : n === 0 ? 0 : n;
    }
    case 'DECIMAL': return `dec:${decimalNormalForm(v as string)}`;
    case 'UUID': return (v as string).toLowerCase();
    case 'BYTES': return `hex:${Buffer.from(v as Uint8Array).toString('hex')}`;
    case 'TIME': case 'DATETIME': return (v as string).includes('.') ? (v as string).replace(/0+$/, '').replace(/\.$/, '') : v;
    default: return v;
  }
}

export function normalKey(types: readonly ColumnType[], key: readonly unknown[]): unknown[] {
  return key.map((v, i) => normalValue(types[i]!, v));
}
