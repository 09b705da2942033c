/**
 * Random queries over the SQL subset aistorage and SQLite share, for the differential test: SELECT [DISTINCT] items
 * FROM one to three tables (INNER / LEFT / CROSS joins, self joins) [WHERE] [GROUP BY keys [HAVING]] ORDER BY every
 * output column [LIMIT] [OFFSET]. Expressions come from sql-grammar-expr.ts.
 *
 * Where DESIGN.md §9 and SQLite differ, the SQLite text says what §9 means: ORDER BY terms get an explicit direction and
 * NULLS FIRST / LAST (SQLite puts NULLs first ascending, §9 last), and OFFSET without LIMIT becomes LIMIT -1 OFFSET.
 * A few queries have no ORDER BY: their rows are then compared as multisets.
 */
import { build, booleanLiteral as expr, type ColumnRef, type Ctx, type Expr, ExprGen, columnExpr, hasParam, isNumeric, text } from './sql-grammar-expr';
import { type ColumnDef, MAX_ROWS } from './sql-diff-schema';

export interface Query {
  /** aistorage's text and SQLite's, and their parameters. */
  readonly ai: string;
  readonly lite: string;
  readonly aiParams: readonly unknown[];
  readonly liteParams: readonly unknown[];
  /** Per output column: whether the grammar made a number (read a DECIMAL string from a column typed at run time). */
  readonly numeric: readonly boolean[];
  /** Per output column: an AVG, compared with a tolerance. */
  readonly tolerant: readonly boolean[];
  /** ORDER BY covers every output column: the rows' order is compared too. */
  readonly ordered: boolean;
}

interface From {
  readonly parts: (string | Expr)[];
  readonly cols: ColumnRef[];
  readonly maxRows: number;
}

const ALIASES = ['a', 'b', 'c'];
const COLUMN = /\b[abc]\.(id|[ck]\d+)\b/;

export class QueryGen extends ExprGen {
  query(): Query {
    const r = this.r;
    const from = this.from();
    const row: Ctx = { cols: from.cols, maxRows: from.maxRows, keys: null, subqueries: true };
    const where = r.chance(0.6) ? [' WHERE ', this.bool(row, r.int(0, 1))] : [];
    const grouped = r.chance(0.35) ? this.grouped(row) : null;
    const items = grouped?.items ?? Array.from({ length: r.int(1, 4) }, () => this.item(row, r.int(0, 2)));
    const distinct = r.chance(grouped === null ? 0.2 : 0.1) ? 'DISTINCT ' : '';
    const aliased = r.chance(0.3);
    const select: (string | Expr)[] = [`SELECT ${distinct}`];
    items.forEach((e, i) => select.push(i > 0 ? ', ' : '', e, aliased ? ` AS x${i + 1}` : ''));
    const head = text([...select, ' FROM ', ...from.parts, ...where, ...(grouped?.tail ?? [])]);
    const ordered = r.chance(0.88);
    const tail = ordered ? this.orderBy(items.length, aliased) : { ai: '', lite: '' };
    return { ...this.takeParams(head.ai + tail.ai, head.lite + tail.lite), numeric: items.map((e) => isNumeric(e.type)),
      tolerant: items.map((e) => e.avg), ordered };
  }

  /** FROM: one table, or two or three joined (a LEFT join's ON sees the tables before it). */
  protected from(): From {
    const r = this.r;
    const count = r.pick([1, 1, 1, 2, 2, 2, 3]);
    const cols: ColumnRef[] = [];
    const parts: (string | Expr)[] = [];
    for (let i = 0; i < count; i++) {
      const alias = ALIASES[i]!;
      const { item, mine } = r.chance(0.12) ? this.derived(alias) : this.table(alias);
      const named = item;
      if (i === 0) {
        parts.push(...named);
      } else if (count === 2 && r.chance(0.2)) {
        parts.push(r.chance(0.5) ? ', ' : ' CROSS JOIN ', ...named);
      } else {
        const kind = r.pick([' JOIN ', ' INNER JOIN ', ' LEFT JOIN ', ' LEFT OUTER JOIN ', ' JOIN ']);
        parts.push(kind, ...named, ' ON ', this.joinCondition(cols, mine));
      }
      cols.push(...mine);
    }
    return { parts, cols, maxRows: MAX_ROWS ** count };
  }

  protected table(alias: string): { item: (string | Expr)[]; mine: ColumnRef[] } {
    const t = this.r.pick(this.tables);
    return {
      item: [`${t.name}${this.r.chance(0.5) ? ' AS ' : ' '}${alias}`],
      mine: t.columns.map((col) => ({ ref: `${alias}.${col.name}`, col })),
    };
  }

