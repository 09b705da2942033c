/**
 * What `aistorage zones` and `aistorage tables` report of an open, writable node: the catalog's zones, and each table
 * with its columns, key, indexes, row count and, per partition, its estimated rows and bytes on disk. Plain data; the
 * only values JSON cannot carry as they are are column defaults (bigint, Uint8Array: see `reportJson`).
 *
 * Sizes on disk are the files under `<workDir>/db/table-<id>/` (aipersist): a partition's main and delta files, and for
 * the table every file there (index descriptor files too). aimem tables keep nothing on disk: 0.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { OpenTable } from '../../application/tables/open-table';
import type { ColumnDefinition } from '../../domain/table/table-schema';
import type { EngineName } from '../../domain/storage/storage-engine.api';
import type { StorageNode } from '../api/storage-node';

/** What this build keeps of each partition, whatever a zone's `replicas` says (README "Zones"). */
export const REPLICAS_NOTE = 'replicas is recorded only: this build keeps one copy of each partition';

export interface ZoneReport {
  readonly name: string;
  readonly partitions: number;
  readonly replicas: number;
  readonly storageProfiles: readonly string[];
  /** Names of the zone's tables. */
  readonly tables: readonly string[];
}

export interface IndexReport {
  readonly name: string;
  readonly type: 'SORTED' | 'HASH';
  readonly columns: readonly { readonly name: string; readonly order: 'ASC' | 'DESC' }[];
  /** False while the index is being built. */
  readonly available: boolean;
}

export interface PartitionReport {
  readonly id: number;
  /** Live committed rows as the partition counts them (MvPartitionStorage.estimatedSize()). */
  readonly estimatedRows: number;
  /** Bytes of the partition's main and delta files; 0 on aimem. */
  readonly diskBytes: number;
}

export interface TableReport {
  readonly name: string;
  readonly zone: string;
  readonly storageProfile: string;
  readonly engine: EngineName;
  readonly schemaVersion: number;
  readonly columns: readonly ColumnDefinition[];
  readonly primaryKey: readonly string[];
  readonly indexes: readonly IndexReport[];
  /** Rows visible now (counted by a read-only transaction). */
  readonly rows: number;
  /** Bytes of every file of the table; 0 on aimem. */
  readonly diskBytes: number;
  readonly partitions: readonly PartitionReport[];
}

/** @throws StorageError (READ_ONLY) on a read-only node: its catalog is not loaded. */
export function zoneReport(node: StorageNode): ZoneReport[] {
  const tables = node.tables();
  return node.zones().map((z) => ({
    name: z.name, partitions: z.partitions, replicas: z.replicas, storageProfiles: [...z.storageProfiles],
    tables: tables.filter((t) => t.zone === z.name).map((t) => t.name),
  }));
}

/** Counts every table's rows (a full scan each): for a command line, not for a hot path. */
export async function tableReport(node: StorageNode): Promise<TableReport[]> {
  const engines = new Map(node.profiles().map((p) => [p.name, p.engine]));
  const indexes = node.indexes();
  const out: TableReport[] = [];
  for (const t of node.tables()) {
    const engine = engines.get(t.storageProfile) ?? 'aipersist';
    const open = openTableOf(node, t.name);
    const files = engine === 'aipersist' && node.workDir !== null ? tableFiles(node.workDir, open.state.id) : null;
    const partitions = open.partitions.map((p) => ({
      id: p.id, estimatedRows: p.mv.estimatedSize(), diskBytes: files?.partitions.get(p.id) ?? 0,
    }));
    out.push({
      name: t.name, zone: t.zone, storageProfile: t.storageProfile, engine, schemaVersion: t.schemaVersion,
      columns: t.columns, primaryKey: t.primaryKey,
      indexes: indexes.filter((i) => i.table === t.name).map((i) => ({ name: i.name, type: i.type, columns: i.columns, available: i.available })),
      rows: await node.table(t.name).count(), diskBytes: files?.total ?? 0, partitions,
    });
  }
  return out;
}

/** The open table behind a name (its catalog id and partitions). The node must stay open while the result is used. */
function openTableOf(node: StorageNode, name: string): OpenTable {
  return node.openTable(name);
}

const PARTITION_FILE = /^part-(\d+)(?:-delta-\d+)?\.bin$/;

/** Bytes of a table's files: per partition (main and delta files) and in all; zeros before its first checkpoint. */
function tableFiles(workDir: string, tableId: number): { partitions: Map<number, number>; total: number } {
  const dir = join(workDir, 'db', `table-${tableId}`);
  const partitions = new Map<number, number>();
  let total = 0;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { partitions, total };
    throw e;
  }
  for (const name of names) {
    const bytes = statSync(join(dir, name), { throwIfNoEntry: false })?.size ?? 0;
    total += bytes;
    const part = PARTITION_FILE.exec(name);
    if (part !== null) partitions.set(Number(part[1]), (partitions.get(Number(part[1])) ?? 0) + bytes);
  }
  return { partitions, total };
}

/** A report as JSON: bigints as decimal strings, byte arrays as hex strings. */
export function reportJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'bigint') return v.toString();
    if (v instanceof Uint8Array) return Buffer.from(v).toString('hex');
    return v;
  }, 2);
}
