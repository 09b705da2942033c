/**
 * Typed random expressions over the SQL subset aistorage and SQLite share, for the differential test. Every expression
 * carries what decides whether both engines must agree on it:
 *
 * - `bound`: the largest absolute value it can take. Arithmetic stays within the static type's range (aistorage's INT
 *   and BIGINT arithmetic fails on overflow, SQLite widens to 64 bits or to REAL), and DOUBLE within 2^50;
 * - `frac`: its values times 2^frac are integers (Infinity after a DOUBLE division). With bound · 2^frac ≤ 2^52 the
 *   value is exact in binary floating point, so SUM gives the same total in any order, and DECIMAL arithmetic (exact
 *   in aistorage, REAL in SQLite) agrees; DECIMAL results that would not be exact are not generated;
 * - `strict`: SQLite's storage class at run time is the static type's (integer for INT/BIGINT, real for DOUBLE) — not
 *   so for DECIMAL (SQLite's NUMERIC keeps 3.00 as the integer 3) or a CASE mixing integers and DOUBLEs. Only strict
 *   operands are divided (integer ÷ integer truncates in both), and only by a non-zero literal or NULLIF(…, 0):
 *   aistorage fails on division by zero where SQLite gives NULL;
 * - `avg`: it is an AVG, compared with a tolerance (aistorage rounds a DECIMAL AVG to 6 places; SQLite's AVG is a
 *   REAL): used only as a select item or in a comparison, never in arithmetic.
 */
import { type ColumnDef, MAX_ROWS, type Prng, quoteString, type TableDef } from './sql-diff-schema';

export type ExprType = 'INT' | 'BIGINT' | 'DOUBLE' | 'DECIMAL' | 'VARCHAR' | 'BOOLEAN';

export interface Expr {
  /** aistorage's text and SQLite's (they differ only where the dialects do). */
  readonly ai: string;
  readonly lite: string;
  readonly type: ExprType;
  readonly bound: number;
  readonly frac: number;
  readonly strict: boolean;
  /** VARCHAR: only ASCII characters (UPPER / LOWER agree: SQLite maps ASCII letters only). */
  readonly ascii: boolean;
  readonly avg: boolean;
  /**
   * A parameter, or made of parameters only (`-(?)`, `? + ?`): its type is unknown until run time, and aistorage
   * infers it from a CASE / COALESCE's other branches.
   */
  readonly bare: boolean;
}

export interface ColumnRef {
  readonly ref: string;
  readonly col: ColumnDef;
  /** A derived table's column: the properties of the expression it selects. */
  readonly props?: Partial<Expr>;
}

/** A parameter's value: `ai` for aistorage (a number for INT and DOUBLE), `lite` for SQLite (a bigint for integers). */
export interface ParamValue {
  readonly ai: unknown;
  readonly lite: unknown;
}

/** Stands for the parameter `n` of the query being generated until the query's texts are made (see takeParams). */
const PARAM = '\u0001';

/** What an expression may use: the row's columns, or (aggregate mode) aggregates over them and the group keys. */
export interface Ctx {
  readonly cols: readonly ColumnRef[];
  readonly maxRows: number;
  readonly keys: readonly Expr[] | null;
  readonly subqueries: boolean;
}

const LIMIT: Record<string, number> = { INT: 2 ** 31 - 1, BIGINT: 2 ** 62, DECIMAL: 2 ** 40, DOUBLE: 2 ** 50 };
const RANK: Record<string, number> = { INT: 0, BIGINT: 1, DECIMAL: 2, DOUBLE: 3 };
const COMPARISONS = ['=', '<>', '!=', '<', '<=', '>', '>='];

export const isNumeric = (t: ExprType): boolean => t !== 'VARCHAR' && t !== 'BOOLEAN';
export const hasParam = (e: Expr): boolean => e.ai.includes(PARAM);
const isInteger = (e: Expr): boolean => e.type === 'INT' || e.type === 'BIGINT';
const exact = (e: Expr): boolean => isInteger(e) || (Number.isFinite(e.frac) && e.bound * 2 ** e.frac <= 2 ** 52);

function expr(ai: string, type: ExprType, props: Partial<Expr> = {}, lite = ai): Expr {
  return { bound: 0, frac: 0, strict: true, ascii: true, avg: false, bare: false, ...props, ai, lite, type };
}

