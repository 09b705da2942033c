import { describe, expect, it } from 'vitest';
import { DataCorruptionError, InvalidArgumentError } from '../../../../src/domain/shared/errors';
import { RowCodec, upgradeValues } from '../../../../src/domain/table/row-codec';
import type { ColumnDefinition, SchemaColumn, TableSchema } from '../../../../src/domain/table/table-schema';
import { keyOfRow, resolveColumn, rowValues } from '../../../../src/domain/table/table-values';
import { SeededRandom } from '../../../contract/support/seeded-random';

const T = 't';

function schemaOf(defs: readonly ColumnDefinition[], primaryKey: readonly string[], version = 1, ids?: readonly number[]): TableSchema {
  const columns = defs.map((d, i) => resolveColumn(T, d, ids?.[i] ?? i, primaryKey.includes(d.name)));
  return { version, columns, primaryKey };
}

const ALL_TYPES: readonly ColumnDefinition[] = [
  { name: 'id', type: 'INT' },
  { name: 'b', type: 'BOOLEAN' },
  { name: 'i8', type: 'TINYINT' },
  { name: 'i16', type: 'SMALLINT' },
  { name: 'i32', type: 'INT' },
  { name: 'i64', type: 'BIGINT' },
  { name: 'f32', type: 'REAL' },
  { name: 'f64', type: 'DOUBLE' },
  { name: 'dec', type: 'DECIMAL', precision: 10, scale: 2 },
  { name: 'dec0', type: 'DECIMAL', precision: 5 },
  { name: 'bigdec', type: 'DECIMAL', precision: 60, scale: 7 },
  { name: 's', type: 'VARCHAR', length: 20 },
  { name: 'text', type: 'VARCHAR' },
  { name: 'bin', type: 'VARBINARY', length: 8 },
  { name: 'blob', type: 'VARBINARY' },
  { name: 'day', type: 'DATE' },
  { name: 'tod', type: 'TIME' },
  { name: 'ts', type: 'TIMESTAMP' },
  { name: 'u', type: 'UUID' },
  { name: 'nn', type: 'VARCHAR', nullable: false, default: 'x' },
];
const ALL = schemaOf(ALL_TYPES, ['id']);

const MIN_MS = Date.parse('0001-01-01T00:00:00Z');
const MAX_MS = Date.parse('9999-12-31T23:59:59.999Z');
const CHAR_POOL = ['a', 'Z', '0', ' ', '\0', 'é', 'ß', '€', '中', '\uFEFF', '😀', '𝄞', '\u07FF', '\u0800', '\uFFFF'];

function digits(r: SeededRandom, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += r.int(10);
  return s;
}

function randomString(r: SeededRandom, maxChars: number): string {
  const n = r.int(maxChars + 1);
  let s = '';
  const ascii = r.chance(0.5);
  for (let i = 0; i < n; i++) s += ascii ? String.fromCharCode(32 + r.int(95)) : r.pick(CHAR_POOL);
  return s;
}

function randomFloat(r: SeededRandom, maxExp: number): number {
  const edge = [NaN, Infinity, -Infinity, -0, 0, Number.MAX_VALUE, Number.MIN_VALUE, -1];
  if (r.chance(0.2)) return r.pick(edge);
  return (r.next() - 0.5) * 10 ** (r.int(2 * maxExp) - maxExp);
}

function time(r: SeededRandom): string {
  const p = (v: number): string => String(v).padStart(2, '0');
  const frac = r.int(10);
  return `${p(r.int(24))}:${p(r.int(60))}:${p(r.int(60))}${frac === 0 ? '' : `.${digits(r, frac)}`}`;
}

