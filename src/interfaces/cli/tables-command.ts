/**
 * `aistorage zones` and `aistorage tables`: the catalog of a work dir as aligned text or JSON (table-report.ts). They
 * open the node writable (a read-only node loads no tables) but change nothing; a work dir that does not exist is
 * refused rather than created.
 */
import { statSync } from 'node:fs';
import { StorageIoError } from '../../domain/shared/errors';
import type { ColumnDefinition } from '../../domain/table/table-schema';
import type { StorageNode } from '../api/storage-node';
import type { CliIo } from './cli-io';
import { formatBytes } from './format-stats';
import { formatTable } from './inspect-command';
import { REPLICAS_NOTE, reportJson, tableReport, zoneReport, type TableReport, type ZoneReport } from './table-report';

export function zonesCommand(node: StorageNode, io: CliIo, json: boolean): void {
  const zones = zoneReport(node);
  io.out(json ? reportJson({ zones, note: REPLICAS_NOTE }) : formatZones(zones));
}

export async function tablesCommand(node: StorageNode, io: CliIo, json: boolean): Promise<void> {
  const tables = await tableReport(node);
  io.out(json ? reportJson({ tables }) : formatTables(tables));
}

/**
 * `dir`, when it is an existing directory: listing commands must not create a work dir.
 * @throws StorageIoError (WORKDIR_UNUSABLE) otherwise.
 */
export function existingWorkDir(dir: string, command: string): string {
  if (statSync(dir, { throwIfNoEntry: false })?.isDirectory() !== true) {
    throw new StorageIoError(`cannot run '${command}' on work dir '${dir}': it is not an existing directory; pass the node's work dir with -w <dir>`, 'WORKDIR_UNUSABLE');
  }
  return dir;
}

export function formatZones(zones: readonly ZoneReport[]): string {
  const rows = zones.map((z) => [
    z.name, n(z.partitions), n(z.replicas), z.storageProfiles.join(', '), z.tables.length === 0 ? '-' : z.tables.join(', '),
  ]);
  return [...formatTable(['ZONE', 'PARTITIONS', 'REPLICAS', 'STORAGE PROFILES', 'TABLES'], rows, [1, 2]), `(${REPLICAS_NOTE})`].join('\n');
}

export function formatTables(tables: readonly TableReport[]): string {
  if (tables.length === 0) return 'no tables';
  return tables.map(tableLines).map((lines) => lines.join('\n')).join('\n\n');
}

function tableLines(t: TableReport): string[] {
  const volatile = t.engine === 'aimem';
  const disk = volatile ? 'disk - (aimem: nothing on disk)' : `disk ${bytes(t.diskBytes)}`;
  const lines = [
    `table ${t.name}  zone ${t.zone}  profile ${t.storageProfile} (${t.engine})  schema v${t.schemaVersion}  rows ${n(t.rows)}  ${disk}`,
    `  primary key: ${t.primaryKey.join(', ')}`,
  ];
  const columns = t.columns.map((c) => [c.name, typeOf(c), c.nullable === false ? 'no' : 'yes', 'default' in c ? literal(c) : '']);
  lines.push(...indent(formatTable(['COLUMN', 'TYPE', 'NULLABLE', 'DEFAULT'], columns, [])));
  if (t.indexes.length === 0) {
    lines.push('  indexes: none');
  } else {
    const indexes = t.indexes.map((i) => [
      i.name, i.type, i.columns.map((c) => (i.type === 'HASH' ? c.name : `${c.name} ${c.order}`)).join(', '), i.available ? 'available' : 'building',
    ]);
    lines.push(...indent(formatTable(['INDEX', 'TYPE', 'COLUMNS', 'STATE'], indexes, [])));
  }
  const parts = t.partitions.map((p) => [String(p.id), n(p.estimatedRows), volatile ? '-' : bytes(p.diskBytes)]);
  lines.push(...indent(formatTable(['PARTITION', 'ROWS', 'BYTES'], parts, [0, 1, 2])));
  return lines;
}

function typeOf(c: ColumnDefinition): string {
  if (c.type === 'DECIMAL' && c.precision !== undefined) return `DECIMAL(${c.precision},${c.scale ?? 0})`;
  if ((c.type === 'VARCHAR' || c.type === 'VARBINARY') && c.length !== undefined) return `${c.type}(${c.length})`;
  return c.type;
}

function literal(c: ColumnDefinition): string {
  const v = c.default;
  if (v === null || v === undefined) return 'null';
  if (v instanceof Uint8Array) return `0x${Buffer.from(v).toString('hex')}`;
  if (typeof v === 'string' && c.type !== 'DECIMAL') return `'${v}'`;
  return String(v);
}

const indent = (lines: readonly string[]): string[] => lines.map((l) => `  ${l}`);
const n = (x: number): string => x.toLocaleString('en-US');
const bytes = (x: number): string => `${n(x)} (${formatBytes(x)})`;