/** Joins the parts' texts around `glue` in each dialect: wrap(['(', a, ' + ', b, ')']). */
export function text(parts: readonly (string | Expr)[]): { ai: string; lite: string } {
  let ai = '';
  let lite = '';
  for (const p of parts) {
    ai += typeof p === 'string' ? p : p.ai;
    lite += typeof p === 'string' ? p : p.lite;
  }
  return { ai, lite };
}

export function build(parts: readonly (string | Expr)[], type: ExprType, props: Partial<Expr> = {}): Expr {
  const t = text(parts);
  return expr(t.ai, type, { bare: false, ...props }, t.lite);
}

export function booleanLiteral(text: string): Expr {
  return expr(text, 'BOOLEAN');
}

export function columnExpr(c: ColumnRef): Expr {
  const t = c.col.type;
  return expr(c.ref, t, {
    bound: c.col.bound, frac: t === 'DOUBLE' || t === 'DECIMAL' ? 2 : 0, strict: t !== 'DECIMAL', ascii: c.col.ascii, ...c.props,
  });
}

export class ExprGen {
  #subqueryAliases = 0;
  #params: ParamValue[] = [];
  constructor(protected readonly r: Prng, protected readonly tables: readonly TableDef[]) {}

  /** A `?` bound to `value` (typed at run time in aistorage: its static type is unknown). */
  protected param(value: ParamValue, type: ExprType, props: Partial<Expr> = {}): Expr {
    this.#params.push(value);
    return expr(`${PARAM}${this.#params.length - 1}${PARAM}`, type, { ...props, bare: true });
  }

  /** The final texts of a query (markers → `?`) and the parameters in the order each text uses them. */
  protected takeParams(ai: string, lite: string): { ai: string; lite: string; aiParams: unknown[]; liteParams: unknown[] } {
    const params = this.#params;
    this.#params = [];
    const marker = new RegExp(`${PARAM}(\\d+)${PARAM}`, 'g');
    const aiParams: unknown[] = [];
    const liteParams: unknown[] = [];
    return {
      ai: ai.replace(marker, (_, n: string) => (aiParams.push(params[Number(n)]!.ai), '?')),
      lite: lite.replace(marker, (_, n: string) => (liteParams.push(params[Number(n)]!.lite), '?')),
      aiParams, liteParams,
    };
  }

  /** A numeric expression; `avg` allows an AVG at its top. */
  num(c: Ctx, depth: number, avg = false): Expr {
    for (let i = 0; i < 6; i++) {
      const e = depth <= 0 || this.r.chance(0.35) ? this.numLeaf(c) : this.numComposite(c, depth - 1);
      if (e !== null && (avg || !e.avg)) return e;
    }
    return this.numLiteral();
  }

  str(c: Ctx, depth: number): Expr {
    const r = this.r;
    if (depth <= 0 || r.chance(0.4)) return this.strLeaf(c);
    const s = this.str(c, depth - 1);
    switch (r.int(0, 7)) {
      case 0: return build(['(', s, ' || ', this.str(c, depth - 1), ')'], 'VARCHAR', { ascii: false });
      case 1: return build([`SUBSTRING(`, s, `, ${r.int(0, 5)}${r.chance(0.7) ? `, ${r.int(0, 6)}` : ''})`], 'VARCHAR', { ascii: s.ascii });
      case 2: return build([`${r.pick(['TRIM', 'LTRIM', 'RTRIM'])}(`, s, ')'], 'VARCHAR', { ascii: s.ascii });
      case 3: return s.ascii ? build([`${r.pick(['UPPER', 'LOWER'])}(`, s, ')'], 'VARCHAR') : s;
      case 4: return build(['COALESCE(', s, ', ', this.strLeaf(c), ')'], 'VARCHAR', { ascii: false });
      case 5: return build(['NULLIF(', s, ', ', this.strLiteral(), ')'], 'VARCHAR', { ascii: s.ascii });
      case 6: return this.caseOf(c, depth, () => this.str(c, depth - 1)) ?? s;
      default: return (c.subqueries && c.keys === null ? this.scalarSubquery(c, 'VARCHAR') : null) ?? s;
    }
  }

