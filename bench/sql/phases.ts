/**
 * The SQL benchmark's phases on one subject, each timed on its own (after a gc), in this order: INSERT into t;
 * point selects of every key; 10,000 range selects; the GROUP BY (repeated until GROUP_BY_MIN_SECONDS); TEXT_CALLS
 * `sql(text)` calls of one text already seen, then of a fresh text each; the multi-row INSERT into t2; and, untimed,
 * aistorage's parse counts. Untimed checks between them (values, row counts, GROUP BY totals) make a fast but wrong
 * subject fail loudly.
 */
import { RANGE_LEN, RANGE_SCANS } from '../standard/workload';
import { median } from '../standard/report';
import {
  GROUP_BY_MAX_REPEATS, GROUP_BY_MIN_SECONDS, GROUPS, SQL, TEXT_CALLS, valueText, type SqlFigures, type SqlSubject, type SqlWorkload,
} from './common';

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

/** Seconds `body` took, and what it returned. */
async function timed<T>(body: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  gc();
  const t0 = process.hrtime.bigint();
  const value = await body();
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, value };
}

function expect(what: string, got: unknown, want: unknown): void {
  if (got !== want) throw new Error(`${what}: got ${String(got)}, expected ${String(want)}`);
}

/** Compares about 500 rows' values with the workload's. */
async function sampleValues(s: SqlSubject, sw: SqlWorkload, keys: ArrayLike<number>, what: string): Promise<void> {
  const step = Math.max(1, Math.floor(keys.length / 500));
  for (let i = 0; i < keys.length; i += step) expect(`${s.label}, ${what}, v of ${keys[i]!}`, await s.lookup(keys[i]!), valueText(sw, keys[i]!));
}

async function groupByPhase(s: SqlSubject, n: number, figures: SqlFigures): Promise<void> {
  const times: number[] = [];
  let total = 0;
  while (times.length < GROUP_BY_MAX_REPEATS && (total < GROUP_BY_MIN_SECONDS || times.length === 0)) {
    const { seconds, value } = await timed(() => s.groupBy());
    expect(`${s.label} GROUP BY groups`, value.groups, Math.min(GROUPS, n));
    expect(`${s.label} GROUP BY Σ COUNT(*)`, value.count, n);
    expect(`${s.label} GROUP BY Σ SUM(id)`, value.sum, (n * (n - 1)) / 2);
    times.push(seconds);
    total += seconds;
  }
  figures.groupBy = (n * times.length) / total;
  figures.groupByMs = median(times) * 1000;
}

/** `sql(text)` TEXT_CALLS times with the point select's text (seen: prepared above), then with a fresh text each. */
async function textPhases(s: SqlSubject, sw: SqlWorkload, figures: SqlFigures): Promise<void> {
  const order = sw.w.readOrder;
  const key = (i: number): number => order[i % order.length]!;
  const seen = await timed(async () => {
    let found = 0;
    for (let i = 0; i < TEXT_CALLS; i++) if ((await s.sqlText(SQL.point, [key(i)])) !== undefined) found++;
    return found;
  });
  expect(`${s.label} sql(seen text) found`, seen.value, TEXT_CALLS);
  figures.sqlSeenText = TEXT_CALLS / seen.seconds;
  const fresh = await timed(async () => {
    let found = 0;
    for (let i = 0; i < TEXT_CALLS; i++) if ((await s.sqlText(SQL.freshPoint(key(i)), [])) !== undefined) found++;
    return found;
  });
  expect(`${s.label} sql(fresh text) found`, fresh.value, TEXT_CALLS);
  figures.sqlFreshText = TEXT_CALLS / fresh.seconds;
}

async function runAll(s: SqlSubject, sw: SqlWorkload, figures: SqlFigures): Promise<void> {
  const n = sw.w.n;
  figures.insert = n / (await timed(() => s.insert(sw))).seconds;
  await sampleValues(s, sw, sw.w.readOrder, 'after insert');

  const point = await timed(() => s.pointSelect(sw));
  expect(`${s.label} point selects found`, point.value, n);
  figures.pointSelect = n / point.seconds;

  const range = await timed(() => s.rangeSelect(sw));
  expect(`${s.label} range select rows`, range.value, RANGE_SCANS * RANGE_LEN);
  figures.rangeSelect = RANGE_SCANS / range.seconds;

  await groupByPhase(s, n, figures);
  await textPhases(s, sw, figures);

  figures.insertMulti = sw.multiRows / (await timed(() => s.insertMulti(sw))).seconds;
  figures.multiRows = sw.multiRows;
  if (s.parseCheck !== undefined) {
    const parses = await s.parseCheck(sw);
    figures.parsesSeenText = parses.seen;
    figures.parsesFreshText = parses.fresh;
  }
}

/** Opens `s`, runs the phases, closes it: the figures. */
export async function runSqlPhases(s: SqlSubject, sw: SqlWorkload): Promise<SqlFigures> {
  const figures: SqlFigures = {};
  await s.open(sw);
  try {
    await runAll(s, sw, figures);
  } finally {
    await s.close();
  }
  return figures;
}
