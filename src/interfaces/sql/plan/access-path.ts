/**
 * How to read one table for the conditions that apply to it alone (and, for the inner side of a join, the left row's
 * values): a primary-key lookup when every key column is given (`=` or one `IN` list), else a range scan of the sorted
 * index (primary key or an available secondary one) whose leading columns the conditions bound best, else a full
 * scan. A scan in an index's order also serves an ORDER BY on its leading columns. The conditions stay in a filter
 * above the access: the access only narrows what is read.
 */
import type { IndexInfo, TableInfo } from '../../api/node-tables';
import type { Expression } from '../ast';
import type { CompiledExpression, Scope, ValueType } from '../semantics';
import type { AccessPath, RangeBounds } from './plan-types';
import type { PlanContext } from './plan-context';
import { exprText } from './expr-text';
import { resolveColumn } from './names';

type Op = '=' | '<' | '<=' | '>' | '>=' | 'in';
interface ColumnCondition {
  readonly op: Op; readonly values: readonly CompiledExpression[]; readonly text: string;
  /** The WHERE conjunct it came from, and how many conditions it must give to be implied whole (a BETWEEN: two). */
  readonly source: Expression;
  readonly parts: number;
}

/** An ORDER BY wanted of the table's rows: its columns by declared name. */
export interface WantedOrder { readonly columns: readonly { name: string; desc: boolean; nullsFirst: boolean }[] }

export interface ChosenAccess {
  readonly access: AccessPath; readonly label: string; readonly ordered: boolean;
  /**
   * Conjuncts the access implies exactly when its key values or bounds are integers: conditions on integer primary-key
   * columns (never null) whose every part became a key value or a bound.
   */
  readonly covered: ReadonlySet<Expression>;
}