  bool(c: Ctx, depth: number): Expr {
    const r = this.r;
    const k = r.int(0, depth <= 0 ? 6 : 11);
    switch (k) {
      case 0: case 1: return this.numComparison(c, depth);
      case 2: return this.comparison(this.str(c, depth), this.str(c, depth));
      case 3: return this.isNull(c, depth);
      case 4: return this.between(c, depth);
      case 5: return this.inList(c, depth);
      case 6: return this.like(c, depth);
      case 7: case 8: {
        const op = r.pick([' AND ', ' OR ']);
        return build(['(', this.bool(c, depth - 1), op, this.bool(c, depth - 1), ')'], 'BOOLEAN');
      }
      case 9: return build(['NOT (', this.bool(c, depth - 1), ')'], 'BOOLEAN');
      case 10: return c.subqueries && c.keys === null ? this.subqueryPredicate(c) : this.numComparison(c, depth);
      default: return r.chance(0.2) ? expr(r.pick(['TRUE', 'FALSE']), 'BOOLEAN') : this.numComparison(c, depth);
    }
  }

  /** Any expression, as a select item. */
  item(c: Ctx, depth: number): Expr {
    const k = this.r.next();
    return k < 0.55 ? this.num(c, depth, true) : k < 0.85 ? this.str(c, depth) : this.bool(c, depth);
  }

  numLiteral(): Expr {
    const r = this.r;
    if (r.chance(0.12)) return this.numParam();
    switch (r.int(0, 5)) {
      case 0: case 1: case 2: {
        const v = r.chance(0.8) ? r.int(-10, 10) : r.int(-1000, 1000);
        return expr(String(v), 'INT', { bound: Math.abs(v) });
      }
      case 3: {
        const v = r.int(-4000, 4000) / 4;
        return expr(`${v}e0`, 'DOUBLE', { bound: Math.abs(v), frac: 2 });
      }
      case 4: {
        const v = r.int(-400, 400) / 4;
        return expr(v.toFixed(r.pick([2, 2, 3])), 'DECIMAL', { bound: Math.abs(v), frac: 2, strict: false });
      }
      default: {
        const v = BigInt(r.int(-9, 9)) * 5_000_000_000n;
        return v === 0n ? expr('0', 'INT') : expr(String(v), 'BIGINT', { bound: Math.abs(Number(v)) });
      }
    }
  }

  /** An INT, BIGINT, DOUBLE (not a whole number: aistorage types a whole JS number INT) or NULL parameter. */
  protected numParam(): Expr {
    const r = this.r;
    switch (r.int(0, 4)) {
      case 0: case 1: {
        const v = r.int(-20, 20);
        return this.param({ ai: v, lite: BigInt(v) }, 'INT', { bound: Math.abs(v) });
      }
      case 2: {
        const v = BigInt(r.int(-9, 9)) * 3_000_000_001n;
        return this.param({ ai: v, lite: v }, 'BIGINT', { bound: Math.abs(Number(v)) });
      }
      case 3: {
        const v = (r.int(-400, 400) * 2 + 1) / 4;
        return this.param({ ai: v, lite: v }, 'DOUBLE', { bound: Math.abs(v), frac: 2 });
      }
      default: return this.param({ ai: null, lite: null }, 'INT', { strict: false });
    }
  }

  strLiteral(): Expr {
    if (this.r.chance(0.1)) {
      const v = this.r.chance(0.2) ? null : this.r.pick(['a', 'ab', 'é', '😀', '', 'zz']);
      return this.param({ ai: v, lite: v }, 'VARCHAR', { ascii: v === null || /^[a-z]*$/.test(v) });
    }
    const s = this.r.pick(['', 'a', 'A', 'ab', 'abc', 'b', 'a_b', 'x ', ' x', "it's", 'é', 'ß', '日本', '😀', 'zz', '9', 'Lorem']);
    return expr(quoteString(s), 'VARCHAR', { ascii: /^[\x00-\x7f]*$/.test(s) });
  }

  protected numLeaf(c: Ctx): Expr | null {
    const r = this.r;
    if (c.keys !== null) {
      const keys = c.keys.filter((k) => isNumeric(k.type));
      const k = r.next();
      if (k < 0.5) return this.aggregate(c);
      return k < 0.8 && keys.length > 0 ? r.pick(keys) : this.numLiteral();
    }
    const cols = c.cols.filter((x) => isNumeric(x.col.type));
    const k = r.next();
    if (k < 0.7 && cols.length > 0) return columnExpr(r.pick(cols));
    if (k < 0.93) return this.numLiteral();
    return build(['LENGTH(', this.strLeaf(c), ')'], 'INT', { bound: 20_000 });
  }

