/**
 * Tables and transactions on aipersist when their process dies with SIGKILL. A real child process
 * (test/support/tables-crash-child.ts) runs WRITERS concurrent writers of numbered transactions — batch n of writer w
 * inserts, replaces and deletes rows of w's own keys in several partitions, sets w's counter row to n and increments
 * a counter row all writers share (so transactions conflict and are retried) — on a table with a sorted and a hash
 * secondary index, printing `begin w n` before and `ack w n` after each node.transaction. The test kills it and
 * reopens the work dir in this process, then checks, with the table API:
 *   - per writer, the counter row names a batch m between the last acknowledged one (and what the previous check
 *     found) and the last begun one: no acknowledged transaction is lost;
 *   - the writer's rows are exactly those batches 1..m wrote (recomputed): no transaction is there in part, none
 *     beyond its counter; the counter's row count agrees; the shared counter is the sum of every m;
 *   - both indexes agree with the rows: a scan of the whole sorted index is the rows in `grp` order, a scan of each
 *     `grp` value and of each hash `tag` value is the rows filtered by it; count() is the rows' number.
 * Then the child runs again on the same work dir, resumes every writer after the batch its counter row names (it
 * checks inside its transactions that what it reads agrees), and is killed again. Every other round checks a copy of
 * the work dir instead, so that the next child meets the write intents the crash left (its writes and reads resolve
 * them) rather than a work dir the check had read (and resolved) and closed cleanly.
 *
 * Two ways to die: killed by the test at a random moment (seeded, 30–700 ms after the child's first
 * acknowledgement), and (DIE_ENV) killing itself right after a commit's outcome is durable in the transaction-state
 * store and before the commit resolves its write intents. There the reopened partition must still hold that
 * batch's counter row as a write intent whose transaction the state store has as committed (checked on the raw
 * partition before anything reads it), and the batch must then be visible in full, its index entries included.
 *
 * Environment: AISTORAGE_TABLES_CRASH_ITERATIONS (rounds of the random kills, default 6; the self-kills get half as
 * many, at least 2; each round costs ~2–3 s, mostly the child's start), AISTORAGE_TABLES_CRASH_SEED (default
 * random; printed in the test names and failures). A failed test leaves its work dir (path in the message) — kept
 * after the run with AISTORAGE_TEST_KEEP_TMP=1.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_VALUE, openNode, type StorageNode } from '../../src/interfaces/api/index';
import type { TableService } from '../../src/application/tables/table-service';
import { lookupRowId } from '../../src/application/tables/tx-engine';
import {
  BY_GROUP, BY_TAG, COUNTERS, crashConfig, DIE_ENV, GROUPS, ITEMS, modelAfter, TAGS, TOTAL_ROW, WRITERS, writerOfKey,
  type Counter, type Item,
} from '../support/tables-crash-child';
import { envInt, SeededRandom } from '../contract/support/seeded-random';
import { ROOT } from '../support/ts-child';
import { describeEnd, runKillableChild } from '../support/killable-child';

const CHILD = join(ROOT, 'test', 'support', 'tables-crash-child.ts');
const ITERATIONS = envInt('AISTORAGE_TABLES_CRASH_ITERATIONS', 6);
const SEED = envInt('AISTORAGE_TABLES_CRASH_SEED', Math.floor(Math.random() * 2 ** 31) + 1);
/** The child must acknowledge its first batch (or die by itself) within this time (a transpile into an empty cache). */
const CHILD_DEADLINE_MS = 60_000;

/** What one child run did, from its complete stdout. */
interface Run {
  /** Per writer: the batch its counter row named at the start; the last batch begun / acknowledged (from if none). */
  readonly from: number[];
  readonly begun: number[];
  readonly acked: number[];
  /** DIE_ENV: the batch whose durable outcome preceded the self-kill. */
  readonly outcome: { readonly w: number; readonly n: number } | null;
  readonly acksDuringDelay: number;
}

