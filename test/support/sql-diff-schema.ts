/**
 * Random schemas and data for the SQL differential test (test/integration/sql-differential.test.ts): a seeded PRNG,
 * 2–3 tables with an INT primary key and nullable INT / BIGINT / DOUBLE / DECIMAL / VARCHAR columns, rows with NULLs,
 * duplicates, negative numbers, long and non-ASCII strings, and the same DDL and INSERTs for aistorage and SQLite.
 *
 * Values are chosen so that both engines can compute the same answer exactly: DOUBLE and DECIMAL values are multiples
 * of 1/4 (binary fractions: SQLite keeps DECIMAL as a float, and sums of such values are exact in any order), INT values
 * stay within ±1000 so that the grammar's bounded arithmetic never leaves INT's range (aistorage's INT arithmetic
 * fails on overflow where SQLite widens to 64 bits), and a few BIGINTs are above 2^53 (bigint results both sides).
 */

/** mulberry32: a small, fast, seedable PRNG (deterministic across platforms). */
export class Prng {
  #state: number;
  constructor(seed: number) {
    this.#state = seed >>> 0;
  }
  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.#state = (this.#state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  /** Fisher–Yates, in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    return items;
  }
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)]!;
  }
}

export type ColumnType = 'INT' | 'BIGINT' | 'DOUBLE' | 'DECIMAL' | 'VARCHAR';
export type Value = number | bigint | string | null;

export interface ColumnDef {
  readonly name: string;
  readonly type: ColumnType;
  readonly nullable: boolean;
  /** The largest absolute value of a numeric column. */
  readonly bound: number;
  /** Only ASCII strings (UPPER/LOWER agree: SQLite maps ASCII letters only). */
  readonly ascii: boolean;
}

export interface TableDef {
  readonly name: string;
  /** columns[0] is `id INT PRIMARY KEY`. */
  readonly columns: readonly ColumnDef[];
  readonly rows: readonly (readonly Value[])[];
}

export const MAX_ROWS = 30;
const BIG = [9007199254740993n, -9007199254740993n, 9007199254740992n, 36028797018963968n, 123456789012345678n];
const ASCII_STRINGS = ['', 'a', 'A', 'ab', 'aB', 'abc', 'b', 'B', 'ba', 'a_b', 'a%b', ' x ', 'x ', ' x', "it's", 'zz', '10', '9'];
const OTHER_STRINGS = ['é', 'e', 'É', 'ß', '日本', '日', '😀', '😀a', '\uffff', '\ue000x', 'ÿ'];

function intValue(r: Prng): number {
  const k = r.next();
  return k < 0.5 ? r.int(-5, 5) : k < 0.8 ? r.int(-100, 100) : r.int(-1000, 1000);
}

function bigintValue(r: Prng): bigint {
  const k = r.next();
  if (k < 0.6) return BigInt(r.int(-10, 10));
  if (k < 0.9) return BigInt(r.int(-1000, 1000)) * 1_000_000_007n;
  return r.pick(BIG);
}

function quarterValue(r: Prng, spread: number): number {
  return (r.chance(0.5) ? r.int(-20, 20) : r.int(-spread, spread)) / 4;
}

function longString(r: Prng, ascii: boolean): string {
  const unit = ascii ? r.pick(['x', 'ab', 'Lorem ipsum ', 'a%_']) : r.pick(['é', '日本語', '😀x', 'aé']);
  return unit.repeat(r.int(50, 400)) + (r.chance(0.5) ? '' : r.pick(ASCII_STRINGS));
}

function stringValue(r: Prng, ascii: boolean): string {
  const k = r.next();
  if (k < 0.1) return longString(r, ascii);
  if (k < 0.3 || ascii) return r.pick(ASCII_STRINGS) + (r.chance(0.2) ? r.pick(ASCII_STRINGS) : '');
  return r.pick(OTHER_STRINGS) + (r.chance(0.3) ? r.pick(ASCII_STRINGS) : '');
}

