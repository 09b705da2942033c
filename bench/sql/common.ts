/**
 * What the SQL benchmark's children (./child.ts) and its parent (bench/sql.bench.ts) share: the subject ids and
 * labels, the statement texts, the figures a child reports, the rows' values, and the stores' sizing.
 *
 * The table is `t(id BIGINT PRIMARY KEY, grp INT, v VARCHAR)`: id = the standard workload's key (0..N-1, inserted in
 * its random order), grp = id % GROUPS, v = 100 letters cut from the workload's random pool (one string of N × 100
 * letters made before the timing; each row's value is a substring of it, so no phase pays for making values).
 */
import { VALUE_SIZE, type Workload } from '../standard/workload';

export const SUBJECT_IDS = ['aimem', 'aipersist', 'sqlite'] as const;
export type SubjectId = (typeof SUBJECT_IDS)[number];
/** The aistorage subjects, each compared with better-sqlite3. */
export const AISTORAGE_IDS = ['aimem', 'aipersist'] as const;
export type AistorageId = (typeof AISTORAGE_IDS)[number];
export const PEER_ID = 'sqlite' as const;

export const LABELS: Readonly<Record<SubjectId, string>> = {
  aimem: 'aistorage aimem (1 partition)',
  aipersist: 'aistorage aipersist (1 partition, cache-resident)',
  sqlite: 'better-sqlite3 (WAL, synchronous=FULL)',
};

export const GROUPS = 100;
/** Rows of the multi-row INSERT line (table t2): at most this many, so that N = 1M does not double the data. */
export const MULTI_ROWS_MAX = 100_000;
/** Calls of `sql(text)` with a text seen before, and with a fresh text each time. */
export const TEXT_CALLS = 10_000;
/** The GROUP BY runs again until this long has passed (at most GROUP_BY_MAX_REPEATS times). */
export const GROUP_BY_MIN_SECONDS = 0.5;
export const GROUP_BY_MAX_REPEATS = 5;

export const SQL = {
  createTable: (name: string) => `CREATE TABLE ${name} (id BIGINT PRIMARY KEY, grp INT, v VARCHAR)`,
  insert: 'INSERT INTO t VALUES (?, ?, ?)',
  /** The multi-row INSERT of `rows` rows into t2. */
  insertMulti: (rows: number) => `INSERT INTO t2 VALUES ${Array.from({ length: rows }, () => '(?, ?, ?)').join(', ')}`,
  point: 'SELECT * FROM t WHERE id = ?',
  range: 'SELECT * FROM t WHERE id BETWEEN ? AND ? ORDER BY id LIMIT 100',
  groupBy: 'SELECT grp, COUNT(*) AS c, SUM(id) AS s, AVG(id) AS a FROM t GROUP BY grp',
  /** A point select whose key is written into the text: a text not seen before. */
  freshPoint: (key: number) => `SELECT * FROM t WHERE id = ${key}`,
} as const;

/** The phases, in the order they run, with their table headings. Each figure is ops (rows for the writes) per second. */
export const PHASES = [
  ['insert', 'INSERT rows/s (prepared, 1 row a call, 1,000 per tx)'],
  ['pointSelect', 'point SELECT/s'],
  ['rangeSelect', 'range SELECT/s (100 rows)'],
  ['groupBy', 'GROUP BY rows/s'],
  ['sqlSeenText', 'sql(seen text)/s'],
  ['sqlFreshText', 'sql(fresh text)/s'],
  ['insertMulti', 'multi-row INSERT rows/s (1,000 rows a statement)'],
] as const;
export type PhaseKey = (typeof PHASES)[number][0];

export type SqlFigures = Partial<Record<PhaseKey, number>> & {
  /** Parses counted by an SqlEngine over TEXT_CALLS calls of a text it had seen (aistorage; target: 0). */
  parsesSeenText?: number;
  /** ...and over TEXT_CALLS calls of texts it had not seen (each should parse once). */
  parsesFreshText?: number;
  /** Milliseconds of one GROUP BY (the median of its repeats). */
  groupByMs?: number;
  /** Rows of the multi-row INSERT line. */
  multiRows?: number;
};