const FLIP: Readonly<Record<string, Op>> = { '=': '=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };
const INTEGERS = new Set<ValueType>(['TINYINT', 'SMALLINT', 'INT', 'BIGINT']);
const MAX_KEYS = 1000;

export function chooseAccess(
  table: TableInfo, indexes: readonly IndexInfo[], scope: Scope, conds: readonly Expression[], context: Scope, ctx: PlanContext,
  order?: WantedOrder,
): ChosenAccess {
  const byColumn = conditions(scope, conds, context, ctx);
  const lookup = pkLookup(table, byColumn);
  if (lookup !== null) return { ...lookup, ordered: false, covered: coveredBy(lookup.used, byColumn, table) };
  const candidates: Candidate[] = [{ index: null, type: 'SORTED', columns: table.primaryKey.map((name) => ({ name, order: 'ASC' })) }];
  for (const i of indexes) if (i.available && nameEq(i.table, table.name)) candidates.push({ index: i.name, type: i.type, columns: i.columns });
  let best: { c: Candidate; score: number; bounds: RangeBounds; texts: string[]; used: ColumnCondition[] } | null = null;
  for (const c of candidates) {
    const r = rangeOf(c, byColumn, table);
    if (r !== null && (best === null || r.score > best.score)) best = { c, ...r };
  }
  if (best !== null) {
    const direction = order === undefined ? null : servedBy(best.c, order, table);
    const covered = best.c.index === null ? coveredBy(best.used, byColumn, table) : NONE;
    return { ...indexScan(table, best.c, best.bounds, best.texts, direction), ordered: direction !== null, covered };
  }
  if (order !== undefined) {
    for (const c of candidates) {
      const direction = servedBy(c, order, table);
      if (direction !== null) return { ...indexScan(table, c, {}, [], direction), ordered: true, covered: NONE };
    }
  }
  return { access: { kind: 'fullScan' }, label: `FullScan(${table.name})`, ordered: false, covered: NONE };
}

const NONE: ReadonlySet<Expression> = new Set();

/** The conjuncts whose every condition is in `used` and bounds an integer primary-key column (see ChosenAccess). */
function coveredBy(used: readonly ColumnCondition[], by: Map<string, ColumnCondition[]>, table: TableInfo): ReadonlySet<Expression> {
  const usedSet = new Set(used);
  const all = [...by.entries()].flatMap(([column, conds]) => conds.map((c) => ({ column, c })));
  const covered = new Set<Expression>();
  for (const { c } of all) {
    const parts = all.filter((x) => x.c.source === c.source);
    // Every condition of the conjunct must exist (`id BETWEEN 1 AND c1` gives only the lower one) and be used.
    const exact = parts.length === c.parts && parts.every(({ column, c: part }) => usedSet.has(part) && table.primaryKey.includes(column)
      && INTEGERS.has(table.columns.find((d) => d.name === column)?.type as ValueType));
    if (exact) covered.add(c.source);
  }
  return covered;
}

interface Candidate {
  readonly index: string | null;
  readonly type: 'SORTED' | 'HASH';
  readonly columns: readonly { readonly name: string; readonly order?: 'ASC' | 'DESC' }[];
}

function nameEq(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** The scan of candidate `c` between `bounds`, backwards for an ORDER BY it serves read from its end. */
function indexScan(
  table: TableInfo, c: Candidate, bounds: RangeBounds, texts: readonly string[], direction: 'forward' | 'backward' | null,
): { access: AccessPath; label: string } {
  const reverse = direction === 'backward';
  const all = reverse ? [...texts, 'reverse'] : texts;
  const label = `IndexRangeScan(${table.name}.${c.index ?? 'PK'}${all.map((t) => `, ${t}`).join('')})`;
  return { access: { kind: 'indexScan', index: c.index, bounds, ...(reverse ? { reverse } : {}) }, label };
}

/** Conditions by the declared name of the column they bound. */
function conditions(scope: Scope, conds: readonly Expression[], context: Scope, ctx: PlanContext): Map<string, ColumnCondition[]> {
  const out = new Map<string, ColumnCondition[]>();
  const add = (col: Expression, op: Op, values: readonly Expression[], source: Expression, parts = 1): void => {
    if (col.kind !== 'column') return;
    const i = resolveColumn(scope, col);
    if (i < 0) return;
    const column = scope.columns[i]!;
    const compiled: CompiledExpression[] = [];
    for (const v of values) {
      const c = tryCompile(v, context, ctx);
      if (c === null || !fits(column.type, column.scale, c)) return;
      compiled.push(c);
    }
    const text = op === 'in' ? `${column.name} IN (${values.map(exprText).join(', ')})` : `${column.name} ${op} ${exprText(values[0]!)}`;
    const list = out.get(column.name) ?? [];
    list.push({ op, values: compiled, text, source, parts });
    out.set(column.name, list);
  };
  for (const e of conds) {
    if (e.kind === 'binary' && e.op in FLIP) {
      add(e.left, e.op as Op, [e.right], e);
      add(e.right, FLIP[e.op]!, [e.left], e);
    } else if (e.kind === 'between' && !e.negated) {
      add(e.operand, '>=', [e.low], e, 2);
      add(e.operand, '<=', [e.high], e, 2);
    } else if (e.kind === 'in' && !e.negated) {
      add(e.operand, 'in', e.list, e);
    }
  }
  return out;
}

function tryCompile(e: Expression, scope: Scope, ctx: PlanContext): CompiledExpression | null {
  try {
    return ctx.compile(e, scope);
  } catch {
    return null;
  }
}

/** Whether values of the expression's type give exact bounds on the column (the table API converts them). */
function fits(column: ValueType, scale: number | undefined, e: CompiledExpression): boolean {
  if (e.type === 'NULL') return true;
  if (INTEGERS.has(column)) return INTEGERS.has(e.type);
  if (column === 'DECIMAL') return INTEGERS.has(e.type) || (e.type === 'DECIMAL' && (e.scale ?? 0) <= (scale ?? 0));
  if (column === 'DOUBLE') return e.type === 'DOUBLE' || e.type === 'INT' || e.type === 'SMALLINT' || e.type === 'TINYINT';
  return column === e.type;
}

function pkLookup(table: TableInfo, by: Map<string, ColumnCondition[]>): { access: AccessPath; label: string; used: ColumnCondition[] } | null {
  const perColumn: ColumnCondition[] = [];
  let lists = 0;
  for (const name of table.primaryKey) {
    const conds = by.get(name) ?? [];
    const eq = conds.find((c) => c.op === '=') ?? conds.find((c) => c.op === 'in');
    if (eq === undefined) return null;
    if (eq.op === 'in') lists++;
    perColumn.push(eq);
  }
  if (lists > 1) return null;
  let keys: CompiledExpression[][] = [[]];
  for (const c of perColumn) keys = keys.flatMap((k) => c.values.map((v) => [...k, v]));
  if (keys.length > MAX_KEYS) return null;
  return {
    access: { kind: 'pkLookup', keyColumns: table.primaryKey, keys },
    label: `PrimaryKeyLookup(${table.name}, key=${perColumn.map((c) => c.text).join(' AND ')})`,
    used: perColumn,
  };
}

/** The bounds a candidate index gets: its equality prefix, then a range on the next column (sorted indexes). */
function rangeOf(
  c: Candidate, by: Map<string, ColumnCondition[]>, table: TableInfo,
): { score: number; bounds: RangeBounds; texts: string[]; used: ColumnCondition[] } | null {
  const eqs: CompiledExpression[] = [];
  const used: ColumnCondition[] = [];
  const texts: string[] = [];
  let k = 0;
  for (; k < c.columns.length; k++) {
    const eq = (by.get(declared(table, c.columns[k]!.name)) ?? []).find((x) => x.op === '=');
    if (eq === undefined) break;
    used.push(eq);
    eqs.push(eq.values[0]!);
    texts.push(eq.text);
  }
  if (c.type === 'HASH') {
    return k === c.columns.length && k > 0 ? { score: 2 * k, bounds: { gte: eqs, lte: eqs }, texts: [`key=${texts.join(' AND ')}`], used } : null;
  }
  const next = c.columns[k];
  const conds = next === undefined ? [] : by.get(declared(table, next.name)) ?? [];
  let low = conds.find((x) => x.op === '>' || x.op === '>=');
  let high = conds.find((x) => x.op === '<' || x.op === '<=');
  if (next?.order === 'DESC') [low, high] = [high, low]; // bounds are in the index's order
  if (k === 0 && low === undefined && high === undefined) return null;
  const bounds: { -readonly [K in keyof RangeBounds]: RangeBounds[K] } = {};
  const eqText = texts.length === 0 ? [] : [`eq=[${texts.join(', ')}]`];
  const rangeTexts: string[] = [];
  if (low !== undefined) {
    const strict = next?.order === 'DESC' ? low.op === '<' : low.op === '>';
    bounds[strict ? 'gt' : 'gte'] = [...eqs, low.values[0]!];
    rangeTexts.push(`${strict ? 'gt' : 'gte'}=${low.text.split(' ').slice(2).join(' ')}`);
  } else if (k > 0) bounds.gte = eqs;
  if (high !== undefined) {
    const strict = next?.order === 'DESC' ? high.op === '>' : high.op === '<';
    bounds[strict ? 'lt' : 'lte'] = [...eqs, high.values[0]!];
    rangeTexts.push(`${strict ? 'lt' : 'lte'}=${high.text.split(' ').slice(2).join(' ')}`);
  } else if (k > 0) bounds.lte = eqs;
  const score = 2 * k + (low === undefined ? 0 : 1) + (high === undefined ? 0 : 1);
  if (low !== undefined) used.push(low);
  if (high !== undefined) used.push(high);
  return { score, bounds, texts: [...eqText, ...rangeTexts], used };
}

function declared(table: TableInfo, name: string): string {
  return table.columns.find((c) => nameEq(c.name, name))?.name ?? name;
}

/**
 * Whether reading the index gives the wanted order: 'forward' in the index's order, 'backward' from its end (every
 * column the other way round), else null. NULLs sort last ascending, first descending, in every index — so read
 * backwards too they come where the wanted order's default puts them.
 */
function servedBy(c: Candidate, order: WantedOrder, table: TableInfo): 'forward' | 'backward' | null {
  if (serves(c, order, table, false)) return 'forward';
  return serves(c, order, table, true) ? 'backward' : null;
}

function serves(c: Candidate, order: WantedOrder, table: TableInfo, backward: boolean): boolean {
  if (c.type !== 'SORTED' || order.columns.length > c.columns.length) return false;
  return order.columns.every((w, i) => {
    const col = c.columns[i]!;
    if (!nameEq(col.name, w.name) || w.desc !== ((col.order === 'DESC') !== backward)) return false;
    const def = table.columns.find((x) => nameEq(x.name, w.name));
    const nullable = def?.nullable !== false && !table.primaryKey.includes(def?.name ?? '');
    return !nullable || w.nullsFirst === w.desc;
  });
}