function parseRun(lines: readonly string[], why: () => string): Omit<Run, 'acksDuringDelay'> {
  const from: number[] = [];
  let begun: number[] = [];
  let acked: number[] = [];
  let outcome: Run['outcome'] = null;
  for (const line of lines) {
    const m = /^(from|begin|ack|outcome) (\d+) (\d+)$/.exec(line);
    const w = Number(m?.[2]);
    const n = Number(m?.[3]);
    if (m === null || w >= WRITERS || outcome !== null) throw new Error(`unexpected child line '${line}'; ${why()}`);
    if (m[1] === 'from') {
      from[w] = n;
      begun = [...from];
      acked = [...from];
      continue;
    }
    // Per writer: begin of from + 1, from + 2, ...; ack (or outcome) of n right after begin of n.
    const ok = m[1] === 'begin' ? n === begun[w]! + 1 && acked[w] === begun[w] : n === begun[w] && n === acked[w]! + 1;
    if (from.length !== WRITERS || !ok) throw new Error(`child line '${line}' out of order (begun ${begun}, acked ${acked}); ${why()}`);
    if (m[1] === 'begin') begun[w] = n;
    else if (m[1] === 'ack') acked[w] = n;
    else outcome = { w, n };
  }
  if (from.length !== WRITERS) throw new Error(`the child died before its start lines; ${why()}`);
  return { from, begun, acked, outcome };
}

/** Runs the child on `workDir`: killed `delayMs` after its first acknowledgement, or (dieAfter) left to kill itself. */
async function runChild(workDir: string, how: { readonly delayMs: number } | { readonly dieAfter: number }): Promise<Run> {
  const env = { ...process.env, [DIE_ENV]: 'dieAfter' in how ? String(how.dieAfter) : '' };
  const end = await runKillableChild(CHILD, [workDir, String(SEED)], {
    env, isAck: (line) => line.startsWith('ack '), killDelayMs: 'delayMs' in how ? how.delayMs : null, deadlineMs: CHILD_DEADLINE_MS,
  });
  const why = (): string => describeEnd(end, CHILD_DEADLINE_MS, 'not done');
  if (end.timedOut || end.signal !== 'SIGKILL') throw new Error(why());
  const run = parseRun([...end.lines], why);
  if ('dieAfter' in how && run.outcome === null) throw new Error(`the child died without an outcome line; ${why()}`);
  return { ...run, acksDuringDelay: end.acksAtKill < 0 ? 0 : end.acks - end.acksAtKill };
}

async function all<T>(rows: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const r of rows) out.push(r);
  return out;
}

const byKey = (a: Item, b: Item): number => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0);

/** The table service behind the node's API (a protected method): the raw partitions, before any read resolves an intent. */
function serviceOf(node: StorageNode): TableService {
  return (node as unknown as { tableService(): TableService }).tableService();
}

/** Write intents in the tables' partitions, read raw (nothing resolved). */
function rawIntents(service: TableService): number {
  let n = 0;
  for (const name of [ITEMS, COUNTERS]) {
    for (const part of service.table(name).partitions) {
      const cursor = part.mv.scan(MAX_VALUE);
      try {
        for (const r of cursor) if (r.isWriteIntent) n++;
      } finally {
        cursor.close();
      }
    }
  }
  return n;
}

/** The outcome's batch left its counter row as an intent whose transaction the state store has as committed. */
function expectUnresolvedOutcome(service: TableService, outcome: NonNullable<Run['outcome']>, context: string): void {
  const counters = service.table(COUNTERS);
  const part = counters.partitionOf([outcome.w]);
  const rowId = lookupRowId(part, [outcome.w]);
  expect(rowId, `${context}: the counter row of writer ${outcome.w}`).not.toBeNull();
  const r = part.mv.read(rowId!, MAX_VALUE);
  expect(r.isWriteIntent, `${context}: the counter row of the outcome's batch is still a write intent at the reopen`).toBe(true);
  expect(counters.decode(r.binaryRow!).slice(0, 2), context).toEqual([outcome.w, outcome.n]);
  expect(service.engine.txState!.committedAt(r.transactionId!), `${context}: the state store has its transaction as committed`).not.toBeNull();
}

function sameItem(a: Item, b: Item): boolean {
  const bytes = (p: Uint8Array | null): string => (p === null ? 'null' : p.join(','));
  return a.writer === b.writer && a.batch === b.batch && a.grp === b.grp && a.tag === b.tag && bytes(a.payload) === bytes(b.payload);
}

