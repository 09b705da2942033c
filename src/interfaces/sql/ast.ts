/**
 * The SQL abstract syntax tree, as `parseStatement` / `parseStatements` build it for the planner.
 *
 * Every union is discriminated by `kind`; every node that names something (identifiers, column references, tables,
 * statements, expressions) carries a source position for error messages: that of its first token, except operator
 * nodes (binary, unary, IN, BETWEEN, LIKE, IS NULL, `::`), which are at their operator. Names are as written:
 * an unquoted identifier keeps its spelling and is matched case-insensitively later; a quoted one (`"Order"`) is
 * matched exactly. Nodes are plain readonly data (no classes, no parent links), so they can be cached with a prepared
 * statement and shared.
 */
import type { SqlType } from '../../domain/table/table-schema';

/** 1-based line and column of a token's first character (a tab counts as one column). */
export interface SourcePos {
  readonly line: number;
  readonly column: number;
}

export interface Identifier {
  /** Unquoted: as written; quoted: the text between the quotes with `""` unescaped. */
  readonly name: string;
  readonly quoted: boolean;
  readonly pos: SourcePos;
}

/** A type by the table API's names (INTEGER → INT, TEXT / STRING / CHAR VARYING → VARCHAR, FLOAT → DOUBLE, …). */
export interface DataType {
  readonly type: SqlType;
  /** VARCHAR(n) characters, VARBINARY(n) bytes; absent: unbounded. */
  readonly length?: number;
  /** DECIMAL(p[, s]) total digits; TIME(p) / TIMESTAMP(p) fractional second digits. */
  readonly precision?: number;
  /** DECIMAL(p, s) digits after the point. */
  readonly scale?: number;
  readonly pos: SourcePos;
}

// ---------------------------------------------------------------- expressions

/**
 * An unsigned or negated integer literal, exactly. `sqlType` is the narrowest type holding it: INT for
 * -2^31..2^31-1, BIGINT up to the int64 range, DECIMAL beyond (a `-` directly before a literal is folded into it).
 */
export interface IntegerLiteral {
  readonly kind: 'integer'; readonly value: bigint; readonly sqlType: 'INT' | 'BIGINT' | 'DECIMAL';
  readonly pos: SourcePos;
}
/** A literal with a point and no exponent (`1.5`, `.5`, `-2.`): exact, as canonical text (`'1.5'`, `'0.5'`, `'-2'`). */
export interface DecimalLiteral { readonly kind: 'decimal'; readonly text: string; readonly pos: SourcePos }
/** A literal with an exponent (`1e3`, `2.5E-1`): DOUBLE. */
export interface FloatLiteral { readonly kind: 'float'; readonly value: number; readonly pos: SourcePos }
/** `'it''s'` → `it's`. */
export interface StringLiteral { readonly kind: 'string'; readonly value: string; readonly pos: SourcePos }
export interface BooleanLiteral { readonly kind: 'boolean'; readonly value: boolean; readonly pos: SourcePos }
export interface NullLiteral { readonly kind: 'null'; readonly pos: SourcePos }
/** `DATE '2026-01-02'`, `TIME '03:04:05'`, `TIMESTAMP '2026-01-02 03:04:05'`: the string as written (unchecked). */
export interface TemporalLiteral {
  readonly kind: 'temporal'; readonly type: 'DATE' | 'TIME' | 'TIMESTAMP'; readonly value: string;
  readonly pos: SourcePos;
}
/** `x'0A1B'`: the decoded bytes (an even number of hex digits, checked by the parser). */
export interface BytesLiteral { readonly kind: 'bytes'; readonly value: Uint8Array; readonly pos: SourcePos }

export type Literal =
  | IntegerLiteral | DecimalLiteral | FloatLiteral | StringLiteral | BooleanLiteral | NullLiteral | TemporalLiteral
  | BytesLiteral;

/** `c` or `t.c`. */
export interface ColumnRef {
  readonly kind: 'column'; readonly table?: Identifier; readonly column: Identifier; readonly pos: SourcePos;
}
/** `?`: `index` counts the statement's `?` from 0 in source order. */
export interface PositionalParameter { readonly kind: 'parameter'; readonly index: number; readonly pos: SourcePos }
/** `:name` (the name without the colon, as written). */
export interface NamedParameter { readonly kind: 'namedParameter'; readonly name: string; readonly pos: SourcePos }