  protected strLeaf(c: Ctx): Expr {
    const r = this.r;
    if (c.keys !== null) {
      const keys = c.keys.filter((k) => k.type === 'VARCHAR');
      const k = r.next();
      if (k < 0.4) {
        const arg = this.str(rowCtx(c), 1);
        return build([r.pick(['MIN(', 'MAX(']), arg, ')'], 'VARCHAR', { ascii: arg.ascii });
      }
      return k < 0.8 && keys.length > 0 ? r.pick(keys) : this.strLiteral();
    }
    const cols = c.cols.filter((x) => x.col.type === 'VARCHAR');
    return cols.length > 0 && r.chance(0.8) ? columnExpr(r.pick(cols)) : this.strLiteral();
  }

  /** COUNT / SUM / AVG / MIN / MAX [DISTINCT] over row expressions (aggregate mode). */
  protected aggregate(c: Ctx): Expr | null {
    const r = this.r;
    const rc = rowCtx(c);
    const distinct = r.chance(0.2) ? 'DISTINCT ' : '';
    const n = c.maxRows;
    switch (r.pick(['COUNT', 'COUNT', 'SUM', 'SUM', 'AVG', 'MIN', 'MAX'])) {
      case 'COUNT': {
        if (r.chance(0.4)) return expr('COUNT(*)', 'BIGINT', { bound: n });
        return build([`COUNT(${distinct}`, this.item(rc, 1), ')'], 'BIGINT', { bound: n });
      }
      case 'SUM': {
        const x = this.num(rc, 1);
        const type = isInteger(x) ? 'BIGINT' : x.type;
        const sum = { ...x, type, bound: x.bound * n } as Expr;
        if (!exact(x) || !exact(sum) || sum.bound > LIMIT[type]!) return null;
        return build([`SUM(${distinct}`, x, ')'], type, { bound: sum.bound, frac: x.frac, strict: x.strict });
      }
      case 'AVG': {
        const x = this.num(rc, 1);
        return build([`AVG(${distinct}`, x, ')'], x.type === 'DECIMAL' ? 'DECIMAL' : 'DOUBLE', { bound: x.bound, frac: Infinity, strict: false, avg: true });
      }
      default: {
        const x = this.num(rc, 1);
        return build([r.pick(['MIN(', 'MAX(']), x, ')'], x.type, { bound: x.bound, frac: x.frac, strict: x.strict });
      }
    }
  }

  protected numComposite(c: Ctx, depth: number): Expr | null {
    const r = this.r;
    const a = this.num(c, depth);
    switch (r.int(0, 11)) {
      case 0: case 1: case 2: return this.arithmetic(r.pick(['+', '-', '*']), a, this.num(c, depth));
      case 3: return this.division(c, a, r.pick(['/', '/', '%']));
      case 4: return build(['-(', a, ')'], a.type, a);
      case 5: return build(['ABS(', a, ')'], a.type, a);
      case 6: return this.caseOf(c, depth + 1, () => this.num(c, depth));
      case 7: {
        const b = this.num(c, depth);
        return lossy([a, b], wider(a, b)) ? null : build(['COALESCE(', a, ', ', b, ')'], wider(a, b), merged(a, b));
      }
      case 8: return build(['NULLIF(', a, ', ', this.numLiteral(), ')'], a.type, a);
      case 9: {
        if (a.type !== 'DOUBLE' || !a.strict) return null;
        const f = r.pick(['FLOOR(', 'CEIL(', 'ROUND(', 'ROUND(']);
        const one = f === 'ROUND(' && r.chance(0.5);
        return build([f, a, one ? ', 1)' : ')'], 'DOUBLE', { bound: a.bound + 1, frac: one ? Infinity : 0 });
      }
      case 10: return build(['LENGTH(', this.str(c, depth), ')'], 'INT', { bound: 20_000 });
      default: return c.subqueries && c.keys === null ? this.scalarSubquery(c, 'NUMBER') : a;
    }
  }

  protected arithmetic(op: string, a: Expr, b: Expr): Expr | null {
    if (a.avg || b.avg) return null;
    const type = wider(a, b);
    const bound = op === '*' ? a.bound * b.bound : a.bound + b.bound;
    const frac = op === '*' ? a.frac + b.frac : Math.max(a.frac, b.frac);
    const e = build(['(', a, ` ${op} `, b, ')'], type, { bound, frac, strict: a.strict && b.strict, bare: a.bare && b.bare });
    if (bound > LIMIT[type]!) return null;
    return type === 'DECIMAL' && !exact(e) ? null : e;
  }

