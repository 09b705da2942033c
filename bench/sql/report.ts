/**
 * The SQL benchmark's report: ops/s per phase and subject (median, min–max), aistorage ÷ better-sqlite3 per phase
 * (the median of the per-run ratios: run r of one subject ÷ run r of the other, bench/standard/ratios.ts), the parse
 * counts, and the targets judged on the medians.
 */
import { formatRate, row } from '../standard/report';
import {
  figureStats, formatRatio, judged, judgedLine, ratioStats, type FigureRuns, type JudgedTarget, type RatioStats,
} from '../standard/ratios';
import {
  AISTORAGE_IDS, LABELS, PEER_ID, PHASES, TEXT_CALLS, type AistorageId, type PhaseKey, type SqlFigures, type SubjectId,
} from './common';

export type SqlRuns = FigureRuns<SubjectId, SqlFigures>;
/** aistorage ÷ better-sqlite3 per phase, by aistorage id. */
export type SqlRatios = Partial<Record<AistorageId, Partial<Record<PhaseKey, RatioStats>>>>;

const count = (x: number): string => x.toLocaleString('en-US');

function rateSpread(s: RatioStats | undefined): string {
  if (s === undefined) return '–';
  return s.perRun.length < 2 || formatRate(s.min) === formatRate(s.max)
    ? formatRate(s.median) : `${formatRate(s.median)} (${formatRate(s.min)}–${formatRate(s.max)})`;
}

/** ops/s per phase (subjects as rows). */
export function opsTable(runs: SqlRuns): string {
  const lines = [row(['subject', ...PHASES.map(([, h]) => h)]), row(['---', ...PHASES.map(() => '---:')])];
  for (const [id, rs] of runs) {
    if (rs.length === 0) continue;
    lines.push(row([LABELS[id], ...PHASES.map(([k]) => rateSpread(figureStats(runs, id, k)))]));
  }
  return lines.join('\n');
}

export function sqlRatios(runs: SqlRuns): SqlRatios {
  const out: SqlRatios = {};
  for (const id of AISTORAGE_IDS) {
    const set: Partial<Record<PhaseKey, RatioStats>> = {};
    for (const [k] of PHASES) {
      const s = ratioStats(runs, id, k, PEER_ID, k);
      if (s !== undefined) set[k] = s;
    }
    if (Object.keys(set).length > 0) out[id] = set;
  }
  return out;
}

export function ratioTable(ratios: SqlRatios): string {
  const short = (h: string): string => h.replace(/ rows\/s.*|\/s.*/, '');
  const lines = [row(['÷ better-sqlite3', ...PHASES.map(([, h]) => short(h))]), row(['---', ...PHASES.map(() => '---:')])];
  for (const id of AISTORAGE_IDS) {
    const set = ratios[id];
    if (set !== undefined) lines.push(row([LABELS[id], ...PHASES.map(([k]) => formatRatio(set[k]))]));
  }
  return lines.join('\n');
}

/** The parse counts and the GROUP BY's time, one line per aistorage subject. */
export function detailLines(runs: SqlRuns): string[] {
  const out: string[] = [];
  for (const id of AISTORAGE_IDS) {
    const seen = figureStats(runs, id, 'parsesSeenText');
    const fresh = figureStats(runs, id, 'parsesFreshText');
    const cache = ratioStats(runs, id, 'sqlSeenText', id, 'sqlFreshText');
    if (seen === undefined) continue;
    out.push(`${LABELS[id]}: SqlEngine.parses over ${count(TEXT_CALLS)} sql() calls of a seen text: ${count(seen.median)}; ` +
      `of fresh texts: ${count(fresh?.median ?? 0)}; sql(seen text) ÷ sql(fresh text): ${formatRatio(cache)}`);
  }
  for (const id of [...AISTORAGE_IDS, PEER_ID] as const) {
    const ms = figureStats(runs, id, 'groupByMs');
    if (ms !== undefined) out.push(`${LABELS[id]}: one GROUP BY over N rows takes ${ms.median.toFixed(1)} ms (median)`);
  }
  return out;
}

export type Judged = [JudgedTarget, (s: RatioStats) => string];

/** The targets for each aistorage subject. */
export function targets(ratios: SqlRatios, runs: SqlRuns, n: number): Judged[] {
  const out: Judged[] = [];
  const groupNote = n < 1_000_000 ? `the issue's figure is at 1M rows (BENCH_N=1000000); this run has ${count(n)}` : undefined;
  const atLeast = (x: number) => (r: number): boolean => r >= x;
  for (const id of AISTORAGE_IDS) {
    const set = ratios[id];
    if (set === undefined) continue;
    const l = LABELS[id];
    out.push([judged(`${l}: prepared point SELECT … WHERE pk = ? ≥ 1.0 × better-sqlite3`, set.pointSelect, atLeast(1)), formatRatio]);
    out.push([judged(`${l}: INSERT of 1,000 rows per transaction (prepared, a call a row) ≥ 1.0 ×`, set.insert, atLeast(1)), formatRatio]);
    out.push([judged(`${l}: SELECT … WHERE pk BETWEEN ? AND ? ORDER BY pk LIMIT 100 ≥ 1.0 ×`, set.rangeSelect, atLeast(1)), formatRatio]);
    out.push([judged(`${l}: GROUP BY aggregate within 2 × better-sqlite3 (ratio ≥ 0.50)`, set.groupBy, atLeast(0.5), groupNote), formatRatio]);
    out.push([judged(`${l}: statement text already seen costs no re-parse (parses over ${count(TEXT_CALLS)} calls = 0)`,
      figureStats(runs, id, 'parsesSeenText'), (x) => x === 0), (s) => `${count(s.median)} parses`]);
  }
  return out;
}

export function targetLines(ts: readonly Judged[]): string[] {
  return ts.map(([t, fmt]) => judgedLine(t, fmt));
}