export type UnaryOperator = '-' | 'NOT';
export type ArithmeticOperator = '+' | '-' | '*' | '/' | '%';
export type ComparisonOperator = '=' | '<>' | '<' | '<=' | '>' | '>=';
/** `!=` is normalized to `<>`; `||` concatenates strings. */
export type BinaryOperator = ArithmeticOperator | ComparisonOperator | '||' | 'AND' | 'OR';

/** `-e`, `NOT e` (a unary `+` leaves no node). */
export interface UnaryExpression {
  readonly kind: 'unary'; readonly op: UnaryOperator; readonly operand: Expression; readonly pos: SourcePos;
}
export interface BinaryExpression {
  readonly kind: 'binary'; readonly op: BinaryOperator; readonly left: Expression; readonly right: Expression;
  readonly pos: SourcePos;
}
/** `e [NOT] IN (a, b, …)`. */
export interface InListExpression {
  readonly kind: 'in'; readonly operand: Expression; readonly list: readonly Expression[]; readonly negated: boolean;
  readonly pos: SourcePos;
}
/** `e [NOT] IN (SELECT …)`. */
export interface InSubqueryExpression {
  readonly kind: 'inSubquery'; readonly operand: Expression; readonly query: SelectQuery; readonly negated: boolean;
  readonly pos: SourcePos;
}
/** `e [NOT] BETWEEN low AND high` (inclusive). */
export interface BetweenExpression {
  readonly kind: 'between'; readonly operand: Expression; readonly low: Expression; readonly high: Expression;
  readonly negated: boolean; readonly pos: SourcePos;
}
/** `e [NOT] LIKE pattern [ESCAPE c]`. */
export interface LikeExpression {
  readonly kind: 'like'; readonly operand: Expression; readonly pattern: Expression; readonly escape?: Expression;
  readonly negated: boolean; readonly pos: SourcePos;
}
/** `e IS [NOT] NULL`. */
export interface IsNullExpression {
  readonly kind: 'isNull'; readonly operand: Expression; readonly negated: boolean; readonly pos: SourcePos;
}
export interface WhenClause { readonly when: Expression; readonly then: Expression }
/** Simple (`CASE e WHEN v THEN r … END`, `operand` set) or searched (`CASE WHEN cond THEN r … END`). */
export interface CaseExpression {
  readonly kind: 'case'; readonly operand?: Expression; readonly whens: readonly WhenClause[];
  readonly else?: Expression; readonly pos: SourcePos;
}
/** `CAST(e AS type)` or `e::type`. */
export interface CastExpression {
  readonly kind: 'cast'; readonly operand: Expression; readonly type: DataType; readonly pos: SourcePos;
}
/** A scalar function by name (COALESCE, NULLIF, ABS, …): unknown names are the planner's to refuse. */
export interface FunctionCall {
  readonly kind: 'function'; readonly name: Identifier; readonly args: readonly Expression[]; readonly pos: SourcePos;
}
export type AggregateFunction = 'COUNT' | 'SUM' | 'AVG' | 'MIN' | 'MAX';
/** `COUNT(*)` (no `arg`), `COUNT([DISTINCT] e)`, `SUM/AVG/MIN/MAX([DISTINCT] e)`. */
export interface AggregateCall {
  readonly kind: 'aggregate'; readonly fn: AggregateFunction; readonly arg?: Expression; readonly distinct: boolean;
  readonly pos: SourcePos;
}
/** CURRENT_DATE, CURRENT_TIME, CURRENT_TIMESTAMP. */
export interface CurrentDateTime {
  readonly kind: 'currentDateTime'; readonly type: 'DATE' | 'TIME' | 'TIMESTAMP'; readonly pos: SourcePos;
}
/** `(SELECT …)` as a value: one column, at most one row. */
export interface ScalarSubquery { readonly kind: 'subquery'; readonly query: SelectQuery; readonly pos: SourcePos }
/** `EXISTS (SELECT …)`. */
export interface ExistsExpression { readonly kind: 'exists'; readonly query: SelectQuery; readonly pos: SourcePos }

export type Expression =
  | Literal | ColumnRef | PositionalParameter | NamedParameter | UnaryExpression | BinaryExpression | InListExpression
  | InSubqueryExpression | BetweenExpression | LikeExpression | IsNullExpression | CaseExpression | CastExpression
  | FunctionCall | AggregateCall | CurrentDateTime | ScalarSubquery | ExistsExpression;

// ---------------------------------------------------------------- queries