/** A raw (not yet normalized) value for a column; rowValues normalizes it. */
function randomValue(r: SeededRandom, c: SchemaColumn): unknown {
  switch (c.type) {
    case 'BOOLEAN': return r.chance(0.5);
    case 'TINYINT': return r.int(256) - 128;
    case 'SMALLINT': return r.int(65536) - 32768;
    case 'INT': return r.chance(0.2) ? r.pick([-(2 ** 31), 2 ** 31 - 1, 0, -1]) : r.int(2 ** 32) - 2 ** 31;
    case 'BIGINT': return r.chance(0.2) ? r.pick([-(1n << 63n), (1n << 63n) - 1n, 0n, -1n]) : r.long();
    case 'REAL': return randomFloat(r, 40);
    case 'DOUBLE': return randomFloat(r, 300);
    case 'DECIMAL': {
      const intDigits = r.int(c.precision! - c.scale! + 1);
      const frac = digits(r, r.int(c.scale! + 3));
      return `${r.chance(0.5) ? '-' : ''}${digits(r, intDigits) || '0'}${frac === '' ? '' : `.${frac}`}`;
    }
    case 'VARCHAR': return randomString(r, c.length ?? 150);
    case 'VARBINARY': return Uint8Array.from({ length: r.int((c.length ?? 100) + 1) }, () => r.int(256));
    case 'DATE': return new Date(MIN_MS + r.next() * (MAX_MS - MIN_MS)).toISOString().slice(0, 10);
    case 'TIME': return time(r);
    case 'TIMESTAMP': {
      const date = new Date(MIN_MS + r.next() * (MAX_MS - MIN_MS));
      return r.chance(0.3) ? date : `${date.toISOString().slice(0, 10)}${r.chance(0.5) ? 'T' : ' '}${time(r)}`;
    }
    default: return r.chance(0.5) ? r.uuid() : r.uuid().toUpperCase();
  }
}

function randomRow(r: SeededRandom, schema: TableSchema, nullChance: number): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const c of schema.columns) {
    if (c.nullable && r.chance(nullChance)) row[c.name] = null;
    else if (!(c.hasDefault && r.chance(0.2))) row[c.name] = randomValue(r, c);
  }
  return row;
}

