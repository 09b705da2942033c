/**
 * The fast path of the commonest prepared query, `SELECT … FROM t WHERE pk = ?` outside a transaction: a plan of
 * projections, filters, trims and limits over one primary-key lookup of one key, no subqueries. It reads the latest
 * committed row synchronously (a single-row read at "now" needs no transaction: the table level's plain get), and
 * evaluates the operators above it on that one row — no operator tree, no async steps. Anything else (or a read that
 * must wait for a commit outcome) returns null and takes the general path.
 */
import type { Params } from '../semantics';
import type { PlanNode, QueryPlan, TableAccessNode } from '../plan/plan-types';
import type { SqlHost } from '../sql-host';
import { SCAN_DONE } from '../../../application/tables/table-scan';
import { InvalidArgumentError } from '../../../domain/shared/errors';
import { BOUNDS, scanOptions } from './table-access';

interface Shape {
  /** The operators from the root down to the access (identity projections left out). */
  readonly chain: readonly PlanNode[];
  /** `chain` for integer key values or bounds: the filter on the access checks only its residual (FilterNode). */
  readonly exactChain: readonly PlanNode[];
  readonly access: TableAccessNode;
  readonly names: string[];
}

/** The plan's path from the root to its table access, when it has the fast path's shape. */
function chainOf(plan: QueryPlan): Shape | null {
  if (plan.subqueries.length > 0) return null;
  const chain: PlanNode[] = [];
  let node: PlanNode = plan.root;
  for (;;) {
    if (node.kind === 'tableAccess') break;
    if (node.kind !== 'project' && node.kind !== 'filter' && node.kind !== 'trim' && node.kind !== 'limit') return null;
    if (node.kind !== 'project' || node.identity !== true) chain.push(node);
    node = node.input;
  }
  const access = node;
  if (access.access.kind === 'fullScan' || (access.access.kind === 'pkLookup' && access.access.keys.length !== 1)) return null;
  const exactChain = chain.slice();
  const bottom = exactChain.at(-1);
  if (bottom?.kind === 'filter' && bottom.input === access && bottom.residual !== undefined) {
    if (bottom.residual === null) exactChain.pop();
    else exactChain[exactChain.length - 1] = { ...bottom, predicate: bottom.residual };
  }
  return { chain, exactChain, access, names: access.columns.map((c) => c.name) };
}

/** Whether every value is an integer (a bigint or a safe integer number): a lookup or scan of them is exact. */
function allIntegers(values: readonly unknown[]): boolean {
  for (const v of values) if (typeof v !== 'bigint' && !Number.isSafeInteger(v)) return false;
  return true;
}

const shapes = new WeakMap<QueryPlan, Shape | null>();

/** The query's rows, or null when the fast path does not apply (then nothing was read). */
export function pointQuery(host: SqlHost, plan: QueryPlan, params: Params, counters: { rowsRead: number }): (readonly unknown[])[] | null {
  let shape = shapes.get(plan);
  if (shape === undefined) shapes.set(plan, (shape = chainOf(plan)));
  if (shape === null) return null;
  const { access, names } = shape;
  if (access.access.kind === 'indexScan') return rangeQuery(host, shape, params, counters);
  if (access.access.kind !== 'pkLookup') return null;
  const key = access.access.keys[0]!.map((e) => e.evaluate([], params, []));
  if (key.includes(null)) return [];
  const chain = allIntegers(key) ? shape.exactChain : shape.chain;
  let found: ReturnType<SqlHost['latestRow']>;
  try {
    found = host.latestRow(access.table, access.access.keyColumns, key, names);
  } catch (e) {
    if (e instanceof InvalidArgumentError) return null; // a key that does not fit its column: the general path scans
    throw e;
  }
  if (found instanceof Promise) return null;
  if (found !== null) counters.rowsRead++;
  let rows: (readonly unknown[])[] = found === null ? [] : [found];
  for (let i = chain.length - 1; i >= 0 && rows.length > 0; i--) rows = applyNode(chain[i]!, rows, params);
  return rows;
}

