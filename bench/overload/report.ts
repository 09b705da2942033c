/**
 * The overload benchmark's printed report: the figures table of both policies (median over the runs), the
 * metrics-overhead item, and the issue's targets judged on SPEED_BASED (met / NOT met, as bench/standard/ratios.ts
 * judges every bench's targets).
 */
import { formatRate, median, row } from '../standard/report';
import { figureStats, formatSpread, judged, judgedLine, ratioStats, stats, type JudgedTarget, type RatioStats } from '../standard/ratios';
import { POLICIES, TARGETS, type Policy, type PolicyFigures, type PolicyResult, type ScrapeResult } from './common';

export type PolicyRuns = Map<Policy, PolicyResult[]>;

type Name = keyof PolicyFigures;

/** The median of one figure of one policy over the runs ('–' when not measured). */
function med(runs: PolicyRuns, p: Policy, name: Name): number | undefined {
  const xs = (runs.get(p) ?? []).map((r) => r.figures[name]);
  return xs.length === 0 ? undefined : median(xs);
}

const num = (x: number | undefined, d = 2): string => (x === undefined ? '–' : x.toFixed(d));
const int = (x: number | undefined): string => (x === undefined ? '–' : Math.round(x).toLocaleString('en-US'));

/** Rows of the figures table: label, then one cell per policy. */
function tableRows(runs: PolicyRuns): Array<[string, (p: Policy) => string]> {
  const m = (p: Policy, n: Name): number | undefined => med(runs, p, n);
  const ints = (p: Policy, ...names: Name[]): string => names.map((n) => int(m(p, n))).join(' / ');
  return [
    ['writes (closures) in the phase (writes/s)', (p) => `${int(m(p, 'writes'))} (${formatRate(m(p, 'writesPerSec'))})`],
    ['row updates/s (rows per write)', (p) => `${formatRate(m(p, 'rowsPerSec'))} (${int(m(p, 'rowsPerWrite'))})`],
    ['100 ms windows: count / min / median / max', (p) => ints(p, 'windows', 'minWindow', 'medianWindow', 'maxWindow')],
    ['windows without a write', (p) => int(m(p, 'emptyWindows'))],
    ['slowest window ÷ median window', (p) => num(m(p, 'slowestToMedian'))],
    ['write latency p50 / p99 / p99.9 / max, ms',
      (p) => `${num(m(p, 'p50Ms'), 3)} / ${num(m(p, 'p99Ms'))} / ${num(m(p, 'p999Ms'))} / ${num(m(p, 'maxMs'), 1)}`],
    ['checkpoints (pages written)', (p) => `${int(m(p, 'checkpoints'))} (${int(m(p, 'checkpointPages'))})`],
    ['throttling periods / throttled writes / time throttled, ms', (p) => ints(p, 'throttlingPeriods', 'throttledWrites', 'throttleMs')],
    ['checkpoint-buffer-full fallbacks / spill writes / cache misses', (p) => ints(p, 'bufferFullFallbacks', 'spillWrites', 'cacheMisses')],
    ['longest gap between two completions, ms', (p) => num(m(p, 'longestGapMs'), 1)],
    ['event-loop delay p99 / max, ms', (p) => `${num(m(p, 'loopDelayP99Ms'), 1)} / ${num(m(p, 'loopDelayMaxMs'), 1)}`],
  ];
}

export function printFigures(runs: PolicyRuns, count: number): void {
  console.log(`\n### figures per policy (${count === 1 ? 'one run' : `median of ${count} runs`})\n`);
  const present = POLICIES.filter((p) => (runs.get(p) ?? []).length > 0);
  console.log(row(['figure', ...present]));
  console.log(row(['---', ...present.map(() => '---:')]));
  for (const [label, cell] of tableRows(runs)) console.log(row([label, ...present.map(cell)]));
}

export function printScrape(scrapes: readonly ScrapeResult[]): void {
  if (scrapes.length === 0) return;
  console.log('\n### metrics overhead: node.metricsText() every 100 ms vs not ' +
    '(cache-resident updates, 1 s slices: plain, scraped, scraped, plain, ...)\n');
  for (const s of scrapes) {
    const groups = s.groupRatios.map((g) => g.toFixed(3)).join(', ');
    console.log(`- run ${(s.run ?? 0) + 1}: plain ${formatRate(s.plainWritesPerSec)}/s, scraped ${formatRate(s.scrapedWritesPerSec)}/s; ` +
      `scraped ÷ plain = ${s.ratio.toFixed(3)} (groups of four slices: ${groups}); ${s.scrapes} scrapes, ` +
      `${s.scrapeMsMean.toFixed(2)} ms and ${(s.metricsTextBytes / 1024).toFixed(1)} KiB each`);
  }
}

export function scrapeStats(scrapes: readonly ScrapeResult[]): RatioStats | undefined {
  return stats(scrapes.map((s) => s.run ?? 0), scrapes.map((s) => s.ratio));
}

/** The issue's targets, judged on SPEED_BASED's median over the runs; DISABLED's figure in the note. */
export function judgeTargets(runs: PolicyRuns, scrapes: readonly ScrapeResult[]): Array<{ target: JudgedTarget; line: string }> {
  const s = (n: Name): RatioStats | undefined => figureStats(runs, 'SPEED_BASED', n);
  const disabled = (n: Name, d: number): string => `DISABLED: ${num(med(runs, 'DISABLED', n), d)}`;
  const throughput = ratioStats(runs, 'SPEED_BASED', 'writesPerSec', 'DISABLED', 'writesPerSec');
  const neverThrottled = med(runs, 'SPEED_BASED', 'throttledWrites') === 0
    ? 'SPEED_BASED throttled no write: both policies ran the same code, the ratio is the machine\'s run-to-run noise' : undefined;
  const plain = (d: number, unit = '') => (x: RatioStats): string => formatSpread(x, d, unit);
  const ratio = (x: RatioStats): string => formatSpread(x, 3, '×');
  const { minSlowestToMedian, maxP999Ms, minThroughputVsDisabled, minScrapedVsPlain } = TARGETS;
  const list: Array<[JudgedTarget, (x: RatioStats) => string]> = [
    [judged('SPEED_BASED: no 100 ms window without writes (empty windows = 0)', s('emptyWindows'), (x) => x === 0,
      disabled('emptyWindows', 0)), plain(0, ' empty')],
    [judged(`SPEED_BASED: slowest window ≥ ${minSlowestToMedian * 100}% of the median window`, s('slowestToMedian'),
      (x) => x >= minSlowestToMedian, disabled('slowestToMedian', 2)), plain(2, ' × median')],
    [judged(`SPEED_BASED: p99.9 write latency ≤ ${maxP999Ms} ms`, s('p999Ms'), (x) => x <= maxP999Ms, disabled('p999Ms', 2)),
      plain(2, ' ms')],
    [judged('SPEED_BASED: writes over the whole phase ≥ DISABLED\'s (ratio ≥ 1)', throughput, (x) => x >= minThroughputVsDisabled,
      neverThrottled), ratio],
    [judged(`metrics scraped every 100 ms ÷ not scraped ≥ ${minScrapedVsPlain}`, scrapeStats(scrapes), (x) => x >= minScrapedVsPlain),
      ratio],
  ];
  return list.map(([target, f]) => ({ target, line: judgedLine(target, f) }));
}
