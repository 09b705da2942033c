/**
 * The system views, read from the node at run time: SYSTEM.ZONES, SYSTEM.TABLES, SYSTEM.COLUMNS, SYSTEM.INDEXES and
 * SYSTEM.STORAGE_PROFILES (column names as Ignite 3 spells its views). Hidden generated key columns are not listed.
 */
import type { SqlHost } from '../sql-host';
import type { Identifier, TableRef } from '../ast';
import type { ScopeColumn, ValueType } from '../semantics';
import { isHidden } from './catalog';

interface SystemView {
  readonly columns: readonly (readonly [string, ValueType])[];
  readonly rows: (node: SqlHost) => unknown[][];
}

const V = 'VARCHAR';
const VIEWS: Readonly<Record<string, SystemView>> = {
  ZONES: {
    columns: [['ZONE_NAME', V], ['ZONE_PARTITIONS', 'INT'], ['ZONE_REPLICAS', 'INT'], ['STORAGE_PROFILES', V], ['IS_DEFAULT_ZONE', 'BOOLEAN']],
    rows: (node) => node.zones().map((z) => [z.name, z.partitions, z.replicas, z.storageProfiles.join(','), z.name === 'Default']),
  },
  TABLES: {
    columns: [['SCHEMA_NAME', V], ['TABLE_NAME', V], ['ZONE_NAME', V], ['STORAGE_PROFILE', V], ['SCHEMA_VERSION', 'INT']],
    rows: (node) => node.tables().map((t) => ['PUBLIC', t.name, t.zone, t.storageProfile, t.schemaVersion]),
  },
  COLUMNS: {
    columns: [
      ['SCHEMA_NAME', V], ['TABLE_NAME', V], ['COLUMN_NAME', V], ['COLUMN_TYPE', V], ['COLUMN_ORDINAL', 'INT'],
      ['IS_NULLABLE_COLUMN', 'BOOLEAN'], ['IS_PRIMARY_KEY_COLUMN', 'BOOLEAN'], ['COLUMN_PRECISION', 'INT'], ['COLUMN_SCALE', 'INT'],
      ['COLUMN_LENGTH', 'INT'],
    ],
    rows: (node) => node.tables().flatMap((t) => t.columns.filter((c) => !isHidden(c)).map((c, i) => [
      'PUBLIC', t.name, c.name, c.type, i + 1, c.nullable !== false, t.primaryKey.includes(c.name), c.precision ?? null,
      c.scale ?? null, c.length ?? null,
    ])),
  },
  INDEXES: {
    columns: [['INDEX_NAME', V], ['TABLE_NAME', V], ['INDEX_TYPE', V], ['INDEX_COLUMNS', V], ['INDEX_STATE', V]],
    rows: (node) => node.indexes().map((i) => [
      i.name, i.table, i.type, i.columns.map((c) => (i.type === 'HASH' ? c.name : `${c.name} ${c.order}`)).join(', '),
      i.available ? 'AVAILABLE' : 'BUILDING',
    ]),
  },
  STORAGE_PROFILES: {
    columns: [['STORAGE_PROFILE', V], ['ENGINE', V]],
    rows: (node) => node.profiles().map((p) => [p.name, p.engine]),
  },
};

/**
 * The view a table reference names: `SYSTEM.ZONES` (a `schema` part when the parser gives one, else a name written
 * with the dot: `"SYSTEM.ZONES"`), matched case-insensitively.
 */
export function systemViewOf(ref: TableRef): { name: string; view: SystemView } | undefined {
  const schema = (ref as { schema?: Identifier }).schema;
  let full = ref.name.name.toUpperCase();
  if (schema !== undefined) full = `${schema.name.toUpperCase()}.${full}`;
  if (!full.startsWith('SYSTEM.')) return undefined;
  const name = full.slice('SYSTEM.'.length);
  const view = VIEWS[name];
  return view === undefined ? undefined : { name: `SYSTEM.${name}`, view };
}

export function viewColumns(view: SystemView, qualifier: string, quoted: boolean): ScopeColumn[] {
  return view.columns.map(([name, type]) => ({ table: qualifier, tableQuoted: quoted, name, type }));
}