function expectCorrupt(codec: RowCodec, bytes: Uint8Array, text?: RegExp): void {
  let caught: unknown;
  try {
    codec.decode(bytes);
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(DataCorruptionError);
  expect((caught as DataCorruptionError).code).toBe('DATA_CORRUPTION');
  expect((caught as Error).message).toMatch(/The row could not be decoded/);
  if (text !== undefined) expect((caught as Error).message).toMatch(text);
}

describe('RowCodec round trips', () => {
  it('decodes random rows of every type to exactly their normalized values', () => {
    const r = new SeededRandom(20240601);
    const codec = new RowCodec(ALL, 16);
    for (let n = 0; n < 1500; n++) {
      const values = rowValues(T, ALL, randomRow(r, ALL, n % 10 === 0 ? 0.9 : 0.15));
      const bytes = codec.encode(values).slice();
      expect(codec.decode(bytes)).toEqual(values);
    }
  });

  it('decodeSome decodes exactly the wanted columns of random rows and leaves the others null', () => {
    const r = new SeededRandom(20261205);
    const codec = new RowCodec(ALL, 16);
    for (let n = 0; n < 600; n++) {
      const values = rowValues(T, ALL, randomRow(r, ALL, 0.2));
      const bytes = codec.encode(values).slice();
      const wanted = Uint8Array.from(ALL.columns, () => (r.chance(0.4) ? 1 : 0));
      const got = codec.decodeSome(bytes, wanted, n % 2 === 0);
      expect(got).toEqual(values.map((v, i) => (wanted[i] === 1 ? v : null)));
    }
    const none = codec.decodeSome(codec.encode(rowValues(T, ALL, randomRow(r, ALL, 0))).slice(), new Uint8Array(ALL.columns.length), false);
    expect(none.every((v) => v === null)).toBe(true);
  });

  it('decodeSome checks the lengths of the columns it skips: truncations and trailing bytes are DATA_CORRUPTION', () => {
    const r = new SeededRandom(7);
    const codec = new RowCodec(ALL);
    const full = codec.encode(rowValues(T, ALL, randomRow(r, ALL, 0))).slice();
    const wanted = new Uint8Array(ALL.columns.length);
    wanted[0] = 1;
    for (let len = 0; len < full.length; len++) expect(() => codec.decodeSome(full.subarray(0, len), wanted, false)).toThrow(DataCorruptionError);
    const longer = new Uint8Array(full.length + 1);
    longer.set(full);
    expect(() => codec.decodeSome(longer, wanted, false)).toThrow(/1 bytes follow the last column/);
  });

  it('keeps -0, NaN, infinities, BOMs, NULs and extreme dates exactly', () => {
    const codec = new RowCodec(ALL);
    const row = {
      id: -(2 ** 31), b: false, i8: -128, i16: 32767, i32: 2 ** 31 - 1, i64: -(1n << 63n), f32: -0, f64: -0, dec: '-99999999.99',
      dec0: '99999', bigdec: `-${'9'.repeat(53)}.9999999`, s: '\uFEFF\0😀', text: '\uFEFF'.repeat(70), bin: new Uint8Array(8).fill(255),
      blob: new Uint8Array(0), day: '0001-01-01', tod: '23:59:59.999999999', ts: '9999-12-31T23:59:59.999999999',
      u: 'ffffffff-ffff-ffff-ffff-ffffffffffff', nn: '',
    };
    const values = rowValues(T, ALL, row);
    const decoded = codec.decode(codec.encode(values).slice());
    expect(decoded).toEqual(values);
    expect(Object.is(decoded[6], -0)).toBe(true);
    expect(Object.is(decoded[7], -0)).toBe(true);
    const nan = rowValues(T, ALL, { ...row, f32: NaN, f64: -Infinity, ts: '0001-01-01T00:00:00', day: '9999-12-31', tod: '00:00:00' });
    expect(codec.decode(codec.encode(nan).slice())).toEqual(nan);
  });

  it('round-trips DECIMALs across the number and bigint paths, and a 32767-digit one', () => {
    const r = new SeededRandom(7);
    for (const [precision, scale] of [[15, 0], [16, 0], [15, 15], [18, 3], [40, 20], [32767, 0], [32767, 100]] as const) {
      const schema = schemaOf([{ name: 'id', type: 'INT' }, { name: 'd', type: 'DECIMAL', precision, scale }], ['id']);
      const codec = new RowCodec(schema);
      const widest = `${'9'.repeat(precision - scale)}${scale > 0 ? `.${'9'.repeat(scale)}` : ''}`;
      const small = ['0', '1', '-1', '127', '128', '-128', '-129', '255', '256', '32767', '-32768'];
      for (const d of [widest, `-${widest}`, ...small.filter((v) => v.replace('-', '').length <= precision - scale)]) {
        const values = rowValues(T, schema, { id: 1, d });
        expect(codec.decode(codec.encode(values).slice())).toEqual(values);
      }
      for (let n = 0; n < 50; n++) {
        const intPart = digits(r, r.int(Math.min(precision - scale, 60) + 1)) || '0';
        const values = rowValues(T, schema, { id: 1, d: `${r.chance(0.5) ? '-' : ''}${intPart}.${digits(r, scale)}` });
        expect(codec.decode(codec.encode(values).slice())).toEqual(values);
      }
    }
  });

  it('grows its scratch buffer for large values; encode returns a view valid until the next encode', () => {
    const schema = schemaOf([{ name: 'id', type: 'INT' }, { name: 's', type: 'VARCHAR' }, { name: 'v', type: 'VARBINARY' }], ['id']);
    const codec = new RowCodec(schema, 16);
    const big = rowValues(T, schema, { id: 1, s: 'é😀x'.repeat(30_000), v: new Uint8Array(70_000).fill(3) });
    const bigBytes = codec.encode(big).slice();
    expect(codec.decode(bigBytes)).toEqual(big);
    const first = codec.encode(rowValues(T, schema, { id: 2, s: 'a' }));
    const copy = first.slice();
    const second = codec.encode(rowValues(T, schema, { id: 3, s: 'b' }));
    expect(second.buffer).toBe(first.buffer);
    expect(first).not.toEqual(copy);
    expect(codec.decode(copy)[0]).toBe(2);
    expect(codec.decode(second)[0]).toBe(3);
  });

  it('returns fresh VARBINARY copies and a fresh array on each decode', () => {
    const schema = schemaOf([{ name: 'id', type: 'INT' }, { name: 'v', type: 'VARBINARY' }], ['id']);
    const codec = new RowCodec(schema);
    const bytes = codec.encode([1, new Uint8Array([1, 2, 3])]).slice();
    const a = codec.decode(bytes);
    const b = codec.decode(bytes);
    expect(a).not.toBe(b);
    expect(a[1]).not.toBe(b[1]);
    (a[1] as Uint8Array)[0] = 9;
    expect(b[1]).toEqual(new Uint8Array([1, 2, 3]));
    expect(codec.decode(bytes)[1]).toEqual(new Uint8Array([1, 2, 3]));
  });
});

describe('RowCodec format', () => {
  it('is: format byte, column count, null bitmap, then the non-null values', () => {
    const schema = schemaOf([{ name: 'id', type: 'INT' }, { name: 'flag', type: 'BOOLEAN' }, { name: 'name', type: 'VARCHAR' }], ['id']);
    const bytes = new RowCodec(schema).encode([1, null, 'hé']);
    expect([...bytes]).toEqual([0x01, 3, 0b010, 1, 0, 0, 0, 3, 0x68, 0xc3, 0xa9]);
  });

  const valueBytes = (def: ColumnDefinition, v: unknown): number[] => {
    const schema = schemaOf([{ ...def, name: 'x' }], []);
    return [...new RowCodec(schema).encode([v]).subarray(3)];
  };

  it('writes fixed-width values little-endian', () => {
    expect(valueBytes({ name: '', type: 'BOOLEAN' }, true)).toEqual([1]);
    expect(valueBytes({ name: '', type: 'TINYINT' }, -2)).toEqual([0xfe]);
    expect(valueBytes({ name: '', type: 'SMALLINT' }, 0x1234)).toEqual([0x34, 0x12]);
    expect(valueBytes({ name: '', type: 'INT' }, -2)).toEqual([0xfe, 0xff, 0xff, 0xff]);
    expect(valueBytes({ name: '', type: 'BIGINT' }, 0x0102030405060708n)).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);
    expect(valueBytes({ name: '', type: 'REAL' }, 1)).toEqual([0, 0, 0x80, 0x3f]);
    expect(valueBytes({ name: '', type: 'DOUBLE' }, 1)).toEqual([0, 0, 0, 0, 0, 0, 0xf0, 0x3f]);
    expect(valueBytes({ name: '', type: 'DATE' }, '1970-01-02')).toEqual([1, 0, 0, 0]);
    expect(valueBytes({ name: '', type: 'DATE' }, '1969-12-31')).toEqual([0xff, 0xff, 0xff, 0xff]);
    expect(valueBytes({ name: '', type: 'TIME' }, '00:00:01')).toEqual([0x00, 0xca, 0x9a, 0x3b, 0, 0]);
    expect(valueBytes({ name: '', type: 'TIMESTAMP' }, '1970-01-01T00:00:01.5')).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x65, 0xcd, 0x1d]);
    expect(valueBytes({ name: '', type: 'TIMESTAMP' }, '1969-12-31T23:59:59')).toEqual([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]);
    expect(valueBytes({ name: '', type: 'UUID' }, '00112233-4455-6677-8899-aabbccddeeff'))
      .toEqual([0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff]);
  });

  it('writes DECIMALs as length + minimal two\'s complement of the unscaled value', () => {
    const dec = { name: '', type: 'DECIMAL', precision: 10, scale: 2 } as const;
    expect(valueBytes(dec, '0.00')).toEqual([0]);
    expect(valueBytes(dec, '-0.01')).toEqual([1, 0xff]);
    expect(valueBytes(dec, '-1.28')).toEqual([1, 0x80]);
    expect(valueBytes(dec, '1.28')).toEqual([2, 0x80, 0x00]);
    expect(valueBytes(dec, '-1.29')).toEqual([2, 0x7f, 0xff]);
    expect(valueBytes(dec, '327.67')).toEqual([2, 0xff, 0x7f]);
    const wide = { name: '', type: 'DECIMAL', precision: 30, scale: 0 } as const;
    expect(valueBytes(wide, '18446744073709551616')).toEqual([9, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(valueBytes(wide, '-18446744073709551616')).toEqual([9, 0, 0, 0, 0, 0, 0, 0, 0, 0xff]);
  });

  it('writes VARCHAR/VARBINARY lengths as varints (multi-byte past 127)', () => {
    const long = valueBytes({ name: '', type: 'VARCHAR' }, 'a'.repeat(200));
    expect(long.slice(0, 2)).toEqual([0xc8, 0x01]);
    expect(long).toHaveLength(202);
    const bin = valueBytes({ name: '', type: 'VARBINARY' }, new Uint8Array([9, 8]));
    expect(bin).toEqual([2, 9, 8]);
  });
});