/** `*` or `t.*`. */
export interface SelectStar { readonly kind: 'star'; readonly table?: Identifier; readonly pos: SourcePos }
/** `e [[AS] alias]`. */
export interface SelectExpression { readonly kind: 'expr'; readonly expr: Expression; readonly alias?: Identifier }
export type SelectItem = SelectStar | SelectExpression;

/** `[schema.]name [[AS] alias]` (the schema of the system views: `SYSTEM.ZONES`). */
export interface TableRef {
  readonly kind: 'table'; readonly name: Identifier; readonly schema?: Identifier; readonly alias?: Identifier; readonly pos: SourcePos;
}
/** `(SELECT …) [AS] alias [(a, b)]`. */
export interface DerivedTable {
  readonly kind: 'derived'; readonly query: SelectQuery; readonly alias?: Identifier;
  readonly columnAliases?: readonly Identifier[]; readonly pos: SourcePos;
}
/** `(VALUES (…), (…)) [AS] t [(a, b)]`. */
export interface ValuesTable {
  readonly kind: 'values'; readonly rows: readonly (readonly Expression[])[]; readonly alias?: Identifier;
  readonly columnAliases?: readonly Identifier[]; readonly pos: SourcePos;
}
/** `TABLE(system_range(1, 10)) [AS] r [(x)]`: a table-valued function by name (the planner knows system_range). */
export interface TableFunction {
  readonly kind: 'tableFunction'; readonly name: Identifier; readonly args: readonly Expression[];
  readonly alias?: Identifier; readonly columnAliases?: readonly Identifier[]; readonly pos: SourcePos;
}
/** Left-deep: `a JOIN b ON … JOIN c ON …` is join(join(a, b), c). A comma in FROM is a CROSS join. */
export interface Join {
  readonly kind: 'join'; readonly joinType: 'INNER' | 'LEFT' | 'CROSS'; readonly left: FromItem;
  readonly right: FromItem; readonly on?: Expression; readonly pos: SourcePos;
}
export type FromItem = TableRef | DerivedTable | ValuesTable | TableFunction | Join;

/** ORDER BY item with defaults resolved (§9): ASC; NULLS LAST for ASC and FIRST for DESC unless written. */
export interface OrderByItem {
  readonly expr: Expression; readonly direction: 'ASC' | 'DESC'; readonly nulls: 'FIRST' | 'LAST';
}

export interface SelectQuery {
  readonly kind: 'select';
  readonly distinct: boolean;
  readonly items: readonly SelectItem[];
  /** Absent for `SELECT 1 + 1`. */
  readonly from?: FromItem;
  readonly where?: Expression;
  readonly groupBy: readonly Expression[];
  readonly having?: Expression;
  readonly orderBy: readonly OrderByItem[];
  readonly limit?: Expression;
  readonly offset?: Expression;
  readonly pos: SourcePos;
}

// ---------------------------------------------------------------- DML

export interface ValuesRows {
  readonly kind: 'values'; readonly rows: readonly (readonly Expression[])[]; readonly pos: SourcePos;
}
export interface InsertStatement {
  readonly kind: 'insert'; readonly table: Identifier; readonly columns?: readonly Identifier[];
  readonly source: ValuesRows | SelectQuery; readonly pos: SourcePos;
}
export interface Assignment { readonly column: Identifier; readonly value: Expression }
export interface UpdateStatement {
  readonly kind: 'update'; readonly table: Identifier; readonly alias?: Identifier;
  readonly assignments: readonly Assignment[]; readonly where?: Expression; readonly pos: SourcePos;
}
export interface DeleteStatement {
  readonly kind: 'delete'; readonly table: Identifier; readonly alias?: Identifier; readonly where?: Expression;
  readonly pos: SourcePos;
}

// ---------------------------------------------------------------- DDL

/** Zone options as given (absent: not given); each at most once per statement. */
export interface ZoneOptions {
  readonly partitions?: number;
  readonly replicas?: number;
  readonly storageProfiles?: readonly string[];
}
/**
 * `CREATE ZONE z WITH PARTITIONS=10, REPLICAS=2, STORAGE PROFILES ['p']` (the spec's form) or
 * `CREATE ZONE z (PARTITIONS 10, REPLICAS 2) STORAGE PROFILES ['p']` (Ignite 3.1's).
 */
