/**
 * Catalog lookups by SQL identifier (DESIGN.md §9 "Names"): the descriptor whose declared name the identifier names,
 * or the typed NOT_FOUND error naming it as written.
 */
import { ColumnNotFoundError, IndexNotFoundError, TableNotFoundError, ZoneNotFoundError } from '../../../domain/shared/errors';
import type { SqlHost } from '../sql-host';
import type { IndexInfo, TableInfo, ZoneInfo } from '../../api/node-tables';
import type { ColumnDefinition } from '../../../domain/table/table-schema';
import type { Identifier } from '../ast';
import type { ScopeColumn } from '../semantics';
import { HIDDEN_KEY_COLUMN, nameMatches, written } from './names';

export function findTable(node: SqlHost, id: Identifier): TableInfo | undefined {
  return node.tables().find((t) => nameMatches(id, t.name));
}

export function tableOf(node: SqlHost, id: Identifier): TableInfo {
  const t = findTable(node, id);
  if (t === undefined) throw new TableNotFoundError(`Table ${written(id)} does not exist (line ${id.pos.line}, column ${id.pos.column})`, id.name);
  return t;
}

export function findZone(node: SqlHost, id: Identifier): ZoneInfo | undefined {
  return node.zones().find((z) => nameMatches(id, z.name));
}

export function zoneOf(node: SqlHost, id: Identifier): ZoneInfo {
  const z = findZone(node, id);
  if (z === undefined) throw new ZoneNotFoundError(`Zone ${written(id)} does not exist (line ${id.pos.line}, column ${id.pos.column})`);
  return z;
}

export function findIndex(node: SqlHost, id: Identifier): IndexInfo | undefined {
  return node.indexes().find((i) => nameMatches(id, i.name));
}

export function indexOf(node: SqlHost, id: Identifier): IndexInfo {
  const i = findIndex(node, id);
  if (i === undefined) throw new IndexNotFoundError(`Index ${written(id)} does not exist (line ${id.pos.line}, column ${id.pos.column})`);
  return i;
}

export function columnOf(table: TableInfo, id: Identifier): ColumnDefinition {
  const c = table.columns.find((x) => nameMatches(id, x.name));
  if (c === undefined) {
    throw new ColumnNotFoundError(
      `Column ${written(id)} does not exist in table '${table.name}' (line ${id.pos.line}, column ${id.pos.column})`, table.name, id.name);
  }
  return c;
}

export function isHidden(c: { readonly name: string }): boolean {
  return c.name === HIDDEN_KEY_COLUMN;
}

/** A table column as an expression scope column, qualified by `qualifier` (the table's name or its alias). */
export function scopeColumn(c: ColumnDefinition, qualifier: string, quoted: boolean): ScopeColumn {
  return {
    table: qualifier, tableQuoted: quoted, name: c.name, type: c.type,
    ...(c.precision === undefined ? {} : { precision: c.precision }),
    ...(c.scale === undefined ? {} : { scale: c.scale }),
    ...(c.length === undefined ? {} : { length: c.length }),
    ...(isHidden(c) ? { hidden: true } : {}),
  };
}
