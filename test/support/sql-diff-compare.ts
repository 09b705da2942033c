/**
 * The SQLite side of the SQL differential test, and the comparison of both engines' rows.
 *
 * SQLite is better-sqlite3, a native peer kept out of the library's dependencies: it lives in bench/package.json and is
 * installed by `npm --prefix bench install` (npm test's pretest runs scripts/ensure-test-peers.cjs, which does so when
 * it is missing). Values are compared after normalization: aistorage's BOOLEAN → 1/0 (SQLite's comparisons give
 * integers), DECIMAL strings → numbers (SQLite keeps them as REAL or INTEGER), bigints → numbers when safe (SQLite's
 * integers are read as bigints), -0 → 0. Only the columns the query marks tolerant (AVG) are compared within 1e-6.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Query } from './sql-grammar';

export interface SqliteStatement {
  safeIntegers(on?: boolean): this;
  raw(on?: boolean): this;
  all(...params: unknown[]): unknown[];
}

export interface SqliteDatabase {
  prepare(sql: string): SqliteStatement;
  exec(sql: string): void;
  pragma(source: string): unknown;
  close(): void;
}

export type SqliteConstructor = new (filename: string) => SqliteDatabase;

export const BENCH_INSTALL = 'npm --prefix bench install --no-audit --no-fund';

/** better-sqlite3 from bench/node_modules, or why it cannot be loaded (what to install). */
export function loadSqlite(): { Database: SqliteConstructor } | { error: string } {
  try {
    const benchRequire = createRequire(join(__dirname, '..', '..', 'bench', 'package.json'));
    return { Database: benchRequire('better-sqlite3') as SqliteConstructor };
  } catch (e) {
    return {
      error: `The SQL differential test needs better-sqlite3 (a native peer of the benchmarks, in bench/package.json), `
        + `which did not load: ${(e as Error).message.split('\n')[0]}. Install it with \`${BENCH_INSTALL}\` `
        + `(npm test's pretest, scripts/ensure-test-peers.cjs, tries this).`,
    };
  }
}

export type Row = readonly unknown[];

function number(v: number): number {
  return v === 0 ? 0 : v; // -0
}

function integer(v: bigint): number | bigint {
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : v;
}

/**
 * aistorage's value of a column of SQL type `type` (`numeric`: the grammar made a number), normalized; a value whose JS type does not match the column's
 * declared type (DESIGN.md §9's mapping) is reported through `problem`.
 */
export function normalizeAistorage(v: unknown, type: string, numeric: boolean, problem: (message: string) => void): unknown {
  if (v === null) return null;
  const wrong = (): unknown => {
    problem(`a ${type} column holds ${typeof v} ${String(v)}`);
    return v;
  };
  switch (type) {
    case 'BOOLEAN': return typeof v === 'boolean' ? (v ? 1 : 0) : wrong();
    case 'DECIMAL': return typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? number(Number(v)) : wrong();
    case 'BIGINT': return typeof v === 'bigint' ? integer(v) : wrong();
    case 'INT': return typeof v === 'number' && Number.isInteger(v) ? number(v) : wrong();
    case 'DOUBLE': return typeof v === 'number' ? number(v) : wrong();
    case 'VARCHAR': return typeof v === 'string' ? v : wrong();
    case 'NULL': // a value typed at run time (a parameter's): a DECIMAL is a string there too
      if (typeof v === 'boolean') return v ? 1 : 0;
      if (numeric && typeof v === 'string') return normalizeAistorage(v, 'DECIMAL', true, problem);
      if (typeof v === 'bigint') return integer(v);
      return typeof v === 'number' ? number(v) : typeof v === 'string' ? v : wrong();
    default: return wrong(); // the grammar makes no other type
  }
}

export function normalizeSqlite(v: unknown): unknown {
  if (typeof v === 'bigint') return integer(v);
  if (typeof v === 'number') return number(v);
  return v;
}

function same(a: unknown, b: unknown, tolerant: boolean): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') {
    return tolerant && Math.abs(a - b) <= 1e-6 + 1e-9 * Math.max(Math.abs(a), Math.abs(b));
  }
  const integral = (x: unknown): boolean => typeof x === 'bigint' || (typeof x === 'number' && Number.isInteger(x));
  return integral(a) && integral(b) && String(a) === String(b);
}

function sortKey(row: Row, tolerant: readonly boolean[]): string {
  return row.map((v, i) => {
    if (v === null) return 'N';
    if (typeof v === 'string') return `s${v}`;
    return `n${tolerant[i] === true ? (v as number).toFixed(4) : String(v)}`;
  }).join('\u0000');
}

function show(row: Row | undefined): string {
  if (row === undefined) return '(none)';
  return `[${row.map((v) => (typeof v === 'string' ? JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…(${v.length})` : v) : String(v))).join(', ')}]`;
}

/** The first difference between the two engines' normalized rows, or null. */
export function difference(q: Query, ai: readonly Row[], lite: readonly Row[]): string | null {
  let a = ai;
  let b = lite;
  if (!q.ordered) {
    const sorted = (rows: readonly Row[]): Row[] => [...rows].sort((x, y) => {
      const kx = sortKey(x, q.tolerant);
      const ky = sortKey(y, q.tolerant);
      return kx < ky ? -1 : kx > ky ? 1 : 0;
    });
    a = sorted(ai);
    b = sorted(lite);
  }
  const width = (rows: readonly Row[]): number => (rows.length > 0 ? rows[0]!.length : q.tolerant.length);
  if (width(a) !== width(b)) return `aistorage returned ${width(a)} columns, SQLite ${width(b)}`;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined || y === undefined || x.some((v, j) => !same(v, y[j], q.tolerant[j] === true))) {
      return `row ${i}${q.ordered ? '' : ' (rows sorted: no ORDER BY)'}: aistorage ${show(x)}, SQLite ${show(y)} `
        + `(aistorage ${a.length} rows, SQLite ${b.length})`;
    }
  }
  return null;
}
