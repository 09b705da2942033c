/**
 * `aistorage inspect`: an offline, read-only picture of a work dir that no node holds — tables, partitions, their
 * main and delta files with page counts and sizes, index descriptor files, the delta log's segments and records,
 * totals (work-dir-inspector.ts). Writes nothing into the work dir: files are read through a ReadOnlyFileIo.
 */
import { NodeFileIo } from '../../infrastructure/fs/node-file-io';
import { ReadOnlyFileIo } from '../../infrastructure/fs/read-only-file-io';
import type { LogInfo, TableInfo, WorkDirInventory } from '../../infrastructure/store/work-dir-inspector';
import { inspectWorkDir } from '../../infrastructure/store/work-dir-inspector';
import { checkOfflineWorkDir } from '../../infrastructure/workdir/offline-work-dir';
import type { CliIo } from './cli-io';
import { formatBytes } from './format-stats';

/** @throws StorageIoError (WORKDIR_UNUSABLE) for a missing work dir; WorkDirLockedError (WORKDIR_LOCKED) while a node holds it. */
export function inspectCommand(workDir: string, io: CliIo, json: boolean): void {
  const dir = checkOfflineWorkDir(workDir, 'inspect');
  const inventory = inspectWorkDir(new ReadOnlyFileIo(new NodeFileIo()), dir);
  io.out(json ? JSON.stringify(inventory, null, 2) : formatInventory(inventory));
}

export function formatInventory(inv: WorkDirInventory): string {
  const t = inv.totals;
  const lines = [
    `work dir ${inv.workDir}`,
    `${t.tables} table(s), ${t.partitions} partition(s), ${t.pageFiles} page file(s) with ${n(t.pages)} pages: ` +
      `db ${formatBytes(t.dbBytes)}, log ${formatBytes(t.logBytes)}, total ${formatBytes(t.bytes)}`,
  ];
  if (inv.tables.length > 0) lines.push('', ...tableLines(inv.tables));
  lines.push('', ...(inv.log === null ? ['log: none (no log directory)'] : logLines(inv.log)));
  return lines.join('\n');
}

function tableLines(tables: readonly TableInfo[]): string[] {
  const rows: string[][] = [];
  for (const t of tables) {
    if (t.indexFile !== null) rows.push([String(t.id), '-', t.indexFile.name, '', bytes(t.indexFile.bytes), 'index descriptors']);
    for (const f of t.otherFiles) rows.push([String(t.id), '-', f.name, '', bytes(f.bytes), f.name.endsWith('.tmp') ? 'leftover of a crash' : '']);
    for (const p of t.partitions) {
      const destroying = t.destroying || p.destroying ? 'being destroyed; ' : '';
      if (p.main !== null) {
        const note = p.main.headerProblem ?? `${p.main.pageSize} B pages`;
        rows.push([String(t.id), String(p.id), p.main.name, count(p.main.pages), bytes(p.main.bytes), destroying + note]);
      }
      for (const d of p.deltas) {
        const note = d.headerProblem ?? `checkpoint ${d.checkpoint}, partition pages ${d.partitionPages}`;
        rows.push([String(t.id), String(p.id), d.name, count(d.pages), bytes(d.bytes), destroying + note]);
      }
    }
  }
  return formatTable(['TABLE', 'PART', 'FILE', 'PAGES', 'BYTES', 'NOTE'], rows, [3, 4]);
}

function logLines(log: LogInfo): string[] {
  const records = log.records === null ? 'records unknown' : `${n(log.records)} record(s)`;
  const span = log.firstPosition === null ? '' : ` at positions ${n(log.firstPosition)}..${n(log.lastPosition ?? 0)}`;
  const lines = [`log ${log.path}: ${log.segments.length} segment(s), ${log.spares.length} spare(s), ${records}${span}, ${formatBytes(log.bytes)}`];
  if (log.scanProblem !== null) lines.push(`  the scan stopped: ${log.scanProblem.message}`);
  const rows: string[][] = [];
  for (const s of log.segments) rows.push([s.name, s.firstPosition === null ? '-' : n(s.firstPosition), bytes(s.bytes), '']);
  for (const f of log.spares) rows.push([f.name, '-', bytes(f.bytes), 'spare']);
  for (const f of log.otherFiles) rows.push([f.name, '-', bytes(f.bytes), '']);
  if (rows.length > 0) lines.push(...formatTable(['LOG FILE', 'FIRST POSITION', 'BYTES', 'NOTE'], rows, [1, 2]));
  return lines;
}

/** Columns padded to their widest cell (right-aligned where asked), two spaces apart; trailing blanks trimmed. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[], rightAligned: readonly number[]): string[] {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((cell, c) => (rightAligned.includes(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)];
}

const n = (x: number): string => x.toLocaleString('en-US');
const count = (x: number | null): string => (x === null ? '?' : n(x));
const bytes = (x: number): string => `${n(x)} (${formatBytes(x)})`;