describe('RowCodec refusals', () => {
  it('refuses values that rowValues would not produce, with INVALID_ARGUMENT', () => {
    const codec = new RowCodec(ALL);
    const good = rowValues(T, ALL, { id: 1 });
    const bad = (i: number, v: unknown): void => {
      const values = good.slice();
      values[i] = v;
      expect(() => codec.encode(values)).toThrow(InvalidArgumentError);
    };
    expect(() => codec.encode(good.slice(1))).toThrow(/needs 20 values/);
    bad(0, null);
    bad(19, null);
    bad(0, '1');
    bad(5, 1);
    bad(8, '1.5');
    bad(8, '1e3');
    bad(8, 12.5);
    bad(11, 5);
    bad(13, [1, 2]);
    bad(15, '2024-13-01');
    bad(16, '25:00:00');
    bad(17, '2024-01-01 00:00:00');
    bad(18, '00112233-4455-6677-8899-AABBCCDDEEFF');
    bad(18, '0011223344556677-8899-aabbccddeeff0');
  });
});

describe('RowCodec corrupt bytes', () => {
  const r = new SeededRandom(99);
  const codec = new RowCodec(ALL);
  const fullRow = rowValues(T, ALL, randomRow(r, ALL, 0));
  const full = codec.encode(fullRow).slice();

  it('refuses every truncation and any trailing byte', () => {
    for (let len = 0; len < full.length; len++) expectCorrupt(codec, full.subarray(0, len));
    const longer = new Uint8Array(full.length + 1);
    longer.set(full);
    expectCorrupt(codec, longer, /1 bytes follow the last column/);
  });

  it('refuses a wrong format byte, column count or null bitmap', () => {
    expectCorrupt(codec, new Uint8Array(0), /empty/);
    expectCorrupt(codec, Uint8Array.of(2, ...full.subarray(1)), /unknown row format 2/);
    const two = schemaOf([{ name: 'id', type: 'INT' }, { name: 'x', type: 'INT' }], ['id']);
    const three = schemaOf([{ name: 'id', type: 'INT' }, { name: 'x', type: 'INT' }, { name: 'y', type: 'INT' }], ['id']);
    expectCorrupt(new RowCodec(three), new RowCodec(two).encode([1, 2]).slice(), /2 columns where schema version 1 has 3/);
    const nulls = new RowCodec(three).encode([1, null, null]).slice();
    expect(nulls[2]).toBe(0b110);
    expectCorrupt(new RowCodec(three), Uint8Array.of(1, 3, 0b1110, 1, 0, 0, 0), /past the last column/);
    expectCorrupt(new RowCodec(three), Uint8Array.of(1, 3, 0b111), /NOT NULL column 'id' is null/);
    expectCorrupt(new RowCodec(three), Uint8Array.of(1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01), /longer than 5 bytes/);
  });

  it('refuses values out of their type\'s domain', () => {
    const one = (def: ColumnDefinition, valueBytes: readonly number[], text: RegExp): void =>
      expectCorrupt(new RowCodec(schemaOf([{ ...def, name: 'x' }], [])), Uint8Array.of(1, 1, 0, ...valueBytes), text);
    one({ name: '', type: 'BOOLEAN' }, [2], /BOOLEAN column 'x' holds byte 2/);
    one({ name: '', type: 'TIME' }, [0, 0x40, 0x07, 0x2a, 0xa3, 0x4e], /past the end of a day/);
    one({ name: '', type: 'TIMESTAMP' }, [0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0xca, 0x9a, 0x3b], /ns in a second/);
    one({ name: '', type: 'TIMESTAMP' }, [0, 0, 0, 0, 0, 0, 0, 0x80, 0, 0, 0, 0], /outside years 0001\.\.9999/);
    one({ name: '', type: 'DATE' }, [0xff, 0xff, 0xff, 0x7f], /outside years 0001\.\.9999/);
    one({ name: '', type: 'VARCHAR' }, [2, 0xc3, 0x28], /not UTF-8/);
    one({ name: '', type: 'VARCHAR', length: 1 }, [5, 0x61, 0x61, 0x61, 0x61, 0x61], /VARCHAR\(1\) column 'x' holds 5 bytes/);
    one({ name: '', type: 'VARCHAR', length: 2 }, [3, 0x61, 0x61, 0x61], /holds a longer string/);
    one({ name: '', type: 'VARBINARY', length: 2 }, [3, 1, 2, 3], /VARBINARY\(2\) column 'x' holds 3 bytes/);
    one({ name: '', type: 'VARBINARY' }, [4, 1, 2, 3], /claims 4 bytes/);
    one({ name: '', type: 'DECIMAL', precision: 3 }, [2, 0xe8, 0x03], /holds 1000, which does not fit/);
    one({ name: '', type: 'DECIMAL', precision: 2, scale: 2 }, [1, 100], /holds 1\.00/);
  });

  it('never fails with anything but DATA_CORRUPTION on random damage', () => {
    const rnd = new SeededRandom(4242);
    let decoded = 0;
    for (let n = 0; n < 3000; n++) {
      const bytes = codec.encode(rowValues(T, ALL, randomRow(rnd, ALL, 0.3))).slice();
      for (let k = 1 + rnd.int(3); k > 0; k--) bytes[rnd.int(bytes.length)] = rnd.int(256);
      try {
        expect(codec.decode(bytes)).toHaveLength(ALL.columns.length);
        decoded++;
      } catch (e) {
        expect(e).toBeInstanceOf(DataCorruptionError);
      }
    }
    expect(decoded).toBeGreaterThan(0);
  });
});