export interface CreateZoneStatement {
  readonly kind: 'createZone'; readonly name: Identifier; readonly ifNotExists: boolean; readonly options: ZoneOptions;
  readonly pos: SourcePos;
}
/** `ALTER ZONE z SET (REPLICAS 3)` / `ALTER ZONE z SET REPLICAS = 3, …`. */
export interface AlterZoneStatement {
  readonly kind: 'alterZone'; readonly name: Identifier; readonly ifExists: boolean; readonly options: ZoneOptions;
  readonly pos: SourcePos;
}
export interface DropZoneStatement {
  readonly kind: 'dropZone'; readonly name: Identifier; readonly ifExists: boolean; readonly pos: SourcePos;
}

export interface ColumnDef {
  readonly name: Identifier;
  readonly type: DataType;
  /** NOT NULL → false, NULL → true, absent when neither was written. */
  readonly nullable?: boolean;
  /** Written as a column constraint (`id INT PRIMARY KEY`); the table's key is `CreateTableStatement.primaryKey`. */
  readonly primaryKey: boolean;
  /** `DEFAULT literal` (a `-` before a number is folded into the literal). */
  readonly default?: Literal;
  readonly pos: SourcePos;
}
export interface CreateTableStatement {
  readonly kind: 'createTable';
  readonly name: Identifier;
  readonly ifNotExists: boolean;
  readonly columns: readonly ColumnDef[];
  /** Key columns in key order, from `PRIMARY KEY (a, b)` or the one column marked PRIMARY KEY; empty when none. */
  readonly primaryKey: readonly Identifier[];
  /** `ZONE z` or `WITH PRIMARY_ZONE = 'z'`. */
  readonly zone?: Identifier;
  /** `STORAGE PROFILE 'p'` or `WITH STORAGE_PROFILE = 'p'`. */
  readonly storageProfile?: string;
  readonly pos: SourcePos;
}
export interface DropTableStatement {
  readonly kind: 'dropTable'; readonly name: Identifier; readonly ifExists: boolean; readonly pos: SourcePos;
}
export type AlterTableAction =
  | { readonly kind: 'addColumns'; readonly columns: readonly ColumnDef[] }
  | { readonly kind: 'dropColumns'; readonly columns: readonly Identifier[] };
/** `ALTER TABLE t ADD [COLUMN] def` / `ADD [COLUMN] (def, …)` / `DROP [COLUMN] c` / `DROP [COLUMN] (c, …)`. */
export interface AlterTableStatement {
  readonly kind: 'alterTable'; readonly name: Identifier; readonly ifExists: boolean;
  readonly action: AlterTableAction; readonly pos: SourcePos;
}
export interface IndexColumn { readonly name: Identifier; readonly order?: 'ASC' | 'DESC' }
export interface CreateIndexStatement {
  readonly kind: 'createIndex';
  readonly name: Identifier;
  readonly ifNotExists: boolean;
  readonly table: Identifier;
  /** `USING SORTED|HASH`; SORTED when not written. */
  readonly type: 'SORTED' | 'HASH';
  readonly columns: readonly IndexColumn[];
  readonly pos: SourcePos;
}
export interface DropIndexStatement {
  readonly kind: 'dropIndex'; readonly name: Identifier; readonly ifExists: boolean; readonly pos: SourcePos;
}

// ---------------------------------------------------------------- transactions and EXPLAIN

/** `START TRANSACTION [READ ONLY | READ WRITE]` or `BEGIN [TRANSACTION | WORK] […]`; READ WRITE when not written. */
export interface StartTransactionStatement {
  readonly kind: 'startTransaction'; readonly readOnly: boolean; readonly pos: SourcePos;
}
export interface CommitStatement { readonly kind: 'commit'; readonly pos: SourcePos }
export interface RollbackStatement { readonly kind: 'rollback'; readonly pos: SourcePos }
export type ExplainableStatement = SelectQuery | InsertStatement | UpdateStatement | DeleteStatement;
/** `EXPLAIN [PLAN FOR] statement`. */
export interface ExplainStatement {
  readonly kind: 'explain'; readonly statement: ExplainableStatement; readonly pos: SourcePos;
}

export type Statement =
  | SelectQuery | InsertStatement | UpdateStatement | DeleteStatement
  | CreateZoneStatement | AlterZoneStatement | DropZoneStatement
  | CreateTableStatement | DropTableStatement | AlterTableStatement | CreateIndexStatement | DropIndexStatement
  | StartTransactionStatement | CommitStatement | RollbackStatement | ExplainStatement;
