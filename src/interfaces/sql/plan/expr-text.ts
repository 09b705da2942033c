/**
 * Expressions back to SQL-like text, for EXPLAIN lines and for the structural comparison of GROUP BY keys with the
 * select list (`exprKey`). Positions are left out, so two spellings of one expression give one text.
 */
import type { Expression, Identifier } from '../ast';

function id(i: Identifier): string {
  return i.quoted ? `"${i.name}"` : i.name;
}

function list(es: readonly Expression[]): string {
  return es.map(exprText).join(', ');
}

export function exprText(e: Expression): string {
  switch (e.kind) {
    case 'integer': return e.value.toString();
    case 'decimal': return e.text;
    case 'float': return String(e.value);
    case 'string': return `'${e.value.replaceAll("'", "''")}'`;
    case 'boolean': return e.value ? 'TRUE' : 'FALSE';
    case 'null': return 'NULL';
    case 'temporal': return `${e.type} '${e.value}'`;
    case 'bytes': return `x'${Buffer.from(e.value).toString('hex')}'`;
    case 'column': return e.table === undefined ? id(e.column) : `${id(e.table)}.${id(e.column)}`;
    case 'parameter': return `?${e.index}`;
    case 'namedParameter': return `:${e.name}`;
    case 'unary': return e.op === 'NOT' ? `NOT ${exprText(e.operand)}` : `-${exprText(e.operand)}`;
    case 'binary': return `(${exprText(e.left)} ${e.op} ${exprText(e.right)})`;
    case 'in': return `${exprText(e.operand)} ${e.negated ? 'NOT IN' : 'IN'} (${list(e.list)})`;
    case 'inSubquery': return `${exprText(e.operand)} ${e.negated ? 'NOT IN' : 'IN'} (subquery)`;
    case 'between':
      return `${exprText(e.operand)} ${e.negated ? 'NOT BETWEEN' : 'BETWEEN'} ${exprText(e.low)} AND ${exprText(e.high)}`;
    case 'like': return `${exprText(e.operand)} ${e.negated ? 'NOT LIKE' : 'LIKE'} ${exprText(e.pattern)}`;
    case 'isNull': return `${exprText(e.operand)} IS ${e.negated ? 'NOT NULL' : 'NULL'}`;
    case 'case': {
      const whens = e.whens.map((w) => ` WHEN ${exprText(w.when)} THEN ${exprText(w.then)}`).join('');
      const operand = e.operand === undefined ? '' : ` ${exprText(e.operand)}`;
      return `CASE${operand}${whens}${e.else === undefined ? '' : ` ELSE ${exprText(e.else)}`} END`;
    }
    case 'cast': return `CAST(${exprText(e.operand)} AS ${e.type.type})`;
    case 'function': return `${e.name.name.toUpperCase()}(${list(e.args)})`;
    case 'aggregate':
      return `${e.fn}(${e.distinct ? 'DISTINCT ' : ''}${e.arg === undefined ? '*' : exprText(e.arg)})`;
    case 'currentDateTime': return `CURRENT_${e.type}`;
    case 'subquery': return '(subquery)';
    case 'exists': return 'EXISTS (subquery)';
  }
}

/** Whether the expression (outside subqueries) contains an aggregate call. */
export function hasAggregate(e: Expression): boolean {
  let found = false;
  visit(e, (x) => {
    if (x.kind === 'aggregate') found = true;
  });
  return found;
}

/** Calls `f` on `e` and every expression below it, not entering subqueries. */
export function visit(e: Expression, f: (e: Expression) => void): void {
  f(e);
  for (const c of children(e)) visit(c, f);
}

export function children(e: Expression): readonly Expression[] {
  switch (e.kind) {
    case 'unary': case 'cast': case 'isNull': case 'inSubquery': return [e.operand];
    case 'binary': return [e.left, e.right];
    case 'in': return [e.operand, ...e.list];
    case 'between': return [e.operand, e.low, e.high];
    case 'like': return e.escape === undefined ? [e.operand, e.pattern] : [e.operand, e.pattern, e.escape];
    case 'case': {
      const out: Expression[] = e.operand === undefined ? [] : [e.operand];
      for (const w of e.whens) out.push(w.when, w.then);
      if (e.else !== undefined) out.push(e.else);
      return out;
    }
    case 'function': return e.args;
    case 'aggregate': return e.arg === undefined ? [] : [e.arg];
    default: return [];
  }
}

/** `e` with every subexpression for which `f` gives a replacement replaced (top-down; subqueries untouched). */
export function rewrite(e: Expression, f: (e: Expression) => Expression | undefined): Expression {
  const r = f(e);
  if (r !== undefined) return r;
  const g = (x: Expression): Expression => rewrite(x, f);
  switch (e.kind) {
    case 'unary': return { ...e, operand: g(e.operand) };
    case 'cast': return { ...e, operand: g(e.operand) };
    case 'isNull': return { ...e, operand: g(e.operand) };
    case 'inSubquery': return { ...e, operand: g(e.operand) };
    case 'binary': return { ...e, left: g(e.left), right: g(e.right) };
    case 'in': return { ...e, operand: g(e.operand), list: e.list.map(g) };
    case 'between': return { ...e, operand: g(e.operand), low: g(e.low), high: g(e.high) };
    case 'like':
      return e.escape === undefined ? { ...e, operand: g(e.operand), pattern: g(e.pattern) }
        : { ...e, operand: g(e.operand), pattern: g(e.pattern), escape: g(e.escape) };
    case 'case': {
      const whens = e.whens.map((w) => ({ when: g(w.when), then: g(w.then) }));
      const base = { ...e, whens, ...(e.operand === undefined ? {} : { operand: g(e.operand) }) };
      return e.else === undefined ? base : { ...base, else: g(e.else) };
    }
    case 'function': return { ...e, args: e.args.map(g) };
    default: return e;
  }
}

/** The conjuncts of a predicate (`a AND b AND c` → [a, b, c]). */
export function conjuncts(e: Expression | undefined): Expression[] {
  if (e === undefined) return [];
  if (e.kind === 'binary' && e.op === 'AND') return [...conjuncts(e.left), ...conjuncts(e.right)];
  return [e];
}

/** Whether the expression (subqueries included, by a walk of the whole tree) uses CURRENT_DATE/TIME/TIMESTAMP. */
export function usesCurrentTime(node: unknown): boolean {
  if (typeof node !== 'object' || node === null || ArrayBuffer.isView(node)) return false;
  if (Array.isArray(node)) return node.some(usesCurrentTime);
  if ((node as { kind?: unknown }).kind === 'currentDateTime') return true;
  for (const key in node) {
    if (usesCurrentTime((node as Record<string, unknown>)[key])) return true;
  }
  return false;
}
