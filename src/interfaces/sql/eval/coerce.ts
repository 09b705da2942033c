/**
 * Assignment of a value to a column (INSERT / UPDATE): CAST's conversions (cast.ts), then the table API's own checks
 * and canonical form (table-values.ts `normalizeValue`) — except that where a CAST would truncate or round silently
 * to fit a declared size, assignment refuses: a VARCHAR(n) / VARBINARY(n) value that is too long and a DECIMAL(p, s)
 * with too many integer digits are errors. DECIMAL(p, s) rounds HALF_UP to s digits and integer columns round a
 * fraction HALF_UP, as the CAST does. Errors name the table and the column: TableArgumentError (INVALID_ARGUMENT),
 * or NotNullViolationError (NOT_NULL_VIOLATION) for null in a column declared `nullable: false`.
 */
import { InvalidArgumentError, NotNullViolationError } from '../../../domain/shared/errors';
import { valueError } from '../../../domain/table/table-argument-error';
import type { SchemaColumn } from '../../../domain/table/table-schema';
import { normalizeValue } from '../../../domain/table/table-values';
import type { ScopeColumn, ValueType } from '../semantics';
import { castValue } from './cast';
import { effectiveType } from './value-types';

/** A column to assign to; `nullable: false` (not part of ScopeColumn) makes null a NOT_NULL_VIOLATION. */
export interface CoercionTarget extends ScopeColumn {
  readonly nullable?: boolean;
}

const DEFAULT_DECIMAL_PRECISION = 32767;

function schemaColumnOf(to: CoercionTarget): SchemaColumn {
  return {
    id: 0, name: to.name, type: to.type as SchemaColumn['type'], nullable: true, hasDefault: false, defaultValue: null,
    length: to.length, precision: to.type === 'DECIMAL' ? to.precision ?? DEFAULT_DECIMAL_PRECISION : to.precision,
    scale: to.type === 'DECIMAL' ? to.scale ?? 0 : to.scale,
  };
}

/** ExpressionCompiler.coerce: `value` (of static type `from`) as a value of column `to`. */
export function coerceValue(value: unknown, from: ValueType, to: CoercionTarget): unknown {
  const table = to.table ?? '(none)';
  if (value === null || value === undefined) {
    if (to.nullable === false) {
      throw new NotNullViolationError(`Column '${to.name}' of table '${table}' is NOT NULL: got null; give it a value`,
        to.table, to.name);
    }
    return null;
  }
  if (to.type === 'NULL') return value;
  const column = schemaColumnOf(to);
  let cast: unknown;
  try {
    cast = castValue(value, effectiveType(value, from), { type: to.type }, undefined);
  } catch (e) {
    if (e instanceof InvalidArgumentError) throw valueError(table, column, e.message);
    throw e;
  }
  return normalizeValue(table, column, cast);
}
