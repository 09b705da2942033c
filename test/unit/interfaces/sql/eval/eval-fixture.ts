/**
 * Shared fixture of the expression compiler tests: expressions parsed from `SELECT <expr>`, a hand-made Scope with a
 * column of every type, one row of values for it, and a CompileContext whose subqueries are given by the test.
 */
import type { Expression, SelectExpression, SelectQuery } from '../../../../../src/interfaces/sql/ast';
import { expressionCompiler } from '../../../../../src/interfaces/sql/eval/compile';
import { parseStatement } from '../../../../../src/interfaces/sql/parse';
import type { CompileContext, CompiledExpression, Params, Scope, ValueType } from '../../../../../src/interfaces/sql/semantics';

export function expr(text: string): Expression {
  const statement = parseStatement(`SELECT ${text}`);
  if (statement.kind !== 'select') throw new Error('not a SELECT');
  return (statement.items[0] as SelectExpression).expr;
}

export const SCOPE: Scope = {
  columns: [
    { table: 't', name: 'i', type: 'INT' },
    { table: 't', name: 'big', type: 'BIGINT' },
    { table: 't', name: 'd', type: 'DECIMAL', precision: 10, scale: 2 },
    { table: 't', name: 'f', type: 'DOUBLE' },
    { table: 't', name: 's', type: 'VARCHAR', length: 20 },
    { table: 't', name: 'n', type: 'INT' },
    { table: 't', name: 'flag', type: 'BOOLEAN' },
    { table: 't', name: 'day', type: 'DATE' },
    { table: 't', name: 'ts', type: 'TIMESTAMP' },
    { table: 't', name: 'u', type: 'UUID' },
    { table: 't', name: 'bin', type: 'VARBINARY' },
    { table: 't', name: 'r', type: 'REAL' },
    { table: 't', name: 'tiny', type: 'TINYINT' },
    { table: 't', name: 'tm', type: 'TIME' },
    { table: 't', name: 'nd', type: 'DECIMAL', precision: 10, scale: 2 },
    { table: 't', name: 'ns', type: 'VARCHAR' },
  ],
};

export const ROW: readonly unknown[] = [
  7, 9007199254740993n, '12.50', 2.5, 'Hello', null, true, '2026-01-02', '2026-01-02T03:04:05.5',
  '123e4567-e89b-12d3-a456-426614174000', new Uint8Array([1, 2]), Math.fround(0.1), 100, '03:04:05', null, null,
];

/** 2026-01-02T03:04:05.678Z */
export const NOW_MILLIS = Date.UTC(2026, 0, 2, 3, 4, 5, 678);

export interface SubqueryStub {
  readonly type: ValueType;
  readonly values: readonly unknown[];
}

export function context(sub: SubqueryStub = { type: 'INT', values: [] }): CompileContext {
  return {
    statementTimeMillis: NOW_MILLIS,
    scalarSubquery: () => ({ type: sub.type, evaluate: () => sub.values[0] ?? null }),
    subqueryRows: () => ({ type: sub.type, rows: () => sub.values }),
  };
}

export const NO_PARAMS: Params = { positional: [], named: {} };

export function compile(text: string, scope: Scope = SCOPE, ctx: CompileContext = context()): CompiledExpression {
  return expressionCompiler.compile(expr(text), scope, ctx);
}

/** The value of `text` against ROW (or `row`), with positional parameters `positional`. */
export function ev(text: string, positional: readonly unknown[] = [], row: readonly unknown[] = ROW): unknown {
  return compile(text).evaluate(row, { positional, named: {} });
}

/** The type of `text` compiled against SCOPE. */
export function typeOf(text: string): ValueType {
  return compile(text).type;
}

/** The error thrown by compiling or evaluating `text`. */
export function failure(text: string, positional: readonly unknown[] = []): Error & { code?: string } {
  try {
    ev(text, positional);
  } catch (e) {
    return e as Error & { code?: string };
  }
  throw new Error(`expected ${text} to fail`);
}

export function selectOf(text: string): SelectQuery {
  const statement = parseStatement(text);
  if (statement.kind !== 'select') throw new Error('not a SELECT');
  return statement;
}