describe('keyOf and upgradeValues', () => {
  const v1 = schemaOf([
    { name: 'id', type: 'BIGINT' }, { name: 'a', type: 'INT' }, { name: 'b', type: 'VARCHAR' }, { name: 'k2', type: 'UUID' },
  ], ['k2', 'id'], 1);
  const v2 = schemaOf([
    { name: 'id', type: 'BIGINT' }, { name: 'b', type: 'VARCHAR' }, { name: 'k2', type: 'UUID' },
    { name: 'c', type: 'VARBINARY', default: new Uint8Array([1]) }, { name: 'd', type: 'DOUBLE' },
  ], ['k2', 'id'], 3, [0, 2, 3, 4, 5]);

  it('keyOf picks the key in key order, like keyOfRow', () => {
    const values = [5n, 1, 'x', '00000000-0000-0000-0000-000000000001'];
    expect(new RowCodec(v1).keyOf(values)).toEqual(['00000000-0000-0000-0000-000000000001', 5n]);
    expect(new RowCodec(v1).keyOf(values)).toEqual(keyOfRow(v1, values));
  });

  it('maps values by column id: added columns get their default or null, dropped ones go', () => {
    const old = [5n, 1, 'x', '00000000-0000-0000-0000-000000000001'];
    const up = upgradeValues(v1, v2, old);
    expect(up).toEqual([5n, 'x', '00000000-0000-0000-0000-000000000001', new Uint8Array([1]), null]);
    expect(up[3]).not.toBe(v2.columns[3]!.defaultValue);
    const down = upgradeValues(v2, v1, up);
    expect(down).toEqual([5n, null, 'x', '00000000-0000-0000-0000-000000000001']);
    expect(upgradeValues(v1, v1, old)).toBe(old);
    expect(() => upgradeValues(v1, v2, old.slice(1))).toThrow(InvalidArgumentError);
  });

  it('decodes a row stored under an old version and reads it through the new one', () => {
    const stored = new RowCodec(v1).encode(rowValues(T, v1, { id: 9, a: 2, b: 'hi', k2: '00000000-0000-0000-0000-0000000000FF' })).slice();
    const values = upgradeValues(v1, v2, new RowCodec(v1).decode(stored));
    expect(values).toEqual([9n, 'hi', '00000000-0000-0000-0000-0000000000ff', new Uint8Array([1]), null]);
  });
});
