/**
 * INSERT, UPDATE and DELETE against the statement's transaction. Values are converted to the column types with the
 * compiler's `coerce` (typed errors naming table and column); the table API refuses NULL in NOT NULL columns and
 * existing keys. UPDATE and DELETE read the rows they change first (so a changed key is never met twice); an UPDATE
 * that changes the primary key deletes the old row and inserts the new one.
 */
import { randomUUID } from 'node:crypto';
import type { ExpressionCompiler, ScopeColumn, ValueType } from '../semantics';
import type { ChangePlan, InsertPlan } from '../plan/dml-planner';
import { HIDDEN_KEY_COLUMN } from '../plan/names';
import type { Runtime } from './exec-state';
import { instantiate, prepareSubqueries } from './run-plan';
import { drain, type Row } from './step';
import { tupleKey } from './value-key';

/** `to` may carry `nullable: false` (the compiler then refuses null naming the column). */
function coerce(compiler: ExpressionCompiler, value: unknown, from: ValueType, to: ScopeColumn): unknown {
  return compiler.coerce(value ?? null, from, to);
}

/** Each target column with its table, as `coerce` names them in errors (made once per plan). */
const TARGETS = new WeakMap<InsertPlan, readonly ScopeColumn[]>();

function targetsOf(p: InsertPlan): readonly ScopeColumn[] {
  let targets = TARGETS.get(p);
  if (targets === undefined) TARGETS.set(p, (targets = p.targets.map((t) => ({ ...t, table: p.table.name }))));
  return targets;
}

export async function executeInsert(p: InsertPlan, rt: Runtime, compiler: ExpressionCompiler): Promise<number> {
  const compare = compiler.compareValues.bind(compiler);
  if (p.subqueries.length > 0) {
    await prepareSubqueries({ root: { kind: 'rows', columns: [], label: '', rows: () => [] }, columns: [], subqueries: p.subqueries }, rt, compare);
  }
  let rows: Row[];
  let typeOf: (row: number, i: number) => ValueType;
  if (p.source.kind === 'values') {
    const exprs = p.source.rows;
    rows = exprs.map((r) => r.map((e) => e.evaluate([], rt.params, rt.outerRows)));
    typeOf = (row, i) => exprs[row]![i]!.type;
  } else {
    rows = await drain(instantiate(p.source.query.root, rt, compare));
    const columns = p.source.query.columns;
    typeOf = (_row, i) => columns[i]!.type;
  }
  const table = rt.state.tables.table(p.table.name);
  const targets = targetsOf(p);
  for (let n = 0; n < rows.length; n++) {
    const r = rows[n]!;
    const row: Record<string, unknown> = {};
    for (let i = 0; i < targets.length; i++) row[targets[i]!.name] = coerce(compiler, r[i], typeOf(n, i), targets[i]!);
    if (p.generatedKey) row[HIDDEN_KEY_COLUMN] = randomUUID();
    await table.insert(row);
  }
  return rows.length;
}

export async function executeChange(p: ChangePlan, rt: Runtime, compiler: ExpressionCompiler): Promise<number> {
  const compare = compiler.compareValues.bind(compiler);
  await prepareSubqueries({ root: p.scan, columns: p.columns, subqueries: p.subqueries }, rt, compare);
  const rows = await drain(instantiate(p.scan, rt, compare));
  const table = rt.state.tables.table(p.table.name);
  const keyIndexes = p.table.primaryKey.map((k) => p.columns.findIndex((c) => c.name === k));
  const keyOf = (r: Row): Record<string, unknown> => Object.fromEntries(keyIndexes.map((i) => [p.columns[i]!.name, r[i]]));
  for (const r of rows) {
    if (p.kind === 'delete') {
      await table.delete(keyOf(r));
      continue;
    }
    const next = [...r];
    for (const a of p.assignments) next[a.index] = coerce(compiler, a.value.evaluate(r, rt.params, rt.outerRows), a.value.type, a.column);
    const object = Object.fromEntries(p.columns.map((c, i) => [c.name, next[i]]));
    if (tupleKey(keyIndexes.map((i) => r[i])) === tupleKey(keyIndexes.map((i) => next[i]))) {
      await table.replace(object);
    } else {
      await table.delete(keyOf(r));
      await table.insert(object);
    }
  }
  return rows.length;
}