  /** a / d or a % d: integers (truncating, remainder with the dividend's sign), or a DOUBLE by a DOUBLE literal. */
  protected division(c: Ctx, a: Expr, op: '/' | '%'): Expr | null {
    const r = this.r;
    if (!a.strict || a.avg || !isNumeric(a.type)) return null;
    if (!isInteger(a)) {
      if (op === '%') return null;
      const d = r.pick([0.25, 0.5, 2, 3, -4, 2.5, 10]);
      return build(['(', a, ` / ${d}e0)`], 'DOUBLE', { bound: a.bound * 4, frac: Infinity });
    }
    const cols = c.keys === null ? c.cols.filter((x) => x.col.type === 'INT' || x.col.type === 'BIGINT') : [];
    const col = cols.length > 0 && r.chance(0.4) ? r.pick(cols) : null;
    const divisor = col !== null
      ? build(['NULLIF(', columnExpr(col), ', 0)'], col.col.type)
      : expr(String(r.pick([1, 2, 3, 7, -1, -2, -5])), 'INT');
    const t = text(['(', a, ` ${op} `, divisor, ')']);
    const ai = op === '%' && r.chance(0.3) ? text(['MOD(', a, ', ', divisor, ')']).ai : t.ai;
    return expr(ai, wider(a, divisor), { bound: a.bound }, t.lite);
  }

  protected caseOf(c: Ctx, depth: number, branch: () => Expr): Expr | null {
    const r = this.r;
    const parts: (string | Expr)[] = ['CASE'];
    const values: Expr[] = [];
    const simple = r.chance(0.25) ? this.num(c, 0) : null;
    if (simple !== null) parts.push(' ', simple);
    for (let i = r.int(1, 2); i > 0; i--) {
      const v = branch();
      values.push(v);
      parts.push(' WHEN ', simple === null ? this.bool(c, depth - 1) : this.numLiteral(), ' THEN ', v);
    }
    if (r.chance(0.7)) {
      const v = branch();
      values.push(v);
      parts.push(' ELSE ', v);
    }
    parts.push(' END');
    const type = values.reduce<ExprType>((t, v) => (isNumeric(t) ? wider({ type: t } as Expr, v) : t), values[0]!.type);
    return lossy(values, type) ? null : build(parts, type, values.reduce(merged));
  }

  protected numComparison(c: Ctx, depth: number): Expr {
    const a = this.num(c, depth, true);
    const b = this.num(c, depth, !a.avg);
    return this.comparison(a, b);
  }

  protected comparison(a: Expr, b: Expr): Expr {
    return build(['(', a, ` ${this.r.pick(COMPARISONS)} `, b, ')'], 'BOOLEAN');
  }

  protected isNull(c: Ctx, depth: number): Expr {
    return build(['(', this.item(c, depth), this.r.chance(0.5) ? ' IS NULL)' : ' IS NOT NULL)'], 'BOOLEAN');
  }

  protected between(c: Ctx, depth: number): Expr {
    const not = this.r.chance(0.3) ? ' NOT' : '';
    return build(['(', this.num(c, depth, true), `${not} BETWEEN `, this.numLiteral(), ' AND ', this.num(c, 0), ')'], 'BOOLEAN');
  }

  protected inList(c: Ctx, depth: number): Expr {
    const r = this.r;
    const str = r.chance(0.35);
    const x = str ? this.str(c, depth) : this.num(c, depth);
    const list: (string | Expr)[] = [];
    for (let i = r.int(1, 4); i > 0; i--) list.push(list.length > 0 ? ', ' : '', str ? this.strLiteral() : this.numLiteral());
    if (r.chance(0.15)) list.push(', NULL');
    return build(['(', x, r.chance(0.3) ? ' NOT IN (' : ' IN (', ...list, '))'], 'BOOLEAN');
  }

  protected like(c: Ctx, depth: number): Expr {
    const r = this.r;
    const pattern = r.pick(['a%', '%b', '%a%', '_', '__', 'a_b', '%', '', 'A%', '%é%', '_😀%', '日%', 'x_', '% x', 'it%']);
    const not = r.chance(0.3) ? ' NOT' : '';
    if (r.chance(0.15)) {
      return build(['(', this.str(c, depth), `${not} LIKE '${r.pick(['a!%b', '!_%', '%!%%', 'a!_b'])}' ESCAPE '!')`], 'BOOLEAN');
    }
    return build(['(', this.str(c, depth), `${not} LIKE ${quoteString(pattern)})`], 'BOOLEAN');
  }

