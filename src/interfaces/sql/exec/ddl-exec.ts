/**
 * DDL statements as calls of the node's table API: zones, tables (a table declared without a primary key gets the
 * hidden generated key column `__p_key` UUID), columns and indexes. IF [NOT] EXISTS is decided here by SQL name rules;
 * CREATE INDEX resolves once the index is built and available to queries.
 */
import { AlreadyExistsError, InvalidArgumentError } from '../../../domain/shared/errors';
import type { ColumnDefinition } from '../../../domain/table/table-schema';
import type {
  AlterTableStatement, AlterZoneStatement, ColumnDef, CreateIndexStatement, CreateTableStatement, CreateZoneStatement, Identifier,
  Statement,
} from '../ast';
import type { ScopeColumn } from '../semantics';
import type { PlanContext } from '../plan/plan-context';
import { columnOf, findIndex, findTable, findZone, indexOf, tableOf, zoneOf } from '../plan/catalog';
import { HIDDEN_KEY_COLUMN, nameMatches, written } from '../plan/names';

export type DdlStatement = Extract<Statement, {
  kind: 'createZone' | 'alterZone' | 'dropZone' | 'createTable' | 'dropTable' | 'alterTable' | 'createIndex' | 'dropIndex';
}>;

const DDL_KINDS = new Set(['createZone', 'alterZone', 'dropZone', 'createTable', 'dropTable', 'alterTable', 'createIndex', 'dropIndex']);

export function isDdl(s: Statement): s is DdlStatement {
  return DDL_KINDS.has(s.kind);
}

export async function executeDdl(s: DdlStatement, ctx: PlanContext): Promise<void> {
  const node = ctx.env.node;
  switch (s.kind) {
    case 'createZone': return createZone(s, ctx);
    case 'alterZone': {
      const zone = s.ifExists ? findZone(node, s.name) : zoneOf(node, s.name);
      if (zone !== undefined) await node.alterZone(zone.name, zoneOptions(s));
      return;
    }
    case 'dropZone': {
      const zone = s.ifExists ? findZone(node, s.name) : zoneOf(node, s.name);
      if (zone !== undefined) await node.dropZone(zone.name);
      return;
    }
    case 'createTable': return createTable(s, ctx);
    case 'dropTable': {
      const table = s.ifExists ? findTable(node, s.name) : tableOf(node, s.name);
      if (table !== undefined) await node.dropTable(table.name);
      return;
    }
    case 'alterTable': return alterTable(s, ctx);
    case 'createIndex': return createIndex(s, ctx);
    case 'dropIndex': {
      const index = s.ifExists ? findIndex(node, s.name) : indexOf(node, s.name);
      if (index !== undefined) await node.dropIndex(index.name);
      return;
    }
  }
}

function zoneOptions(s: CreateZoneStatement | AlterZoneStatement): { partitions?: number; replicas?: number; storageProfiles?: string[] } {
  const o = s.options;
  return {
    ...(o.partitions === undefined ? {} : { partitions: o.partitions }),
    ...(o.replicas === undefined ? {} : { replicas: o.replicas }),
    ...(o.storageProfiles === undefined ? {} : { storageProfiles: [...o.storageProfiles] }),
  };
}

async function createZone(s: CreateZoneStatement, ctx: PlanContext): Promise<void> {
  const node = ctx.env.node;
  const existing = node.zones().find((z) => z.name.toLowerCase() === s.name.name.toLowerCase());
  if (existing !== undefined) {
    if (s.ifNotExists) return;
    throw new AlreadyExistsError(`Zone '${existing.name}' already exists; drop it first or write CREATE ZONE IF NOT EXISTS`);
  }
  await node.createZone({ name: s.name.name, ...zoneOptions(s) });
}

