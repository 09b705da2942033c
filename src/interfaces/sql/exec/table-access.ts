/**
 * Reading a table as a plan's access path says: key lookups (`get`), index or primary-key range scans (`scan` with
 * bounds), or a full scan; rows become arrays in the order of the node's columns. Filters above the access always
 * re-check the conditions it was chosen for, so when a key or bound value does not fit the column (`id = 1.5` on an
 * INT key: INVALID_ARGUMENT from the table API) the access falls back to a full scan and the answer stays right.
 */
import { InvalidArgumentError } from '../../../domain/shared/errors';
import type { ScanOptions } from '../../api/table-handle';
import type { CompiledExpression } from '../semantics';
import type { TableAccessNode } from '../plan/plan-types';
import type { Runtime } from './exec-state';
import { ArraySource, AsyncSource, type Operator, type Row } from './step';
import { tupleKey } from './value-key';

export function tableAccess(node: TableAccessNode, rt: Runtime, contextRow: Row): Operator {
  if (rt.sync) {
    const rows = rt.state.preloaded.get(node);
    if (rows === undefined) throw new Error(`SQL: table '${node.table}' was not preloaded for a correlated subquery`);
    return new ArraySource(rows);
  }
  return new AsyncSource(() => read(node, rt, contextRow));
}

/** Every row of the table (a correlated subquery's input). */
export async function preload(node: TableAccessNode, rt: Runtime): Promise<Row[]> {
  const out: Row[] = [];
  for await (const r of fullScan(node, rt)) out.push(r);
  return out;
}

function toRow(node: TableAccessNode, o: Record<string, unknown>): Row {
  return node.columns.map((c) => o[c.name] ?? null);
}

async function* fullScan(node: TableAccessNode, rt: Runtime, options?: ScanOptions): AsyncGenerator<Row> {
  const counters = rt.state.counters;
  for await (const row of rt.state.tables.table(node.table).scanValues(options, node.columns.map((c) => c.name))) {
    counters.rowsRead++;
    yield row;
  }
}

async function* read(node: TableAccessNode, rt: Runtime, contextRow: Row): AsyncGenerator<Row> {
  const access = node.access;
  if (access.kind === 'fullScan') {
    yield* fullScan(node, rt);
    return;
  }
  const ev = (es: readonly CompiledExpression[]): unknown[] => es.map((e) => e.evaluate(contextRow, rt.params, rt.outerRows));
  if (access.kind === 'pkLookup') {
    yield* lookups(node, rt, access.keyColumns, access.keys.map(ev));
    return;
  }
  const options: Record<string, unknown> = {};
  if (access.index !== null) options['index'] = access.index;
  for (const bound of ['gt', 'gte', 'lt', 'lte'] as const) {
    const exprs = access.bounds[bound];
    if (exprs === undefined) continue;
    const values = ev(exprs);
    if (values.includes(null)) return; // a comparison with NULL holds for no row
    options[bound] = values;
  }
  yield* withFallback(node, rt, fullScan(node, rt, options as ScanOptions));
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
    yield* fullScan(node, rt);
    return;
  }
  yield* rows;
}

/** The rows of `scan`; a full scan instead when its bounds do not fit the index's columns (before any row). */
async function* withFallback(node: TableAccessNode, rt: Runtime, scan: AsyncGenerator<Row>): AsyncGenerator<Row> {
  let first: IteratorResult<Row>;
  try {
    first = await scan.next();
  } catch (e) {
    if (!(e instanceof InvalidArgumentError)) throw e;
    yield* fullScan(node, rt);
    return;
  }
  if (first.done === true) return;
  yield first.value;
  yield* scan;
}
