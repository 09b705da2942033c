/**
 * What the SQL engine uses of the node: its tables level (NodeTables), profiles and clock. StorageNode is one; the SQL
 * code depends on this interface, not on StorageNode, so that the node can offer `sql()` without an import cycle.
 */
import type { NodeTables } from '../api/node-tables';
import type { HybridClock } from '../../domain/storage/hybrid-timestamp';

export type SqlHost = Pick<
  NodeTables,
  | 'catalogChanges$' | 'createZone' | 'alterZone' | 'dropZone' | 'zones' | 'createTable' | 'dropTable' | 'alterTable'
  | 'tables' | 'createIndex' | 'dropIndex' | 'indexes' | 'awaitIndex' | 'table' | 'openTable' | 'transaction' | 'latestRow' | 'scanNow'
> & {
  readonly clock: HybridClock;
  /** The storage profiles: name and engine. */
  profiles(): readonly { readonly name: string; readonly engine: string }[];
};