  /** `(SELECT [DISTINCT] e AS k1, … FROM t s [WHERE …] [GROUP BY …]) AS alias`: numbers and strings, no AVG. */
  protected derived(alias: string): { item: (string | Expr)[]; mine: ColumnRef[] } {
    const r = this.r;
    const { from, cols } = this.subqueryScope();
    const inner: Ctx = { cols, maxRows: MAX_ROWS, keys: null, subqueries: false };
    let items: Expr[];
    const tail: (string | Expr)[] = r.chance(0.4) ? [' WHERE ', this.bool(inner, 1)] : [];
    if (r.chance(0.3)) {
      const key = columnExpr(r.pick(cols));
      const agg: Ctx = { ...inner, keys: [key] };
      items = [key, ...Array.from({ length: r.int(1, 2) }, () => this.num(agg, 0))];
      tail.push(' GROUP BY ', key);
    } else {
      items = Array.from({ length: r.int(1, 3) }, () => (r.chance(0.6) ? this.num(inner, 1) : this.str(inner, 1)));
    }
    const parts: (string | Expr)[] = [r.chance(0.2) ? '(SELECT DISTINCT ' : '(SELECT '];
    items.forEach((e, j) => parts.push(j > 0 ? ', ' : '', e, ` AS k${j + 1}`));
    parts.push(' FROM ', from, ...tail, `) AS ${alias}`);
    const mine = items.map((e, j): ColumnRef => ({
      ref: `${alias}.k${j + 1}`,
      col: { name: `k${j + 1}`, type: e.type as ColumnDef['type'], nullable: true, bound: e.bound, ascii: e.ascii },
      props: { frac: e.frac, strict: e.strict, bare: e.bare },
    }));
    return { item: parts, mine };
  }

  /** An equality between the new table and an earlier one, sometimes with more. */
  protected joinCondition(before: readonly ColumnRef[], mine: readonly ColumnRef[]): Expr {
    const r = this.r;
    const strings = r.chance(0.2);
    const pick = (cols: readonly ColumnRef[]): ColumnRef[] =>
      cols.filter((x) => (strings ? x.col.type === 'VARCHAR' : isNumeric(x.col.type)));
    const left = pick(before);
    const right = pick(mine);
    const other = (cols: readonly ColumnRef[]): ColumnRef[] =>
      cols.filter((x) => (strings ? isNumeric(x.col.type) : x.col.type === 'VARCHAR'));
    const [l, rr] = left.length > 0 && right.length > 0 ? [left, right] : [other(before), other(mine)];
    const eq = l.length > 0 && rr.length > 0
      ? build(['(', columnExpr(r.pick(rr)), ' = ', columnExpr(r.pick(l)), ')'], 'BOOLEAN')
      : expr('(1 = 1)');
    if (r.chance(0.6)) return eq;
    const all: Ctx = { cols: [...before, ...mine], maxRows: MAX_ROWS, keys: null, subqueries: false };
    return build(['(', eq, r.chance(0.75) ? ' AND ' : ' OR ', this.bool(all, 1), ')'], 'BOOLEAN');
  }

  /** GROUP BY keys (or none: one group) with aggregates, and HAVING. */
  protected grouped(row: Ctx): { items: Expr[]; tail: (string | Expr)[] } {
    const r = this.r;
    const keys: Expr[] = [];
    const plain: Ctx = { ...row, subqueries: false };
    for (let i = r.pick([0, 1, 1, 2]); i > 0; i--) {
      const key = r.chance(0.7) ? columnExpr(r.pick(row.cols)) : r.chance(0.5) ? this.num(plain, 1) : this.str(plain, 1);
      // SQLite reads an integer literal key as an output column's number: a key names a column
      // and no parameter (each `?` is another parameter: the select item would not be the key)
      if (COLUMN.test(key.ai) && !hasParam(key)) keys.push(key);
    }
    const agg: Ctx = { ...row, keys, subqueries: false };
    const items = keys.filter(() => r.chance(0.8));
    for (let i = r.int(1, 3); i > 0; i--) items.push(this.item(agg, r.int(0, 1)));
    const tail: (string | Expr)[] = [];
    if (keys.length > 0) {
      tail.push(' GROUP BY ');
      keys.forEach((k, i) => tail.push(i > 0 ? ', ' : '', k));
    }
    // SQLite refuses HAVING without GROUP BY when the select list has no aggregate: only with keys
    if (keys.length > 0 && r.chance(0.4)) tail.push(' HAVING ', this.bool(agg, 1));
    return { items, tail };
  }

  /** Every output column in a random order and direction; SQLite's terms spell out §9's NULL placement. */
  protected orderBy(n: number, aliased: boolean): { ai: string; lite: string } {
    const r = this.r;
    const order = r.shuffle(Array.from({ length: n }, (_, i) => i + 1));
    const ai: string[] = [];
    const lite: string[] = [];
    for (const i of order) {
      const ref = aliased && r.chance(0.7) ? `x${i}` : String(i);
      const dir = r.pick(['', ' ASC', ' DESC']);
      const nulls = r.pick(['', '', ' NULLS FIRST', ' NULLS LAST']);
      const desc = dir === ' DESC';
      ai.push(ref + dir + nulls);
      lite.push(`${ref}${desc ? ' DESC' : ' ASC'}${nulls || (desc ? ' NULLS FIRST' : ' NULLS LAST')}`);
    }
    const limit = r.chance(0.25) ? r.int(0, 8) : null;
    const offset = r.chance(0.15) ? r.int(0, 8) : null;
    const aiPage = (limit === null ? '' : ` LIMIT ${limit}`) + (offset === null ? '' : ` OFFSET ${offset}`);
    const litePage = limit === null && offset === null ? '' : ` LIMIT ${limit ?? -1}${offset === null ? '' : ` OFFSET ${offset}`}`;
    return { ai: ` ORDER BY ${ai.join(', ')}${aiPage}`, lite: ` ORDER BY ${lite.join(', ')}${litePage}` };
  }
}