/**
 * A range query (an index or primary-key scan between bounds under projections, filters and a limit): the rows are
 * pulled synchronously from the table's scan cursor and put through the operators one at a time, stopping at the
 * limit. A row that must wait for a commit's outcome, or a bound that does not fit its column, hands the whole query
 * back to the general path (null; the scan is closed and nothing was returned).
 */
function rangeQuery(host: SqlHost, shape: Shape, params: Params, counters: { rowsRead: number }): (readonly unknown[])[] | null {
  const { access, names } = shape;
  if (access.access.kind !== 'indexScan') return null;
  const options = scanOptions(access.access, (e) => e.evaluate([], params, []));
  if (options === null) return [];
  const exact = BOUNDS.every((b) => options[b] === undefined || allIntegers(options[b] as unknown[]));
  const chain = exact ? shape.exactChain : shape.chain;
  let cursor: ReturnType<SqlHost['scanNow']>;
  try {
    cursor = host.scanNow(access.table, options, names);
  } catch {
    return null; // e.g. a bound that does not fit the column: the general path falls back to a full scan
  }
  const limits = limitsOf(chain, params);
  const top = limits[0] ?? null;
  const out: (readonly unknown[])[] = [];
  try {
    for (;;) {
      const r = cursor.step();
      if (r instanceof Promise) return null;
      if (r === SCAN_DONE) return out;
      counters.rowsRead++;
      const passed = through(chain, r, params, limits);
      if (passed === STOP) return out;
      if (passed === null) continue;
      out.push(passed);
      if (top !== null && top.seen >= top.end) return out; // the top LIMIT is full: no need to read one more row
    }
  } finally {
    cursor.close();
  }
}

const STOP: unique symbol = Symbol('stop');

/** Per node of the chain: for a LIMIT, its offset, its end (offset + limit) and the rows it has seen; else null. */
type Limits = ({ offset: number; end: number; seen: number } | null)[];

function limitsOf(chain: readonly PlanNode[], params: Params): Limits {
  return chain.map((node) => {
    if (node.kind !== 'limit') return null;
    const offset = node.offset === undefined ? 0 : Number(node.offset.evaluate([], params, []));
    const limit = node.limit === undefined ? Infinity : Number(node.limit.evaluate([], params, []));
    return { offset, end: offset + limit, seen: 0 };
  });
}

/** One row through the operators, bottom up: the row out of the top, null when one drops it, STOP past a limit. */
function through(chain: readonly PlanNode[], row: readonly unknown[], params: Params, limits: Limits): readonly unknown[] | null | typeof STOP {
  let r = row;
  for (let i = chain.length - 1; i >= 0; i--) {
    const node = chain[i]!;
    switch (node.kind) {
      case 'filter':
        if (node.predicate.evaluate(r, params, []) !== true) return null;
        break;
      case 'project': r = node.exprs.map((e) => e.evaluate(r, params, [])); break;
      case 'trim': r = r.slice(0, node.width); break;
      case 'limit': {
        const l = limits[i]!;
        const seen = l.seen++;
        if (seen >= l.end) return STOP;
        if (seen < l.offset) return null;
        break;
      }
      default: break;
    }
  }
  return r;
}

function applyNode(node: PlanNode, rows: (readonly unknown[])[], params: Params): (readonly unknown[])[] {
  switch (node.kind) {
    case 'filter': return rows.filter((r) => node.predicate.evaluate(r, params, []) === true);
    case 'project': return rows.map((r) => node.exprs.map((e) => e.evaluate(r, params, [])));
    case 'trim': return rows.map((r) => r.slice(0, node.width));
    case 'limit': {
      const offset = node.offset === undefined ? 0 : Number(node.offset.evaluate([], params, []));
      const limit = node.limit === undefined ? Infinity : Number(node.limit.evaluate([], params, []));
      return rows.slice(offset, offset + limit);
    }
    default: return rows;
  }
}