  /** A table of the schema under a fresh alias, as a subquery's scope. */
  subqueryScope(): { from: string; cols: ColumnRef[] } {
    const t = this.r.pick(this.tables);
    const alias = `s${++this.#subqueryAliases}`;
    return { from: `${t.name} ${alias}`, cols: t.columns.map((col) => ({ ref: `${alias}.${col.name}`, col })) };
  }

  /** WHERE of a subquery: its own predicate, a correlation with the outer row, or both. */
  protected subqueryWhere(c: Ctx, cols: readonly ColumnRef[]): (string | Expr)[] {
    const r = this.r;
    const inner: Ctx = { cols, maxRows: MAX_ROWS, keys: null, subqueries: false };
    const parts: (string | Expr)[] = [];
    if (r.chance(0.6)) {
      const outer = c.cols.filter((x) => isNumeric(x.col.type));
      const mine = cols.filter((x) => isNumeric(x.col.type));
      if (outer.length > 0) parts.push(columnExpr(r.pick(mine)), ' = ', columnExpr(r.pick(outer)));
    }
    if (parts.length === 0 || r.chance(0.3)) parts.push(parts.length > 0 ? ' AND ' : '', this.bool(inner, 1));
    return [' WHERE ', ...parts];
  }

  protected scalarSubquery(c: Ctx, kind: 'NUMBER' | 'VARCHAR'): Expr | null {
    const r = this.r;
    const { from, cols } = this.subqueryScope();
    const where = this.subqueryWhere(c, cols);
    if (kind === 'NUMBER' && r.chance(0.4)) return build(['(SELECT COUNT(*) FROM ', from, ...where, ')'], 'BIGINT', { bound: MAX_ROWS });
    const pool = cols.filter((x) => (kind === 'VARCHAR' ? x.col.type === 'VARCHAR' : isNumeric(x.col.type)));
    if (pool.length === 0) return null;
    const x = columnExpr(r.pick(pool));
    return build([`(SELECT ${r.pick(['MIN', 'MAX'])}(`, x, ') FROM ', from, ...where, ')'], x.type, x);
  }

  protected subqueryPredicate(c: Ctx): Expr {
    const r = this.r;
    const { from, cols } = this.subqueryScope();
    const where = this.subqueryWhere(c, cols);
    if (r.chance(0.5)) return build([r.chance(0.3) ? 'NOT EXISTS (SELECT 1 FROM ' : 'EXISTS (SELECT 1 FROM ', from, ...where, ')'], 'BOOLEAN');
    const y = columnExpr(r.pick(cols));
    const x = y.type === 'VARCHAR' ? this.str(c, 0) : this.num(c, 0);
    return build(['(', x, r.chance(0.3) ? ' NOT IN (SELECT ' : ' IN (SELECT ', y, ' FROM ', from, ...where, '))'], 'BOOLEAN');
  }
}

export function rowCtx(c: Ctx): Ctx {
  return { cols: c.cols, maxRows: c.maxRows, keys: null, subqueries: false };
}

function wider(a: Expr, b: Expr): ExprType {
  if (!isNumeric(a.type)) return a.type;
  return RANK[a.type]! >= RANK[b.type]! ? a.type : b.type;
}

/**
 * Whether CASE / COALESCE branches of `values` converted to their common `type` change: a BIGINT above 2^53 made a
 * DOUBLE (or DECIMAL: SQLite's REAL) where SQLite keeps each branch's own value, or a parameter given another type.
 */
function lossy(values: readonly Expr[], type: ExprType): boolean {
  if ((type === 'DOUBLE' || type === 'DECIMAL') && values.some((v) => isInteger(v) && v.bound > 2 ** 53)) return true;
  // A bare parameter takes the type of the other branches (as in Ignite 3 and PostgreSQL): 2.5 for an INT becomes 3,
  // 3000000001 is out of range. SQLite has no parameter types: a difference of dialects, not generated.
  const typed = values.filter((v) => !v.bare);
  if (typed.length === 0) return false;
  const others = typed.reduce<ExprType>((t, v) => (isNumeric(t) ? wider({ type: t } as Expr, v) : t), typed[0]!.type);
  return values.some((v) => v.bare && v.type !== others);
}

/** The properties of a value that is either a's or b's (CASE, COALESCE). */
function merged(a: Expr, b: Expr): Expr {
  const sameClass = isInteger(a) === isInteger(b);
  return {
    ...a, bound: Math.max(a.bound, b.bound), frac: Math.max(a.frac, b.frac), strict: a.strict && b.strict && sameClass,
    ascii: a.ascii && b.ascii, avg: a.avg || b.avg, bare: a.bare && b.bare,
  };
}
