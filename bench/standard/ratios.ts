/**
 * aistorage ÷ peer ratios per phase, taken run by run. Runs are interleaved (run r of every engine, then run r + 1),
 * so run r of aistorage and run r of a peer shared the machine's state of that moment: the ratio of the pair
 * cancels most of the shared machine's drift, which a ratio of two medians would not. The figure is the median of
 * the per-run ratios, with their min–max to show the spread.
 */
import { COLUMNS, median, row, type Column, type SubjectSummary } from './report';
import type { RunResult } from './run-result';

export interface RatioStats {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** The run indexes paired (both engines measured that run)... */
  readonly runs: number[];
  /** ...and the ratio of each pair, in the same order. */
  readonly perRun: number[];
}

/** Per phase (every column but the partition's own scan, which has no peer counterpart). */
export type RatioSet = Partial<Record<Column, RatioStats>>;

/** Ratios by aistorage id, then by peer id. */
export type RatioTable = Record<string, Record<string, RatioSet>>;

export const RATIO_COLUMNS = COLUMNS.filter(([c]) => c !== 'second scan');

export function stats(runs: number[], perRun: number[]): RatioStats | undefined {
  if (perRun.length === 0) return undefined;
  return { median: median(perRun), min: Math.min(...perRun), max: Math.max(...perRun), runs, perRun };
}

function opsOf(r: RunResult, col: Column): number | undefined {
  const t = r.phases[col];
  return t === undefined ? undefined : t.ops / t.seconds;
}

/** Pairs the runs by run index (a dropped engine simply has fewer runs). */
export function ratioSet(ai: readonly RunResult[], peer: readonly RunResult[]): RatioSet {
  const set: RatioSet = {};
  for (const [col] of RATIO_COLUMNS) {
    const runs: number[] = [];
    const perRun: number[] = [];
    for (const a of ai) {
      const p = peer.find((x) => x.run === a.run);
      const x = opsOf(a, col);
      const y = p === undefined ? undefined : opsOf(p, col);
      if (x === undefined || y === undefined || a.run === undefined) continue;
      runs.push(a.run);
      perRun.push(x / y);
    }
    const s = stats(runs, perRun);
    if (s !== undefined) set[col] = s;
  }
  return set;
}

export function ratioTable(aiIds: readonly string[], peerIds: readonly string[], runs: ReadonlyMap<string, RunResult[]>): RatioTable {
  const table: RatioTable = {};
  for (const a of aiIds) {
    table[a] = {};
    for (const p of peerIds) table[a][p] = ratioSet(runs.get(a) ?? [], runs.get(p) ?? []);
  }
  return table;
}

/** `2.31× (2.10–2.52)`; a single pair has no spread to show. */
export function formatRatio(s: RatioStats | undefined): string {
  if (s === undefined) return '–';
  const x = (v: number): string => v.toFixed(2);
  return s.perRun.length < 2 ? `${x(s.median)}×` : `${x(s.median)}× (${x(s.min)}–${x(s.max)})`;
}

/** aistorage ÷ peer per phase (> 1: aistorage is faster). */
export function ratioMarkdown(ai: SubjectSummary, peers: readonly SubjectSummary[], ratios: RatioTable): string {
  const lines = [
    row([`${ai.label} ÷ peer`, ...RATIO_COLUMNS.map(([, h]) => h.replace(/ rows\/s|\/s/, ''))]),
    row(['---', ...RATIO_COLUMNS.map(() => '---:')]),
  ];
  for (const p of peers) {
    const set = ratios[ai.id]?.[p.id] ?? {};
    lines.push(row([p.label, ...RATIO_COLUMNS.map(([c]) => formatRatio(set[c]))]));
  }
  return lines.join('\n');
}

/** Each subject's child results over the runs (a bench parent's collected results). */
export type FigureRuns<Id, F> = ReadonlyMap<Id, ReadonlyArray<{ readonly run?: number; readonly figures: F }>>;

/** Stats of one figure of one subject over its runs (`map` converts each value first). */
export function figureStats<Id, F>(runs: FigureRuns<Id, F>, id: Id, name: keyof F, map: (x: number) => number = (x) => x): RatioStats | undefined {
  const value = (f: F): number | undefined => f[name] as number | undefined;
  const rs = (runs.get(id) ?? []).filter((r) => value(r.figures) !== undefined);
  return stats(rs.map((r) => r.run!), rs.map((r) => map(value(r.figures)!)));
}

/** Per-run ratio of figure `an` of `a` to figure `bn` of `b` (the same run's results). */
export function ratioStats<Id, F>(runs: FigureRuns<Id, F>, a: Id, an: keyof F, b: Id, bn: keyof F): RatioStats | undefined {
  const pairs: number[] = [];
  const perRun: number[] = [];
  for (const x of runs.get(a) ?? []) {
    const y = (runs.get(b) ?? []).find((r) => r.run === x.run);
    const xv = x.figures[an] as number | undefined;
    const yv = y?.figures[bn] as number | undefined;
    if (xv === undefined || yv === undefined) continue;
    pairs.push(x.run!);
    perRun.push(xv / yv);
  }
  return stats(pairs, perRun);
}

/** `12.3 (11.0–14.1)` for plain figures (one run: no spread). */
export function formatSpread(s: RatioStats | undefined, digits = 1, unit = ''): string {
  if (s === undefined) return '–';
  const x = (v: number): string => v.toFixed(digits);
  return s.perRun.length < 2 || x(s.min) === x(s.max) ? `${x(s.median)}${unit}` : `${x(s.median)}${unit} (${x(s.min)}–${x(s.max)})`;
}

/** A benchmark target judged on the median of its runs (the issue-specific benches' closing lines). */
export interface JudgedTarget {
  readonly target: string;
  readonly measured?: RatioStats;
  readonly met?: boolean;
  readonly note?: string;
}

export function judged(target: string, measured: RatioStats | undefined, ok: (x: number) => boolean, note?: string): JudgedTarget {
  const base = note === undefined ? { target } : { target, note };
  return measured === undefined ? base : { ...base, measured, met: ok(measured.median) };
}

export function judgedLine(t: JudgedTarget, fmt: (s: RatioStats) => string): string {
  const note = t.note === undefined ? '' : ` — ${t.note}`;
  if (t.measured === undefined) return `${t.target}: not measured in this run${note}`;
  return `${t.target}: ${fmt(t.measured)} — ${t.met === true ? 'met' : 'NOT met'}${note}`;
}
