/**
 * The tables benchmark's report: ops/s per phase, the level-2 ÷ level-3 ratios (median of the per-run ratios, min–max,
 * each judged against the issue's 70%), the durable-commit figures beside better-sqlite3, and the issue's targets.
 * Every ratio pairs run r of one subject with run r of the other (bench/standard/ratios.ts).
 */
import { formatRate, median, row, summarize, type SubjectSummary } from '../standard/report';
import {
  RATIO_COLUMNS, figureStats, formatRatio, formatSpread, judged, judgedLine, ratioSet, ratioStats,
  type JudgedTarget, type RatioSet, type RatioStats,
} from '../standard/ratios';
import type { RunResult } from '../standard/run-result';
import { CONCURRENT_COMMITS, CONCURRENT_SECONDS, CONCURRENT_WRITERS, SINGLE_COMMITS } from '../delta-log/common';
import { LABELS, LEVEL3_OF, type CommitFigures, type CommitId, type CommitResult, type PhaseId } from './common';

/** The issue's targets. */
export const LEVEL_RATIO_TARGET = 0.7;
export const CONCURRENT_TARGET = 20_000;

export type PhaseRuns = ReadonlyMap<PhaseId, RunResult[]>;
export type CommitRuns = ReadonlyMap<CommitId, CommitResult[]>;

/** Level-2 ÷ level-3 ratio sets by level-2 id. */
export type LevelRatios = Partial<Record<keyof typeof LEVEL3_OF, RatioSet>>;

const count = (x: number): string => x.toLocaleString('en-US');

export function phaseSummaries(ids: readonly PhaseId[], runs: PhaseRuns): SubjectSummary[] {
  return ids.filter((id) => (runs.get(id) ?? []).length > 0).map((id) => summarize(id, runs.get(id)!));
}

/** ops/s per phase; a line measured over fewer than `runs` runs (the extra lines) says so. */
export function opsTable(summaries: readonly SubjectSummary[], runs: number): string {
  const lines = [row(['subject', ...RATIO_COLUMNS.map(([, h]) => h)]), row(['---', ...RATIO_COLUMNS.map(() => '---:')])];
  for (const s of summaries) {
    const label = s.runs === runs ? s.label : `${s.label} — ${s.runs} run`;
    lines.push(row([label, ...RATIO_COLUMNS.map(([c]) => formatRate(s.opsPerSecond[c]))]));
  }
  return lines.join('\n');
}

export function levelRatios(runs: PhaseRuns): LevelRatios {
  const out: LevelRatios = {};
  for (const [l2, l3] of Object.entries(LEVEL3_OF) as Array<[keyof typeof LEVEL3_OF, PhaseId]>) {
    const a = runs.get(l2) ?? [];
    const b = runs.get(l3) ?? [];
    if (a.length > 0 && b.length > 0) out[l2] = ratioSet(a, b);
  }
  return out;
}

const verdict = (s: RatioStats | undefined): string => (s === undefined ? '–' : `${formatRatio(s)} ${s.median >= LEVEL_RATIO_TARGET ? 'met' : '**NOT met**'}`);

/** Level 2 ÷ level 3 per phase and engine, each cell with its verdict against 70%. */
export function levelRatioTable(ratios: LevelRatios): string {
  const lines = [row(['level 2 ÷ level 3', ...RATIO_COLUMNS.map(([, h]) => h.replace(/ rows\/s|\/s/, ''))]), row(['---', ...RATIO_COLUMNS.map(() => '---:')])];
  for (const [l2, set] of Object.entries(ratios) as Array<[keyof typeof LEVEL3_OF, RatioSet]>) {
    lines.push(row([`${LABELS[l2]} ÷ ${LABELS[LEVEL3_OF[l2]]}`, ...RATIO_COLUMNS.map(([c]) => verdict(set[c]))]));
  }
  return lines.join('\n');
}

/** The extra 25-partition lines ÷ the level-3 median of their engine (they ran once: no pairing, for information). */
export function extraRatioLines(summaries: readonly SubjectSummary[]): string[] {
  const byId = new Map(summaries.map((s) => [s.id, s]));
  const pairs: Array<[PhaseId, PhaseId]> = [['l2-aimem-p25', 'l3-aimem'], ['l2-aipersist-p25', 'l3-aipersist']];
  const out: string[] = [];
  for (const [extra, l3] of pairs) {
    const a = byId.get(extra);
    const b = byId.get(l3);
    if (a === undefined || b === undefined) continue;
    const cells = RATIO_COLUMNS.map(([c, h]) => {
      const x = a.opsPerSecond[c];
      const y = b.opsPerSecond[c];
      return `${h.replace(/ rows\/s|\/s/, '')} ${x === undefined || y === undefined ? '–' : `${(x / y).toFixed(2)}×`}`;
    });
    out.push(`${a.label} ÷ ${b.label} (median): ${cells.join(', ')}`);
  }
  return out;
}

/** Rates as formatRate does (`45.7k`), with the spread. */
function formatRateSpread(s: RatioStats | undefined): string {
  if (s === undefined) return '–';
  return s.perRun.length < 2 || formatRate(s.min) === formatRate(s.max)
    ? formatRate(s.median) : `${formatRate(s.median)} (${formatRate(s.min)}–${formatRate(s.max)})`;
}

