/**
 * Medians over runs, the markdown tables of ops/s per phase and of memory, and the results JSON (the ratios of
 * aistorage to each peer: ratios.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { machine } from '../machine';
import type { PhaseTiming, RunResult } from './run-result';
import type { StoreMemory } from './subject';
import { KEY_SIZE, VALUE_SIZE } from './workload';

export const COLUMNS = [
  ['insert', 'insert rows/s'],
  ['point read', 'point read/s'],
  ['full scan', 'full scan rows/s'],
  ['second scan', 'partition scan rows/s'],
  ['range scan', 'range scans/s'],
  ['update', 'update rows/s'],
  ['delete', 'delete rows/s'],
] as const;
export type Column = (typeof COLUMNS)[number][0];

export interface SubjectSummary {
  readonly id: string;
  readonly label: string;
  readonly runs: number;
  /** Median ops/s per phase over the runs. */
  readonly opsPerSecond: Partial<Record<Column, number>>;
  readonly peakRssBytes: number;
  /** Highest end-of-phase RSS minus the RSS before the store was opened: roughly the store's footprint. */
  readonly rssGrowthBytes: number;
  readonly memoryAfterInsert: StoreMemory | null;
  readonly memoryAfterDelete: StoreMemory | null;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function summarize(id: string, runs: readonly RunResult[]): SubjectSummary {
  const opsPerSecond: Partial<Record<Column, number>> = {};
  for (const [col] of COLUMNS) {
    const xs = runs.map((r) => r.phases[col]).filter((t): t is PhaseTiming => t !== undefined).map((t) => t.ops / t.seconds);
    if (xs.length > 0) opsPerSecond[col] = median(xs);
  }
  const mid = runs[runs.length >> 1]!;
  return {
    id,
    label: runs[0]!.label,
    runs: runs.length,
    opsPerSecond,
    peakRssBytes: median(runs.map((r) => r.peakRss)),
    rssGrowthBytes: median(runs.map((r) => r.maxPhaseRss - r.baselineRss)),
    memoryAfterInsert: mid.memoryAfterInsert,
    memoryAfterDelete: mid.memoryAfterDelete,
  };
}

/** 1234567 → "1.23M", 45678 → "45.7k", 812 → "812". */
export function formatRate(x: number | undefined): string {
  if (x === undefined) return '–';
  const unit = (v: number, suffix: string): string => `${v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)}${suffix}`;
  if (x >= 1e6) return unit(x / 1e6, 'M');
  if (x >= 1e3) return unit(x / 1e3, 'k');
  return unit(x, '');
}

const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);

/** One markdown table row. */
export function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

export function opsTable(subjects: readonly SubjectSummary[]): string {
  const lines = [row(['engine', ...COLUMNS.map(([, h]) => h)]), row(['---', ...COLUMNS.map(() => '---:')])];
  for (const s of subjects) lines.push(row([s.label, ...COLUMNS.map(([c]) => formatRate(s.opsPerSecond[c]))]));
  return lines.join('\n');
}

export function memoryTable(subjects: readonly SubjectSummary[]): string {
  const lines = [row(['engine', 'peak RSS MB', 'store RSS MB (max phase-end RSS − baseline)']), row(['---', '---:', '---:'])];
  for (const s of subjects) lines.push(row([s.label, mb(s.peakRssBytes), mb(s.rssGrowthBytes)]));
  return lines.join('\n');
}

export function rawBytes(n: number): number {
  return n * (KEY_SIZE + VALUE_SIZE);
}

/** The region line of an aistorage subject: allocated pages vs raw data, after insert and after the deletes. */
export function regionLine(s: SubjectSummary, n: number): string {
  const raw = rawBytes(n);
  const part = (when: string, m: StoreMemory | null, rows: number): string => {
    if (m === null) return `${when}: no region stats`;
    const rawNow = rows * (KEY_SIZE + VALUE_SIZE);
    return `${when}: allocated ${mb(m.allocatedBytes)} MB = ${(m.allocatedBytes / rawNow).toFixed(2)} × raw ` +
      `(${mb(rawNow)} MB), segments ${mb(m.totalBytes)} MB`;
  };
  return `${s.label} (page ${s.memoryAfterInsert?.pageSize ?? '?'} B), raw = N × (8 + 100) = ${mb(raw)} MB — ` +
    `${part('after insert', s.memoryAfterInsert, n)}; ${part('after deletes', s.memoryAfterDelete, n - Math.floor(n / 10))}`;
}

export function writeJson(path: string, data: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(data, null, 2)}\n`);
}

/** What every results file starts with: the benchmark, when, the Node version, the source and machine, N and runs. */
export function resultsHeader(benchmark: string, n: number, runs: number): Record<string, unknown> {
  const measuredOn = machine();
  return { benchmark, date: new Date().toISOString(), node: process.version, source: measuredOn.source, machine: measuredOn, n, runs };
}

/** The notes after a run of child processes: the source changed between runs (`which` runs), subjects dropped. */
export function printRunNotes(commits: ReadonlySet<string | undefined>, dropped: Iterable<readonly [string, string]>, which = 'runs'): void {
  if (commits.size > 1) console.log(`\nnote: the source changed during the run; ${which} measured ${[...commits].join(', ')}`);
  for (const [id, why] of dropped) console.log(`note: ${id} was dropped — ${why.split('\n')[0]}`);
}
