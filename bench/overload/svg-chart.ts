/**
 * The overload benchmark's chart (docs/overload.svg), hand-written SVG, no dependency. One time axis for every
 * policy of one run:
 * - top: writes/s in each WINDOW_MS window, one line per policy, throttling shaded in the policy's colour — its
 *   periods (throttling.started … stopped) and, lighter, every window in which the gate delayed a closure (a closure
 *   the gate put to sleep may wake after its period ended) — the target floor (25% of SPEED_BASED's median window)
 *   dashed;
 * - lanes: each policy's checkpoint periods, throttling periods and finished compaction rounds, as bars;
 * - the gate's delays: per window, the sleep the throttle scheduled for the closures that passed its gate (ms, log
 *   scale);
 * - bottom: each policy's dirty ratio per window (sampled; above 1 when dirty pages were spilled out of the cache),
 *   SPEED_BASED's target dirty ratio dashed;
 * - the legend: per policy writes/s, latency p50 / p99 / p99.9, slowest window ÷ median, time throttled.
 */
import { TARGETS, WINDOW_MS, type Period, type PolicyResult } from './common';

const W = 1200;
const LEFT = 185;
const RIGHT = 20;
const PLOT_W = W - LEFT - RIGHT;
const COLORS: Record<string, string> = { SPEED_BASED: '#1f66b3', DISABLED: '#d1492e' };
const FONT = 'font-family="Helvetica, Arial, sans-serif"';

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const fmt = (x: number, d = 1): string => x.toFixed(d);
const colorOf = (id: string): string => COLORS[id] ?? '#555';

/** `attrs` may set its own font-size (12 otherwise). */
function text(x: number, y: number, s: string, attrs = ''): string {
  const size = attrs.includes('font-size=') ? '' : ' font-size="12"';
  const halo = 'stroke="#fff" stroke-width="3" stroke-opacity="0.8" paint-order="stroke"';
  return `<text x="${fmt(x)}" y="${fmt(y)}" ${FONT}${size} ${halo} ${attrs}>${esc(s)}</text>`;
}

/** The vertical title of a panel, left of its value axis. */
function axisTitle(f: Frame, s: string): string {
  const x = LEFT - 52;
  const y = fmt(f.top + f.height / 2);
  return text(x, f.top + f.height / 2, s, `transform="rotate(-90 ${x} ${y})" text-anchor="middle" fill="#222"`);
}

/** A round step for an axis of `max` in about `n` steps: 1, 2 or 5 × 10^k. */
function niceStep(max: number, n: number): number {
  const raw = Math.max(max, 1e-9) / n;
  const p = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw)!;
}

const millis = (ms: number): string => (ms < 1000 ? `${ms} ms` : `${ms / 1000} s`);
const rate = (x: number): string => (x >= 1000 ? `${fmt(x / 1000, x >= 10_000 ? 0 : 1)}k` : fmt(x, 0));

interface Frame {
  readonly top: number;
  readonly height: number;
  readonly seconds: number;
}

const xOf = (f: Frame, ms: number): number => LEFT + (ms / (f.seconds * 1000)) * PLOT_W;

function timeAxis(f: Frame, label: boolean): string[] {
  const out: string[] = [];
  const step = niceStep(f.seconds, 12);
  for (let s = 0; s <= f.seconds + 1e-9; s += step) {
    const x = xOf(f, s * 1000);
    out.push(`<line x1="${fmt(x)}" y1="${f.top}" x2="${fmt(x)}" y2="${f.top + f.height}" stroke="#e4e4e4"/>`);
    if (label) out.push(text(x, f.top + f.height + 15, `${Number(s.toFixed(3))} s`, 'text-anchor="middle" fill="#444"'));
  }
  return out;
}

function valueAxis(f: Frame, max: number, step: number, show: (v: number) => string): string[] {
  const out: string[] = [];
  for (let v = 0; v <= max + 1e-9; v += step) {
    const y = f.top + f.height - (v / max) * f.height;
    out.push(`<line x1="${LEFT}" y1="${fmt(y)}" x2="${LEFT + PLOT_W}" y2="${fmt(y)}" stroke="#e4e4e4"/>`);
    out.push(text(LEFT - 6, y + 4, show(v), 'text-anchor="end" fill="#444"'));
  }
  return out;
}

/** A line through one value per window (at the window's middle). */
function series(f: Frame, values: readonly number[], max: number, color: string, extra = ''): string {
  const pts = values.map((v, w) => `${fmt(xOf(f, (w + 0.5) * WINDOW_MS))},${fmt(f.top + f.height - (Math.min(v, max) / max) * f.height)}`);
  return `<polyline fill="none" stroke="${color}" stroke-width="1.3" stroke-linejoin="round" points="${pts.join(' ')}" ${extra}/>`;
}

function bars(f: Frame, periods: readonly Period[], y: number, h: number, color: string, opacity: number): string[] {
  return periods.map((p) => {
    const x = xOf(f, p.fromMs);
    const width = Math.max(0.8, xOf(f, p.toMs) - x);
    const box = `x="${fmt(x)}" y="${fmt(y)}" width="${fmt(width)}" height="${fmt(h)}"`;
    return `<rect ${box} fill="${color}" fill-opacity="${opacity}"><title>${esc(p.label)}</title></rect>`;
  });
}

