/**
 * Reading a table as a plan's access path says: key lookups (`get`), index or primary-key range scans (`scan` with
 * bounds), or a full scan; rows become arrays in the order of the node's columns. Filters above the access always
 * re-check the conditions it was chosen for, so when a key or bound value does not fit the column (`id = 1.5` on an
 * INT key: INVALID_ARGUMENT from the table API) the access falls back to a full scan and the answer stays right.
 */
import { InvalidArgumentError } from '../../../domain/shared/errors';
import type { ScanSteps } from '../../api/table-handle';
import { SCAN_DONE } from '../../../application/tables/table-scan';
import type { CompiledExpression } from '../semantics';
import type { AccessPath, TableAccessNode } from '../plan/plan-types';
import type { Runtime } from './exec-state';
import { ArraySource, AsyncSource, DONE, drain, iterate, type Operator, type Row, type Step } from './step';
import { tupleKey } from './value-key';
import { isColumnUsed } from '../eval/resolve';

export function tableAccess(node: TableAccessNode, rt: Runtime, contextRow: Row): Operator {
  if (rt.sync) {
    const rows = rt.state.preloaded.get(node);
    if (rows === undefined) throw new Error(`SQL: table '${node.table}' was not preloaded for a correlated subquery`);
    return new ArraySource(rows);
  }
  if (node.access.kind === 'pkLookup') return new AsyncSource(() => read(node, rt, contextRow));
  return new ScanSource(node, rt, contextRow);
}

/** Every row of the table (a correlated subquery's input). */
export function preload(node: TableAccessNode, rt: Runtime): Promise<Row[]> {
  return drain(new ScanSource(node, rt, []));
}

/** The node's column names, one array per node (the table handle keeps its column positions per array). */
const NAMES = new WeakMap<TableAccessNode, readonly string[]>();

function namesOf(node: TableAccessNode): readonly string[] {
  let names = NAMES.get(node);
  if (names === undefined) NAMES.set(node, (names = node.columns.map((c) => c.name)));
  return names;
}

/**
 * A full or index range scan as an operator that steps the table's scan cursor: synchronous per row, a promise only
 * when a row waits for a commit's outcome. Opens at the first step: evaluates the bounds (a NULL bound: no rows), and
 * when a bound does not fit its column (INVALID_ARGUMENT) scans the whole table instead.
 */
class ScanSource implements Operator {
  #cursor: ScanSteps | null = null;
  #done = false;

  constructor(private readonly node: TableAccessNode, private readonly rt: Runtime, private readonly contextRow: Row) {}

  step(): Step {
    if (this.#done) return DONE;
    const cursor = (this.#cursor ??= this.#open());
    if (cursor === null) return this.#end();
    const r = cursor.step();
    if (r === SCAN_DONE) return this.#end();
    if (r instanceof Promise) return r;
    this.rt.state.counters.rowsRead++;
    return r;
  }

  close(): void {
    this.#done = true;
    this.#cursor?.close();
    this.#cursor = null;
  }

  #end(): typeof DONE {
    this.close();
    return DONE;
  }

  #open(): ScanSteps | null {
    const { node, rt } = this;
    const table = rt.state.tables.table(node.table);
    const names = namesOf(node);
    const access = node.access;
    if (access.kind !== 'indexScan') return table.scanSteps('storage', names, node.columns.map(isColumnUsed));
    const options = scanOptions(access, (e) => e.evaluate(this.contextRow, rt.params, rt.outerRows));
    if (options === null) return null;
    try {
      return table.scanSteps(options, names);
    } catch (e) {
      if (!(e instanceof InvalidArgumentError)) throw e;
      // A bound that does not fit its column: the whole index in the same order (the filter above applies the conditions).
      return table.scanSteps(scanOrder(access), names);
    }
  }
}

type IndexScan = Extract<AccessPath, { kind: 'indexScan' }>;

/** The scan options of an index scan without its bounds: the index (none: the primary key) and the direction. */
function scanOrder(access: IndexScan): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  if (access.index !== null) options['index'] = access.index;
  if (access.reverse === true) options['reverse'] = true;
  return options;
}

export const BOUNDS = ['gt', 'gte', 'lt', 'lte'] as const;

/** The table scan options of an index scan, its bounds' values given by `evaluate`; null when one is NULL (no row holds). */
export function scanOptions(access: IndexScan, evaluate: (e: CompiledExpression) => unknown): Record<string, unknown> | null {
  const options = scanOrder(access);
  for (const bound of BOUNDS) {
    const exprs = access.bounds[bound];
    if (exprs === undefined) continue;
    const values = exprs.map(evaluate);
    if (values.includes(null)) return null; // a comparison with NULL holds for no row
    options[bound] = values;
  }
  return options;
}

function toRow(node: TableAccessNode, o: Record<string, unknown>): Row {
  return node.columns.map((c) => o[c.name] ?? null);
}

/** Key lookups (`get`), or a full scan when a key does not fit its columns. */
async function* read(node: TableAccessNode, rt: Runtime, contextRow: Row): AsyncGenerator<Row> {
  const access = node.access;
  if (access.kind !== 'pkLookup') throw new Error('SQL: read() is for primary-key lookups');
  const ev = (es: readonly CompiledExpression[]): unknown[] => es.map((e) => e.evaluate(contextRow, rt.params, rt.outerRows));
  yield* lookups(node, rt, access.keyColumns, access.keys.map(ev));
}

async function* lookups(node: TableAccessNode, rt: Runtime, keyColumns: readonly string[], keys: unknown[][]): AsyncGenerator<Row> {
  const table = rt.state.tables.table(node.table);
  const seen = new Set<string>();
  const rows: Row[] = [];
  try {
    for (const key of keys) {
      if (key.includes(null)) continue;
      const id = tupleKey(key);
      if (seen.has(id)) continue;
      seen.add(id);
      const o = await table.get(Object.fromEntries(keyColumns.map((c, i) => [c, key[i]])));
      if (o === null) continue;
      rt.state.counters.rowsRead++;
      rows.push(toRow(node, o));
    }
  } catch (e) {
    if (!(e instanceof InvalidArgumentError)) throw e;
    yield* iterate(new ScanSource({ ...node, access: { kind: 'fullScan' } }, rt, []));
    return;
  }
  yield* rows;
}