export function commitTable(ids: readonly CommitId[], runs: CommitRuns): string {
  const fs = (id: CommitId, name: keyof CommitFigures): RatioStats | undefined => figureStats(runs, id, name);
  const ms = (id: CommitId, name: keyof CommitFigures): string => formatSpread(fs(id, name), 2);
  const lines = [
    row(['subject', `1 writer: commits/s`, 'p50 ms', 'p99 ms', `${CONCURRENT_WRITERS} writers: commits/s`, 'commits', 'p50 ms', 'p99 ms']),
    row(['---', '---:', '---:', '---:', '---:', '---:', '---:', '---:']),
  ];
  for (const id of ids.filter((x) => (runs.get(x) ?? []).length > 0)) {
    lines.push(row([LABELS[id], formatRateSpread(fs(id, 'singleCommitsPerSec')), ms(id, 'singleP50Ms'), ms(id, 'singleP99Ms'),
      formatRateSpread(fs(id, 'concurrentCommitsPerSec')), formatSpread(fs(id, 'concurrentCommits'), 0), ms(id, 'concurrentP50Ms'), ms(id, 'concurrentP99Ms')]));
  }
  return lines.join('\n');
}

export function commitHeader(runs: number): string {
  return `${count(SINGLE_COMMITS)} sequential single-row durable commits, then ${CONCURRENT_WRITERS} concurrent writers on distinct rows ` +
    `until ${count(CONCURRENT_COMMITS)} commits or ${CONCURRENT_SECONDS} s (median (min–max) of ${runs})`;
}

export function commitRatios(runs: CommitRuns): Record<string, RatioStats | undefined> {
  return {
    singleL2VsSqlite: ratioStats(runs, 'commits-l2', 'singleCommitsPerSec', 'commits-sqlite', 'singleCommitsPerSec'),
    singleL2p25VsSqlite: ratioStats(runs, 'commits-l2-p25', 'singleCommitsPerSec', 'commits-sqlite', 'singleCommitsPerSec'),
    singleL2VsL3: ratioStats(runs, 'commits-l2', 'singleCommitsPerSec', 'commits-l3', 'singleCommitsPerSec'),
    concurrentL2VsL3: ratioStats(runs, 'commits-l2', 'concurrentCommitsPerSec', 'commits-l3', 'concurrentCommitsPerSec'),
    concurrentL2p25VsL3: ratioStats(runs, 'commits-l2-p25', 'concurrentCommitsPerSec', 'commits-l3', 'concurrentCommitsPerSec'),
  };
}

export const COMMIT_RATIO_ROWS: ReadonlyArray<[string, string]> = [
  ['singleL2VsSqlite', '1 writer: level 2 (1 partition) ÷ better-sqlite3'],
  ['singleL2p25VsSqlite', '1 writer: level 2 (25 partitions) ÷ better-sqlite3'],
  ['singleL2VsL3', '1 writer: level 2 (1 partition) ÷ level 3 runDurably'],
  ['concurrentL2VsL3', `${CONCURRENT_WRITERS} writers: level 2 (1 partition) ÷ level 3 runDurably`],
  ['concurrentL2p25VsL3', `${CONCURRENT_WRITERS} writers: level 2 (25 partitions) ÷ level 3 runDurably`],
];

/** The issue's targets: one line per engine and phase, then the two durable-commit ones (1 and 25 partitions). */
export function targets(ratios: LevelRatios, commits: Record<string, RatioStats | undefined>, runs: CommitRuns): Array<[JudgedTarget, (s: RatioStats) => string]> {
  const out: Array<[JudgedTarget, (s: RatioStats) => string]> = [];
  for (const [l2, set] of Object.entries(ratios) as Array<[keyof typeof LEVEL3_OF, RatioSet]>) {
    for (const [c] of RATIO_COLUMNS) {
      out.push([judged(`${LABELS[l2]}, ${c} ≥ ${LEVEL_RATIO_TARGET * 100}% of level 3`, set[c], (x) => x >= LEVEL_RATIO_TARGET), formatRatio]);
    }
  }
  out.push([judged('single-row durable transactions, level 2 aipersist (1 partition) ≥ better-sqlite3 (WAL, FULL)', commits.singleL2VsSqlite, (x) => x >= 1), formatRatio]);
  out.push([judged('single-row durable transactions, level 2 aipersist (25 partitions) ≥ better-sqlite3 (WAL, FULL)', commits.singleL2p25VsSqlite, (x) => x >= 1), formatRatio]);
  const rate = (s: RatioStats): string => `${formatRateSpread(s)} commits/s`;
  for (const [id, what] of [['commits-l2', '1 partition'], ['commits-l2-p25', '25 partitions']] as const) {
    out.push([judged(`${CONCURRENT_WRITERS} concurrent writers on distinct rows, level 2 aipersist (${what}) ≥ ${count(CONCURRENT_TARGET)} commits/s`,
      figureStats(runs, id, 'concurrentCommitsPerSec'), (x) => x >= CONCURRENT_TARGET), rate]);
  }
  return out;
}

export function targetLines(ts: ReadonlyArray<[JudgedTarget, (s: RatioStats) => string]>): string[] {
  return ts.map(([t, fmt]) => judgedLine(t, fmt));
}

/** Median of each commit figure per subject (for the results JSON). */
export function commitMedians(runs: CommitRuns): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const [id, rs] of runs) {
    if (rs.length === 0) continue;
    const names = new Set(rs.flatMap((r) => Object.keys(r.figures) as Array<keyof CommitFigures>));
    out[id] = Object.fromEntries([...names].map((n) => [n, median(rs.map((r) => r.figures[n]).filter((x): x is number => x !== undefined))]));
  }
  return out;
}