/** The first keys where `rows` and `model` differ, with the batch that wrote each side. */
function differences(rows: readonly Item[], model: readonly Item[]): string {
  const found = new Map(rows.map((r) => [r.k, r]));
  const want = new Map(model.map((r) => [r.k, r]));
  const out: string[] = [];
  for (const k of new Set([...found.keys(), ...want.keys()])) {
    const a = found.get(k);
    const b = want.get(k);
    if (a !== undefined && b !== undefined && sameItem(a, b)) continue;
    if (out.length < 8) out.push(`key ${k}: ${a === undefined ? 'absent' : `batch ${a.batch}`}, expected ${b === undefined ? 'absent' : `batch ${b.batch}`}`);
  }
  return out.join('; ');
}

interface Checked {
  readonly found: number[];
  readonly rows: number;
  readonly intents: number;
}

/**
 * Reopens `workDir`, checks it (module comment) with per-writer bounds lo..hi, closes it. `outcome`: the batch
 * that must be there although its intents were never resolved.
 */
async function checkWorkDir(workDir: string, lo: readonly number[], hi: readonly number[], outcome: Run['outcome'], context: string): Promise<Checked> {
  const node = await openNode({ workDir, config: crashConfig() });
  try {
    const service = serviceOf(node);
    const intents = rawIntents(service);
    if (outcome !== null) expectUnresolvedOutcome(service, outcome, context);

    const counters = new Map((await all(node.table<Counter>(COUNTERS).scan())).map((c) => [c.writer, c]));
    const items = await all(node.table<Item>(ITEMS).scan());
    const found = Array.from({ length: WRITERS }, (_, w) => counters.get(w)?.batch ?? 0);
    expect(items.map((r) => r.k), `${context}: primary-key order`).toEqual(items.map((r) => r.k).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    for (let w = 0; w < WRITERS; w++) {
      const m = found[w]!;
      expect(m, `${context}: writer ${w}'s counter (acknowledged or found before: ${lo[w]}, begun: ${hi[w]})`).toBeGreaterThanOrEqual(lo[w]!);
      expect(m, `${context}: writer ${w}'s counter (begun: ${hi[w]})`).toBeLessThanOrEqual(hi[w]!);
      const model = [...modelAfter(SEED, w, m).values()].sort(byKey);
      const rows = items.filter((r) => writerOfKey(r.k) === w);
      expect(rows, `${context}: writer ${w}'s rows are exactly its batches 1..${m} (${differences(rows, model)})`).toEqual(model);
      if (m > 0) expect(counters.get(w), `${context}: writer ${w}'s counter row`).toEqual({ writer: w, batch: m, rows: model.length });
    }
    expect(items.every((r) => r.writer === writerOfKey(r.k)), context).toBe(true);
    const sum = found.reduce((a, b) => a + b, 0);
    expect(counters.get(TOTAL_ROW)?.batch ?? 0, `${context}: the shared counter is the sum of the writers' batches`).toBe(sum);
    expect(await node.table(ITEMS).count(), `${context}: count()`).toBe(items.length);
    if (outcome !== null) expect(found[outcome.w], `${context}: the batch of the durable outcome`).toBe(outcome.n);

    const byGroup = await all(node.table<Item>(ITEMS).scan({ index: BY_GROUP }));
    expect(byGroup.map((r) => r.grp), `${context}: ${BY_GROUP} order`).toEqual(items.map((r) => r.grp).sort((a, b) => a - b));
    expect([...byGroup].sort(byKey), `${context}: ${BY_GROUP} holds every row once`).toEqual(items);
    for (let g = 0; g < GROUPS; g++) {
      const scanned = await all(node.table<Item>(ITEMS).scan({ index: BY_GROUP, gte: g, lte: g }));
      expect(scanned.sort(byKey), `${context}: ${BY_GROUP} = ${g}`).toEqual(items.filter((r) => r.grp === g));
    }
    for (let t = 0; t < TAGS; t++) {
      const scanned = await all(node.table<Item>(ITEMS).scan({ index: BY_TAG, gte: `t${t}`, lte: `t${t}` }));
      expect(scanned.sort(byKey), `${context}: ${BY_TAG} = t${t}`).toEqual(items.filter((r) => r.tag === `t${t}`));
    }
    return { found, rows: items.length, intents };
  } finally {
    await node.close();
  }
}

/** Rounds on one work dir: run the child (`how(round)`), check (a copy every other round), run it again from there. */
async function rounds(label: string, count: number, how: (round: number) => { delayMs: number } | { dieAfter: number }): Promise<void> {
  const workDir = mkdtempSync(join(tmpdir(), `aistorage-tables-sigkill-${label}-`));
  const started = Date.now();
  let found = Array.from({ length: WRITERS }, () => 0);
  const t = { acked: 0, foundUnacked: 0, inFlightKills: 0, acksDuringDelay: 0, intents: 0, rows: 0 };
  const history: string[] = [];
  for (let round = 1; round <= count; round++) {
    const h = how(round);
    const context = `${label} round ${round} (${JSON.stringify(h)}; AISTORAGE_TABLES_CRASH_SEED=${SEED}, work dir ${workDir}; before: ${history.join(' | ')})`;
    const run = await runChild(workDir, h);
    expect(run.from, `${context}: the child resumed where the last check found the writers`).toEqual(found);
    const lo = found.map((f, w) => Math.max(f, run.acked[w]!));
    const hi = found.map((f, w) => Math.max(f, run.begun[w]!));
    const copy = round % 2 === 1 ? `${workDir}-copy` : null;
    if (copy !== null) cpSync(workDir, copy, { recursive: true });
    const checked = await checkWorkDir(copy ?? workDir, lo, hi, run.outcome, context);
    if (copy !== null) rmSync(copy, { recursive: true, force: true });
    const acked = run.acked.reduce((n, a, w) => n + a - run.from[w]!, 0);
    const inFlight = run.begun.reduce((n, b, w) => n + b - run.acked[w]!, 0);
    const unacked = checked.found.reduce((n, f, w) => n + f - lo[w]!, 0);
    history.push(`${acked} acked, ${inFlight} in flight, ${unacked} found unacked, ${checked.intents} intents`);
    t.acked += acked;
    t.foundUnacked += unacked;
    t.inFlightKills += inFlight > 0 ? 1 : 0;
    t.acksDuringDelay += run.acksDuringDelay;
    t.intents += checked.intents;
    t.rows += checked.rows;
    found = checked.found;
  }
  console.log(
    `tables SIGKILL ${label} (seed ${SEED}): ${count} rounds, ${t.acked} acknowledged transactions checked, ${t.foundUnacked} found though ` +
      `not acknowledged, ${t.inFlightKills} rounds with transactions in flight at the death, ${t.intents} write intents left at the reopens, ` +
      `${t.rows} rows checked; ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  // The deaths landed among running transactions (4 writers, each always in one): most rounds left some in flight.
  expect(t.inFlightKills * 2, `${label}: rounds with transactions in flight`).toBeGreaterThanOrEqual(count);
  expect(t.acked, `${label}: transactions acknowledged`).toBeGreaterThan(count);
  rmSync(workDir, { recursive: true, force: true });
}

describe('tables on aipersist when the writing process is killed with SIGKILL', () => {
  it(`killed at random moments: acknowledged transactions stay, each one all or nothing, the indexes agree (${ITERATIONS} rounds, seed ${SEED})`, async () => {
    const random = new SeededRandom(SEED);
    await rounds('random', ITERATIONS, () => ({ delayMs: 30 + random.int(671) }));
  }, 60_000 + ITERATIONS * 15_000);

  const selfKills = Math.max(2, Math.ceil(ITERATIONS / 2));
  it(`killed between a commit's durable outcome and its intents' resolution: that transaction is visible in full (${selfKills} rounds, seed ${SEED})`, async () => {
    const random = new SeededRandom(SEED ^ 0x2545f491);
    await rounds('after-outcome', selfKills, () => ({ dieAfter: 5 + random.int(120) }));
  }, 60_000 + selfKills * 15_000);
});