function throughputPanel(f: Frame, runs: readonly PolicyResult[]): string[] {
  const perSec = 1000 / WINDOW_MS;
  const max = Math.max(1, ...runs.flatMap((r) => r.windowWrites.map((x) => x * perSec)));
  const step = niceStep(max, 5);
  const top = Math.ceil(max / step) * step;
  const out = [...timeAxis(f, true), ...valueAxis(f, top, step, rate)];
  for (const r of runs) {
    out.push(...bars(f, throttledWindows(r), f.top, f.height, colorOf(r.id), 0.06));
    out.push(...bars(f, r.throttlingPeriods, f.top, f.height, colorOf(r.id), 0.14));
  }
  // The judged policy (first) is drawn last, on top.
  for (const r of [...runs].reverse()) out.push(series(f, r.windowWrites.map((x) => x * perSec), top, colorOf(r.id), 'stroke-opacity="0.85"'));
  const speed = runs.find((r) => r.id === 'SPEED_BASED');
  if (speed !== undefined) {
    const floor = speed.figures.medianWindow * perSec * TARGETS.minSlowestToMedian;
    const y = f.top + f.height - (floor / top) * f.height;
    out.push(`<line x1="${LEFT}" y1="${fmt(y)}" x2="${LEFT + PLOT_W}" y2="${fmt(y)}" stroke="${colorOf('SPEED_BASED')}" stroke-dasharray="6 4"/>`);
    const label = `target floor: 25% of SPEED_BASED's median window (${rate(floor)}/s)`;
    out.push(text(LEFT + PLOT_W - 4, y - 5, label, `text-anchor="end" fill="${colorOf('SPEED_BASED')}"`));
  }
  out.push(axisTitle(f, 'writes/s per 100 ms window'));
  return out;
}

/** Windows in which the gate delayed at least one closure, as periods (their labels: the closures and the sleep). */
function throttledWindows(r: PolicyResult): Period[] {
  const out: Period[] = [];
  r.trace.forEach((t, w) => {
    if (t.throttledWrites === 0 && t.throttleMs === 0) return;
    const label = `window ${w}: ${t.throttledWrites} closures throttled, ${fmt(t.throttleMs, 0)} ms of sleep scheduled`;
    out.push({ fromMs: w * WINDOW_MS, toMs: (w + 1) * WINDOW_MS, label });
  });
  return out;
}

/**
 * Per window, the sleep the throttle scheduled (totalThrottleMillis added in it), as bars for each throttled policy,
 * on a log scale from 1 ms (a window's sleeps range from a few ms to minutes).
 */
function throttlePanel(f: Frame, runs: readonly PolicyResult[]): string[] {
  const decades = Math.max(1, Math.ceil(Math.log10(Math.max(10, ...runs.flatMap((r) => r.trace.map((t) => t.throttleMs))))));
  const yOf = (ms: number): number => f.top + f.height - (Math.log10(Math.max(1, ms)) / decades) * f.height;
  const out = timeAxis(f, false);
  for (let d = 0; d <= decades; d++) {
    const y = yOf(10 ** d);
    out.push(`<line x1="${LEFT}" y1="${fmt(y)}" x2="${LEFT + PLOT_W}" y2="${fmt(y)}" stroke="#e4e4e4"/>`);
    if (d % Math.ceil(decades / 3) === 0 || d === decades) out.push(text(LEFT - 6, y + 4, millis(10 ** d), 'text-anchor="end" fill="#444"'));
  }
  for (const r of runs) {
    r.trace.forEach((t, w) => {
      if (t.throttleMs <= 0) return;
      const h = Math.max(0.8, f.top + f.height - yOf(t.throttleMs));
      const x = xOf(f, w * WINDOW_MS);
      const box = `x="${fmt(x)}" y="${fmt(f.top + f.height - h)}" width="${fmt(Math.max(0.8, xOf(f, WINDOW_MS) - LEFT))}" height="${fmt(h)}"`;
      const label = `${r.id} window ${w}: ${t.throttledWrites} closures throttled, ${fmt(t.throttleMs, 0)} ms of sleep scheduled`;
      out.push(`<rect ${box} fill="${colorOf(r.id)}" fill-opacity="0.8"><title>${esc(label)}</title></rect>`);
    });
  }
  const label = 'sleep the throttle scheduled for the closures that passed its gate in each window (summed over closures; log scale)';
  out.push(text(LEFT + PLOT_W - 4, f.top - 4, label, 'text-anchor="end" font-size="11" fill="#444"'));
  out.push(axisTitle(f, 'gate sleep'));
  return out;
}

const LANE_H = 10;
const LANE_GAP = 4;