function valueOf(r: Prng, c: ColumnDef): Value {
  if (c.nullable && r.chance(0.25)) return null;
  switch (c.type) {
    case 'INT': return intValue(r);
    case 'BIGINT': return bigintValue(r);
    case 'DOUBLE': return quarterValue(r, 4000);
    case 'DECIMAL': return quarterValue(r, 4000);
    case 'VARCHAR': return stringValue(r, c.ascii);
  }
}

const BOUNDS: Record<ColumnType, number> = { INT: 1000, BIGINT: 2 ** 57, DOUBLE: 1000, DECIMAL: 1000, VARCHAR: 0 };

function randomColumns(r: Prng): ColumnDef[] {
  const columns: ColumnDef[] = [{ name: 'id', type: 'INT', nullable: false, bound: 1000, ascii: true }];
  const types: ColumnType[] = ['INT', 'VARCHAR', ...Array.from({ length: r.int(1, 4) }, () =>
    r.pick<ColumnType>(['INT', 'INT', 'BIGINT', 'DOUBLE', 'DECIMAL', 'VARCHAR']))];
  r.shuffle(types);
  types.forEach((type, i) => columns.push({
    name: `c${i + 1}`, type, nullable: r.chance(0.75), bound: BOUNDS[type], ascii: r.chance(0.5),
  }));
  return columns;
}

function randomRows(r: Prng, columns: readonly ColumnDef[]): Value[][] {
  const count = r.chance(0.08) ? r.int(0, 1) : r.int(2, MAX_ROWS);
  const ids = new Set<number>();
  while (ids.size < count) ids.add(r.int(-1000, 1000));
  const rows: Value[][] = [];
  for (const id of ids) {
    const dup = rows.length > 0 && r.chance(0.3) ? r.pick(rows) : null; // a row that repeats another's values
    rows.push([id, ...columns.slice(1).map((c, i) => (dup !== null && r.chance(0.7) ? dup[i + 1]! : valueOf(r, c)))]);
  }
  return rows;
}

export function randomSchema(r: Prng): TableDef[] {
  return Array.from({ length: r.int(2, 3) }, (_, i) => {
    const columns = randomColumns(r);
    return { name: `t${i}`, columns, rows: randomRows(r, columns) };
  });
}

export function quoteString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

export function literal(v: Value): string {
  if (v === null) return 'NULL';
  if (typeof v === 'string') return quoteString(v);
  return String(v);
}

const SQLITE_TYPES: Record<ColumnType, string> = {
  INT: 'INTEGER', BIGINT: 'INTEGER', DOUBLE: 'REAL', DECIMAL: 'NUMERIC', VARCHAR: 'TEXT',
};

function columnsDdl(t: TableDef, sqlite: boolean): string {
  return t.columns.map((c, i) => {
    const type = sqlite ? SQLITE_TYPES[c.type] : c.type === 'DECIMAL' ? 'DECIMAL(12, 2)' : c.type;
    return `${c.name} ${type}${i === 0 ? ' PRIMARY KEY' : c.nullable ? '' : ' NOT NULL'}`;
  }).join(', ');
}

function inserts(t: TableDef): string[] {
  const out: string[] = [];
  for (let i = 0; i < t.rows.length; i += 10) {
    const values = t.rows.slice(i, i + 10).map((row) => `(${row.map(literal).join(', ')})`).join(', ');
    out.push(`INSERT INTO ${t.name} VALUES ${values}`);
  }
  return out;
}

/** The statements that create and fill the schema: on the zone z (profile 'mem') for aistorage. */
export function schemaScript(tables: readonly TableDef[], sqlite: boolean): string[] {
  const out = sqlite ? [] : [`CREATE ZONE z WITH PARTITIONS=4, STORAGE PROFILES ['mem']`];
  for (const t of tables) {
    out.push(`CREATE TABLE ${t.name} (${columnsDdl(t, sqlite)})${sqlite ? '' : ` ZONE z STORAGE PROFILE 'mem'`}`);
    out.push(...inserts(t));
  }
  return out;
}