export interface SqlRunResult {
  readonly id: SubjectId;
  readonly label: string;
  readonly figures: SqlFigures;
  /** Set by the parent. */
  readonly commit?: string;
  readonly run?: number;
}

/** The standard workload plus the rows' values. */
export interface SqlWorkload {
  readonly w: Workload;
  /** N × 100 letters: row `key`'s v is letters[key × 100, key × 100 + 100). */
  readonly letters: string;
  readonly multiRows: number;
}

export function sqlWorkload(w: Workload): SqlWorkload {
  const letters = Buffer.allocUnsafe(w.pool.length);
  for (let i = 0; i < letters.length; i++) letters[i] = 97 + (w.pool[i]! % 26);
  return { w, letters: letters.toString('latin1'), multiRows: Math.min(w.n, MULTI_ROWS_MAX) };
}

export const valueText = (sw: SqlWorkload, key: number): string => sw.letters.substring(key * VALUE_SIZE, key * VALUE_SIZE + VALUE_SIZE);
export const groupOf = (key: number): number => key % GROUPS;

/** One GROUP BY's totals, to check a subject's answer: groups, Σ COUNT(*), Σ SUM(id). */
export interface GroupTotals {
  groups: number;
  count: number;
  sum: number;
}

/** The totals of a GROUP BY's rows `{ c, s, a }` (bigint or number); throws when a group's AVG is not SUM / COUNT. */
export function totalsOf(rows: ReadonlyArray<Readonly<Record<string, unknown>>>): GroupTotals {
  let count = 0;
  let sum = 0;
  for (const r of rows) {
    const c = Number(r.c);
    const s = Number(r.s);
    if (Math.abs(Number(r.a) * c - s) > 1e-6 * Math.max(1, s)) throw new Error(`GROUP BY: AVG ${String(r.a)} is not ${s} / ${c}`);
    count += c;
    sum += s;
  }
  return { groups: rows.length, count, sum };
}

/** What one subject does; every method but open/close is timed by ./phases.ts. */
export interface SqlSubject {
  readonly label: string;
  open(sw: SqlWorkload): Promise<void>;
  /** N rows into t, 1,000 a transaction, one prepared INSERT call a row. */
  insert(sw: SqlWorkload): Promise<void>;
  /** Every key in the read order; the rows found whose v is 100 letters. */
  pointSelect(sw: SqlWorkload): Promise<number>;
  /** The workload's 10,000 range starts; the rows returned. */
  rangeSelect(sw: SqlWorkload): Promise<number>;
  groupBy(): Promise<GroupTotals>;
  /** Runs `text` unprepared, as an application calls `sql(text, params)`: the first row's v, if any. */
  sqlText(text: string, params: readonly unknown[]): Promise<string | undefined>;
  /** sw.multiRows rows into t2, 1,000 rows a statement. */
  insertMulti(sw: SqlWorkload): Promise<void>;
  /** aistorage: parses counted over TEXT_CALLS calls of a seen text, then of fresh texts (untimed). */
  parseCheck?(sw: SqlWorkload): Promise<{ seen: number; fresh: number }>;
  /** Row `key`'s v (a prepared point select), for the checks. */
  lookup(key: number): Promise<string | undefined>;
  close(): Promise<void>;
}

const MiB = 1024 * 1024;
/** A row's raw bytes: id 8 + grp 4 + v 100. */
export const ROW_BYTES = 8 + 4 + VALUE_SIZE;
const roundUpMiB = (bytes: number): number => Math.ceil(bytes / MiB) * MiB;
/** Rows both tables hold at the end. */
const rowsOf = (n: number): number => n + Math.min(n, MULTI_ROWS_MAX);

/** aimem region: 4 × the raw data (as bench/tables sizes its aimem profile), at least 256 MiB. */
export const aimemMaxBytes = (n: number): number => Math.max(256 * MiB, roundUpMiB(4 * ROW_BYTES * rowsOf(n)));
export const AIMEM_INIT_BYTES = 64 * MiB;
/** aipersist cache: ≥ 4 × the raw data, so that every phase is cache-resident. */
export const aipersistCacheBytes = (n: number): number => Math.max(16 * MiB, roundUpMiB(4 * ROW_BYTES * rowsOf(n)));