function lanes(f: Frame, runs: readonly PolicyResult[]): string[] {
  const out = timeAxis(f, false);
  let y = f.top;
  for (const r of runs) {
    const c = colorOf(r.id);
    const rows: Array<[string, readonly Period[], string, number]> = [
      ['checkpoints', r.checkpointPeriods, '#777', 0.55],
      ['throttling', r.throttlingPeriods, c, 0.8],
      ['compactions', r.compactionPeriods, '#b58900', 0.7],
    ];
    for (const [name, periods, color, opacity] of rows) {
      out.push(`<rect x="${LEFT}" y="${fmt(y)}" width="${PLOT_W}" height="${LANE_H}" fill="#f6f6f6"/>`);
      out.push(...bars(f, periods, y, LANE_H, color, opacity));
      out.push(text(LEFT - 6, y + LANE_H - 1, `${r.id} ${name} (${periods.length})`, `text-anchor="end" font-size="10.5" fill="${c}"`));
      y += LANE_H + LANE_GAP;
    }
  }
  return out;
}

const lanesHeight = (runs: readonly PolicyResult[]): number => runs.length * 3 * (LANE_H + LANE_GAP);

function dirtyPanel(f: Frame, runs: readonly PolicyResult[]): string[] {
  // Dirty pages count those spilled out of the cache: under overload without throttling the ratio passes 1.
  const top = Math.max(1, Math.ceil(Math.max(...runs.flatMap((r) => r.trace.map((t) => t.dirtyRatio))) * 2) / 2);
  const out = [...timeAxis(f, true), ...valueAxis(f, top, top > 2 ? 0.5 : 0.25, (v) => v.toFixed(2))];
  for (const r of [...runs].reverse()) out.push(series(f, r.trace.map((t) => t.dirtyRatio), top, colorOf(r.id), 'stroke-opacity="0.8"'));
  const speed = runs.find((r) => r.id === 'SPEED_BASED');
  if (speed !== undefined) {
    out.push(series(f, speed.trace.map((t) => t.targetDirtyRatio), top, colorOf('SPEED_BASED'), 'stroke-dasharray="4 3" stroke-opacity="0.6"'));
    const label = 'dirty pages ÷ cache pages, sampled each window; dashed: SPEED_BASED\'s target dirty ratio';
    out.push(text(LEFT + PLOT_W - 4, f.top - 4, label, 'text-anchor="end" font-size="11" fill="#444"'));
  }
  out.push(axisTitle(f, 'dirty ratio'));
  return out;
}

const LEGEND_LINES = 2;

function legend(x: number, y: number, runs: readonly PolicyResult[]): string[] {
  const out: string[] = [];
  runs.forEach((r, i) => {
    const f = r.figures;
    const yy = y + i * LEGEND_LINES * 16;
    out.push(`<line x1="${x}" y1="${yy - 4}" x2="${x + 24}" y2="${yy - 4}" stroke="${colorOf(r.id)}" stroke-width="3"/>`);
    out.push(text(x + 30, yy, `${r.id}: ${rate(f.writesPerSec)} writes/s (${rate(f.rowsPerSec)} rows/s); latency p50 ${fmt(f.p50Ms, 2)} / ` +
      `p99 ${fmt(f.p99Ms, 2)} / p99.9 ${fmt(f.p999Ms, 2)} ms (max ${fmt(f.maxMs, 1)})`, 'fill="#222"'));
    out.push(text(x + 30, yy + 16, `slowest window ${fmt(f.slowestToMedian, 2)} × median, ${f.emptyWindows} empty; ` +
      `throttled ${f.throttledWrites} closures, ${fmt(f.throttleMs, 0)} ms of sleep in ${f.throttlingPeriods} periods`, 'fill="#222"'));
  });
  return out;
}

/** The chart of one run's policies; `title` is the first line, `notes` lines under the legend. */
export function overloadSvg(runs: readonly PolicyResult[], title: string, notes: readonly string[]): string {
  const seconds = Math.max(...runs.map((r) => r.windowWrites.length)) * (WINDOW_MS / 1000);
  const legendTop = 44;
  const notesTop = legendTop + runs.length * LEGEND_LINES * 16 + 2;
  const main: Frame = { top: notesTop + notes.length * 15 + 20, height: 300, seconds };
  const lane: Frame = { top: main.top + main.height + 30, height: lanesHeight(runs), seconds };
  const throttle: Frame = { top: lane.top + lane.height + 26, height: 90, seconds };
  const dirty: Frame = { top: throttle.top + throttle.height + 26, height: 130, seconds };
  const height = dirty.top + dirty.height + 30;
  const parts = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${height}" viewBox="0 0 ${W} ${height}">`,
    `<rect width="${W}" height="${height}" fill="#fff"/>`,
    text(LEFT, 22, title, 'font-size="15" font-weight="bold" fill="#111"'),
    ...legend(LEFT, legendTop, runs),
    ...notes.map((n, i) => text(LEFT, notesTop + i * 15, n, 'font-size="11" fill="#555"')),
    ...throughputPanel(main, runs),
    ...lanes(lane, runs),
    ...throttlePanel(throttle, runs),
    ...dirtyPanel(dirty, runs),
    `</svg>`,
  ];
  return `${parts.join('\n')}\n`;
}