async function createTable(s: CreateTableStatement, ctx: PlanContext): Promise<void> {
  const node = ctx.env.node;
  const existing = node.tables().find((t) => t.name.toLowerCase() === s.name.name.toLowerCase());
  if (existing !== undefined) {
    if (s.ifNotExists) return;
    throw new AlreadyExistsError(`Table '${existing.name}' already exists; drop it first or write CREATE TABLE IF NOT EXISTS`, existing.name);
  }
  const table = s.name.name;
  const columns = s.columns.map((c) => columnDefinition(table, c, ctx, s.primaryKey.some((k) => nameMatches(k, c.name.name))));
  let primaryKey = s.primaryKey.map((k) => {
    const c = s.columns.find((col) => nameMatches(k, col.name.name));
    if (c === undefined) throw new InvalidArgumentError(`PRIMARY KEY names ${written(k)}, which is not a column of table '${table}'`);
    return c.name.name;
  });
  if (primaryKey.length === 0) {
    columns.push({ name: HIDDEN_KEY_COLUMN, type: 'UUID', nullable: false });
    primaryKey = [HIDDEN_KEY_COLUMN];
  }
  const zone = s.zone === undefined ? undefined : zoneOf(node, s.zone).name;
  await node.createTable({
    name: table, columns, primaryKey, ...(zone === undefined ? {} : { zone }),
    ...(s.storageProfile === undefined ? {} : { storageProfile: s.storageProfile }),
  });
}

function columnDefinition(table: string, c: ColumnDef, ctx: PlanContext, key: boolean): ColumnDefinition {
  const t = c.type;
  const def: ColumnDefinition = {
    name: c.name.name, type: t.type, nullable: key ? false : c.nullable ?? true,
    ...(t.length === undefined ? {} : { length: t.length }),
    ...(t.type === 'DECIMAL' && t.precision !== undefined ? { precision: t.precision } : {}),
    ...(t.type === 'DECIMAL' && t.scale !== undefined ? { scale: t.scale } : {}),
  };
  if (c.default === undefined) return def;
  const scope: ScopeColumn = { table, name: def.name, type: def.type, ...pick(def) };
  const literal = ctx.compile(c.default, { columns: [] });
  const value = literal.evaluate([], { positional: [], named: {} });
  return { ...def, default: value === null ? null : ctx.env.compiler.coerce(value, literal.type, scope) };
}

function pick(d: ColumnDefinition): { length?: number; precision?: number; scale?: number } {
  return {
    ...(d.length === undefined ? {} : { length: d.length }), ...(d.precision === undefined ? {} : { precision: d.precision }),
    ...(d.scale === undefined ? {} : { scale: d.scale }),
  };
}

async function alterTable(s: AlterTableStatement, ctx: PlanContext): Promise<void> {
  const node = ctx.env.node;
  const table = s.ifExists ? findTable(node, s.name) : tableOf(node, s.name);
  if (table === undefined) return;
  if (s.action.kind === 'addColumns') {
    const addColumns = s.action.columns.map((c) => {
      if (c.primaryKey) throw new InvalidArgumentError(`ALTER TABLE ${table.name} ADD COLUMN ${c.name.name}: a column added later cannot be part of the primary key`);
      return columnDefinition(table.name, c, ctx, false);
    });
    await node.alterTable(table.name, { addColumns });
  } else {
    const dropColumns = s.action.columns.map((id: Identifier) => columnOf(table, id).name);
    await node.alterTable(table.name, { dropColumns });
  }
}

async function createIndex(s: CreateIndexStatement, ctx: PlanContext): Promise<void> {
  const node = ctx.env.node;
  const existing = node.indexes().find((i) => i.name.toLowerCase() === s.name.name.toLowerCase());
  if (existing !== undefined) {
    if (s.ifNotExists) return;
    throw new AlreadyExistsError(`Index '${existing.name}' already exists (on table '${existing.table}'); index names are unique per node`, existing.table);
  }
  const table = tableOf(node, s.table);
  const columns = s.columns.map((c) => ({ name: columnOf(table, c.name).name, ...(c.order === undefined ? {} : { order: c.order }) }));
  await node.createIndex({ name: s.name.name, table: table.name, columns, type: s.type });
  await node.awaitIndex(s.name.name);
}
