/**
 * aipersist's write-ahead delta log keeps what runDurably acknowledged when its process dies at any moment. A real
 * child process (test/support/aipersist-log-crash-child.ts) opens a node on a work dir — interval checkpoints every
 * ~30 ms with their compactions running during the writes, 1 MiB log segments so the log rolls over and released
 * segments are recycled — and writes deterministic batches with runDurably into 2 tables × 2 partitions, each with
 * a sorted primary index on INT64 `k`: per chain of batches, batch b = ONE closure of inserts of new keys, updates and
 * resurrections of earlier keys and deletes of earlier live keys (addWriteCommitted of a row or a tombstone, with the
 * primary index put / remove), derived from (seed, table, partition, chain, b). It prints `B ...` before handing a
 * batch to runDurably and `A ...` once runDurably resolved. 20–300 ms (seeded) after its first acknowledgement the
 * child is killed with SIGKILL; the work dir (the dead child's lock taken over) is reopened HERE — checkpoint + log
 * replay — and every partition is checked:
 *   - the index agrees with the rows: every primary-index entry names a live row whose key is the entry's key (and
 *     whose RowId is the key's), every live row (partition scan, no write intents) is indexed exactly once, and
 *     estimatedSize() is the number of live rows; every row's bytes are exactly those its (key, batch, op) wrote;
 *   - every chain's rows equal the model's state after ONE prefix 0..n of its batches (each closure all or nothing),
 *     with n at most the last batch the child began and at least the state found by the previous check (that
 *     reopen closed cleanly: a checkpoint), and — modes serial and concurrent, syncMode fsync — at least the last
 *     batch acknowledged: no acknowledged batch is lost.
 * The reopen itself must succeed: an error on files the engine wrote (a DataCorruptionError on its own log) fails.
 * The node is closed, and the child runs again on the same work dir, resuming each chain after the prefix found
 * (argv), and is killed again: AIPERSIST_LOG_SIGKILL_ROUNDS kill points per mode, each mode on its own work dir.
 * Modes: `serial` — one writer awaiting each runDurably in turn, round-robin over the 4 partitions; `concurrent` —
 * 64 writers, 16 chains per partition on disjoint key ranges, 64 runDurably in flight sharing group commits (the
 * model: per chain a prefix); `none` — syncMode none, acknowledgements promise nothing until a checkpoint: only
 * "some prefix, not older than the last clean close" is asserted (acknowledged batches lost are counted, not failed).
 * The kills must land mid-write: in most kill points acknowledgements kept arriving during the delay or batches were
 * in flight (begun, not acknowledged) at the kill, and with fsync some kill points left batches in flight. Interval
 * checkpoints must have started during the writes (finished checkpoints and compactions are counted: whether they
 * finish within a child's few hundred milliseconds depends on the machine's load; when they do not, the kills land
 * inside them), and the log must have rolled over at least as often as the bytes of the acknowledged rows imply (a
 * segment holds ≤ 1 MiB; segment numbers go on across runs). Each test logs one summary line: kill points,
 * acknowledged batches checked, batches found though not acknowledged, rows and index entries checked, checkpoints,
 * compactions, log segments, time.
 *
 * Environment: AIPERSIST_LOG_SIGKILL_ROUNDS (kill points per mode, default 5; each costs 1.5–3 s, mostly the child's
 * start), AIPERSIST_LOG_SIGKILL_SEED (the workload's seed and the kill delays; default random, printed in the test
 * names and in every failure). Where exactly a kill lands still depends on timing. A failed test leaves its work dir
 * (path in the message) — kept after the run with AISTORAGE_TEST_KEEP_TMP=1.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_VALUE, openNode, type MvPartitionStorage, type SortedIndexStorage } from '../../src/interfaces/api/index';
import { LOCK_FILE_NAME } from '../../src/infrastructure/workdir/file-work-dir-lock';
import {
  batchOfTag, batchOps, chainsOf, CHAIN_KEYS, decodeRow, logConfig, MODES, PARTITIONS, PK, PROFILE, rowBytes, rowIdOf, streamName,
  streamsOf, TABLES, type Mode, type Stream,
} from '../support/aipersist-log-crash-child';
import { envInt, SeededRandom } from '../contract/support/seeded-random';
import { ROOT } from '../support/ts-child';
import { describeEnd, runKillableChild } from '../support/killable-child';

const CHILD = join(ROOT, 'test', 'support', 'aipersist-log-crash-child.ts');
const ROUNDS = envInt('AIPERSIST_LOG_SIGKILL_ROUNDS', 5);
const SEED = envInt('AIPERSIST_LOG_SIGKILL_SEED', Math.floor(Math.random() * 2 ** 31) + 1);
/** The child must acknowledge its first batch within this time (its start, with a transpile into an empty cache). */
const CHILD_DEADLINE_MS = 60_000;
const MiB = 1024 * 1024;

/** What one child run did, from its complete stdout (read to the end after its death). */
interface Killed {
  /** Per stream (streamsOf order): the last batch acknowledged in this run / begun in this run (0: none). */
  readonly acked: number[];
  readonly begun: number[];
  /** Acknowledgements printed after the kill was scheduled (the delay): the writers were still going. */
  readonly acksDuringDelay: number;
  /** Checkpoints started / finished during the run, compactions that merged delta files. */
  readonly checkpointsStarted: number;
  readonly checkpoints: number;
  readonly compactions: number;
  /** `log/` right after the kill: segment numbers and spare files. */
  readonly segments: number[];
  readonly spares: number;
  readonly lockLeft: boolean;
}

function parseLines(mode: Mode, next: readonly number[], lines: readonly string[], why: () => string): Omit<Killed, 'acksDuringDelay' | 'segments' | 'spares' | 'lockLeft'> {
  const streams = streamsOf(mode);
  const index = new Map(streams.map((s, i) => [streamName(s), i]));
  const acked = streams.map(() => 0);
  const begun = streams.map(() => 0);
  let checkpointsStarted = 0;
  let checkpoints = 0;
  let compactions = 0;
  for (const line of lines) {
    if (line === 'CS') checkpointsStarted++;
    else if (line === 'CP') checkpoints++;
    else if (line === 'CO') compactions++;
    else {
      const m = /^([AB]) (\d+) (\d+) (\d+) (\d+)$/.exec(line);
      const i = m === null ? undefined : index.get(`${m[2]}/${m[3]}/${m[4]}`);
      if (m === null || i === undefined) throw new Error(`unexpected child line '${line}'; ${why()}`);
      const b = Number(m[5]);
      // Per chain: B of next, next + 1, ... in order; A of b only after B of b, in order.
      const [list, expected] = m[1] === 'B' ? [begun, Math.max(begun[i]! + 1, next[i]!)] : [acked, Math.max(acked[i]! + 1, next[i]!)];
      if (b !== expected || (m[1] === 'A' && b > begun[i]!)) throw new Error(`child line '${line}' out of order (begun ${begun[i]}, acked ${acked[i]}, started at ${next[i]}); ${why()}`);
      list[i] = b;
    }
  }
  return { acked, begun, checkpointsStarted, checkpoints, compactions };
}

/** Starts the child on `workDir` at batches `next`, kills it with SIGKILL `delayMs` after its first acknowledgement. */
async function runAndKill(workDir: string, mode: Mode, next: readonly number[], delayMs: number): Promise<Killed> {
  const end = await runKillableChild(CHILD, [workDir, mode, String(SEED), JSON.stringify(next)], {
    isAck: (line) => line.startsWith('A '), killDelayMs: delayMs, deadlineMs: CHILD_DEADLINE_MS,
  });
  const why = (): string => describeEnd(end, CHILD_DEADLINE_MS, 'no acknowledgement');
  if (end.timedOut || end.signal !== 'SIGKILL' || end.acksAtKill < 0) throw new Error(why());
  const parsed = parseLines(mode, next, [...end.lines], why);
  const logDir = join(workDir, 'log');
  const files = existsSync(logDir) ? readdirSync(logDir) : [];
  return {
    ...parsed,
    acksDuringDelay: end.acks - end.acksAtKill,
    segments: files.map((f) => /^segment-(\d+)\.bin$/.exec(f)).filter((m) => m !== null).map((m) => Number(m[1])).sort((a, b) => a - b),
    spares: files.filter((f) => /^free-\d+\.bin$/.test(f)).length,
    lockLeft: existsSync(join(workDir, LOCK_FILE_NAME)),
  };
}

/** What the reopened partition holds: its live rows (key → tag) per chain, and the problems found on the way. */
interface PartitionPicture {
  readonly chains: Array<Map<number, number>>;
  readonly rows: number;
  readonly entries: number;
  readonly problems: string[];
}

/**
 * Reads partition (table, p): the partition scan (every live row: no write intent, its RowId the key's, its bytes
 * exactly what its (key, tag) wrote), the primary index (every entry names a live row with its key; every row
 * indexed exactly once) and estimatedSize().
 */
function readPartition(mode: Mode, table: number, p: number, part: MvPartitionStorage, pk: SortedIndexStorage): PartitionPicture {
  const problems: string[] = [];
  const note = (s: string): void => void (problems.length < 20 && problems.push(`table ${table} partition ${p}: ${s}`));
  const chains = Array.from({ length: chainsOf(mode) }, () => new Map<number, number>());
  const live = new Map<string, number>(); // rowId → key
  for (const r of part.scan(MAX_VALUE)) {
    const id = r.rowId.toString();
    if (r.isWriteIntent) note(`row ${id} is a write intent`);
    const bytes = r.binaryRow?.bytes;
    const decoded = bytes === undefined ? null : decodeRow(bytes);
    if (bytes === undefined || decoded === null) {
      note(`row ${id}: scanned without readable contents`);
      continue;
    }
    const { key, tag } = decoded;
    const chain = Math.floor(key / CHAIN_KEYS);
    if (chain >= chains.length) {
      note(`row ${id} holds key ${key}, outside every chain`);
      continue;
    }
    const s: Stream = { table, partition: p, chain };
    if (rowIdOf(table, p, key).toString() !== id) note(`row ${id} holds key ${key}, whose RowId is ${rowIdOf(table, p, key).toString()}`);
    const want = rowBytes(SEED, s, key, tag);
    if (want.length !== bytes.length || want.some((x, i) => x !== bytes[i])) note(`key ${key}: the bytes of its version ${tag} (batch ${batchOfTag(tag)}) differ from what was written`);
    if (chains[chain]!.has(key)) note(`key ${key} is live in two rows`);
    chains[chain]!.set(key, tag);
    live.set(id, key);
  }
  const indexed = new Map<string, number>();
  let entries = 0;
  for (const e of pk.scan(null, null, 0)) {
    entries++;
    const key = Number(e.key[0] as bigint);
    const id = e.rowId.toString();
    indexed.set(id, (indexed.get(id) ?? 0) + 1);
    const row = part.read(e.rowId, MAX_VALUE).binaryRow;
    const rowKey = row === null ? null : decodeRow(row.bytes)?.key;
    if (row === null) note(`index entry (${key}, ${id}) names no live row`);
    else if (rowKey !== key) note(`index entry (${key}, ${id}) names the row of key ${rowKey}`);
    else if (live.get(id) !== key) note(`index entry (${key}, ${id}): read() finds the row, the partition scan does not`);
  }
  for (const [id, key] of live) {
    const n = indexed.get(id) ?? 0;
    if (n !== 1) note(`the row of key ${key} (${id}) has ${n} primary index entries`);
  }
  const size = part.estimatedSize();
  if (size !== live.size) note(`estimatedSize() ${size}, but ${live.size} live rows`);
  return { chains, rows: live.size, entries, problems };
}

/** A model (key → tag) that remembers each key's value before its first change since `before` was cleared. */
class TouchedMap extends Map<number, number> {
  readonly before = new Map<number, number | undefined>();
  override set(key: number, value: number): this {
    if (!this.before.has(key)) this.before.set(key, this.get(key));
    return super.set(key, value);
  }
  override delete(key: number): boolean {
    if (!this.before.has(key)) this.before.set(key, this.get(key));
    return super.delete(key);
  }
}

/**
 * The prefixes 0..hi of stream s's batches after which the model equals `actual` (key → tag): the model built batch
 * by batch, counting the keys where it differs from `actual` (each batch inserts new keys: at most one prefix fits).
 * `differences` names a few keys that differ after batch `at`.
 */
function matchingPrefixes(mode: Mode, s: Stream, actual: ReadonlyMap<number, number>, hi: number): { matches: number[]; differences(at: number): string } {
  const model = new TouchedMap();
  let mismatched = actual.size;
  const matches = mismatched === 0 ? [0] : [];
  for (let b = 1; b <= hi; b++) {
    model.before.clear();
    batchOps(mode, SEED, s, b, model);
    for (const [key, was] of model.before) {
      const a = actual.get(key);
      const now = model.get(key);
      if (a === was && a !== now) mismatched++;
      else if (a !== was && a === now) mismatched--;
    }
    if (mismatched === 0) matches.push(b);
  }
  const differences = (at: number): string => {
    const m = new Map<number, number>();
    for (let b = 1; b <= at; b++) batchOps(mode, SEED, s, b, m);
    const out: string[] = [];
    for (const key of new Set([...m.keys(), ...actual.keys()])) {
      if (m.get(key) !== actual.get(key) && out.length < 6) {
        const v = (t: number | undefined) => (t === undefined ? 'absent' : `batch ${batchOfTag(t)} op ${t % 1024}`);
        out.push(`key ${key}: ${v(actual.get(key))}, expected ${v(m.get(key))}`);
      }
    }
    return out.join('; ');
  };
  return { matches, differences };
}

interface Checked {
  /** Per stream: the prefix found. */
  readonly found: number[];
  readonly rows: number;
  readonly entries: number;
}

/**
 * Reopens the work dir (replaying the log), checks every partition and every chain, closes. `lo` / `hi` per stream:
 * the prefix must lie in [lo, hi].
 */
async function checkWorkDir(workDir: string, mode: Mode, lo: readonly number[], hi: readonly number[], context: () => string): Promise<Checked> {
  const node = await openNode({ workDir, config: logConfig(mode) }).catch((e: unknown) => {
    if (e instanceof Error) e.message = `${context()}: reopening the work dir failed: ${e.message}`;
    throw e;
  });
  try {
    const streams = streamsOf(mode);
    const found = streams.map(() => -1);
    const problems: string[] = [];
    let rows = 0;
    let entries = 0;
    for (const table of TABLES) {
      const t = node.engine('aipersist').createMvTable({ tableId: table, partitions: PARTITIONS, storageProfile: PROFILE });
      for (let p = 0; p < PARTITIONS; p++) {
        const part = await t.createMvPartition(p);
        const picture = readPartition(mode, table, p, part, t.createSortedIndex(p, PK));
        problems.push(...picture.problems);
        rows += picture.rows;
        entries += picture.entries;
        streams.forEach((s, i) => {
          if (s.table !== table || s.partition !== p) return;
          const { matches, differences } = matchingPrefixes(mode, s, picture.chains[s.chain]!, hi[i]!);
          const inRange = matches.filter((n) => n >= lo[i]! && n <= hi[i]!);
          if (inRange.length === 1) found[i] = inRange[0]!;
          else {
            const what = matches.length === 0
              ? `its rows are the state after no prefix 0..${hi[i]} of its batches (vs. batch ${lo[i]}: ${differences(lo[i]!)})`
              : `its rows are the state after batch ${matches.join(', ')}`;
            problems.push(`chain ${streamName(s)}: ${what}, expected a prefix in ${lo[i]}..${hi[i]}`);
          }
        });
      }
    }
    expect(problems, `${context()}: ${problems.length} problem(s)`).toEqual([]);
    return { found, rows, entries };
  } finally {
    await node.close();
  }
}

interface Totals {
  killPoints: number;
  /** Acknowledged batches whose presence was checked (fsync modes: asserted; none: counted). */
  acked: number;
  /** Kill points where acknowledgements kept arriving during the delay / batches were begun but not acknowledged. */
  acksKeptComing: number;
  inFlightKills: number;
  midWriteKills: number;
  /** Batches found though not acknowledged (synced, the line not yet out), and (mode none) acknowledged ones lost. */
  durableUnacked: number;
  lostAcked: number;
  checkpointsStarted: number;
  checkpoints: number;
  compactions: number;
  rows: number;
  entries: number;
  maxSegment: number;
  minSegmentsPresent: number;
  maxSegmentsPresent: number;
  sparesSeen: number;
  /** Bytes of the rows of the acknowledged batches: the log appended at least this much. */
  ackedRowBytes: number;
}

/** Bytes of the rows written by batches from..to of stream s (a lower bound on what they appended to the log). */
function rowBytesOf(mode: Mode, s: Stream, from: number, to: number): number {
  const model = new Map<number, number>();
  let bytes = 0;
  for (let b = 1; b <= to; b++) {
    const ops = batchOps(mode, SEED, s, b, model);
    if (b >= from) for (const op of ops) if (op.kind !== 'delete') bytes += rowBytes(SEED, s, op.key, op.tag).length;
  }
  return bytes;
}

describe('aipersist: the delta log when its writer is killed with SIGKILL', () => {
  MODES.forEach((mode, m) => {
    const random = new SeededRandom(SEED * 3 + m);
    const delays = Array.from({ length: ROUNDS }, () => 20 + random.int(281));
    const durable = mode !== 'none';
    it(`${mode}: ${ROUNDS} kills 20–300 ms into the writes, every partition at a prefix${durable ? ' holding every acknowledged batch' : ''} (seed ${SEED})`, async () => {
      const workDir = mkdtempSync(join(tmpdir(), `aistorage-log-sigkill-${mode}-`));
      const streams = streamsOf(mode);
      let next = streams.map(() => 1);
      const t: Totals = {
        killPoints: 0, acked: 0, acksKeptComing: 0, inFlightKills: 0, midWriteKills: 0, durableUnacked: 0, lostAcked: 0, checkpointsStarted: 0, checkpoints: 0, compactions: 0,
        rows: 0, entries: 0, maxSegment: 0, minSegmentsPresent: Infinity, maxSegmentsPresent: 0, sparesSeen: 0, ackedRowBytes: 0,
      };
      const started = Date.now();
      let checkMillis = 0;
      let where = 'before the first kill';
      /** One entry per round checked: what the child did, what the check found (for failure messages). */
      const history: string[] = [];
      const context = (): string =>
        `${mode} (AIPERSIST_LOG_SIGKILL_SEED=${SEED}, work dir ${workDir}), ${where}${history.length === 0 ? '' : `; rounds before: ${history.join(' | ')}`}`;
      for (let round = 1; round <= ROUNDS; round++) {
        const delayMs = delays[round - 1]!;
        where = `round ${round}, killed ${delayMs} ms after its first acknowledgement`;
        const killed = await runAndKill(workDir, mode, next, delayMs);
        expect(killed.lockLeft, `${context()}: the dead child left its lock file`).toBe(true);
        // Batches begun in this run and not acknowledged when it died.
        const inFlight = streams.reduce((n, _, i) => n + (killed.begun[i] === 0 ? 0 : killed.begun[i]! - Math.max(killed.acked[i]!, next[i]! - 1)), 0);
        where += ` (${killed.acksDuringDelay} acknowledgements during the delay, ${inFlight} batch(es) begun but not acknowledged)`;
        // The prefix: not older than what the last check found (its clean close checkpointed it) nor, with fsync,
        // than the last acknowledged batch; not newer than the last batch begun.
        const lo = streams.map((_, i) => Math.max(next[i]! - 1, durable ? killed.acked[i]! : 0));
        const hi = streams.map((_, i) => Math.max(next[i]! - 1, killed.begun[i]!));
        const checkStarted = Date.now();
        const checked = await checkWorkDir(workDir, mode, lo, hi, context);
        checkMillis += Date.now() - checkStarted;

        history.push(
          `${delayMs} ms: ${streams.reduce((n, _, i) => n + Math.max(0, killed.acked[i]! - next[i]! + 1), 0)} acked, ${inFlight} in flight, ` +
            `${checked.found.reduce((n, f, i) => n + f - next[i]! + 1, 0)} found, checkpoints ${killed.checkpointsStarted}/${killed.checkpoints}, ` +
            `compactions ${killed.compactions}, log segments [${killed.segments.join(',')}] + ${killed.spares} spare(s)`,
        );
        t.killPoints++;
        if (killed.acksDuringDelay > 0) t.acksKeptComing++;
        if (inFlight > 0) t.inFlightKills++;
        if (killed.acksDuringDelay > 0 || inFlight > 0) t.midWriteKills++;
        streams.forEach((s, i) => {
          const a = killed.acked[i]!;
          if (a === 0) return;
          t.acked += a - next[i]! + 1;
          t.durableUnacked += Math.max(0, checked.found[i]! - a);
          t.lostAcked += Math.max(0, a - checked.found[i]!);
          if (durable) t.ackedRowBytes += rowBytesOf(mode, s, next[i]!, a);
        });
        t.checkpointsStarted += killed.checkpointsStarted;
        t.checkpoints += killed.checkpoints;
        t.compactions += killed.compactions;
        t.rows += checked.rows;
        t.entries += checked.entries;
        t.maxSegment = Math.max(t.maxSegment, ...killed.segments);
        if (killed.segments.length > 0) t.minSegmentsPresent = Math.min(t.minSegmentsPresent, killed.segments.length);
        t.maxSegmentsPresent = Math.max(t.maxSegmentsPresent, killed.segments.length);
        t.sparesSeen += killed.spares;
        next = checked.found.map((n) => n + 1);
      }
      where = 'after the last round';
      console.log(
        `aipersist log SIGKILL ${mode} (seed ${SEED}): ${t.killPoints} kill points (${t.acksKeptComing} with acknowledgements during the delay, ` +
          `${t.inFlightKills} with batches in flight), ${t.acked} acknowledged batches checked${durable ? '' : ` (${t.lostAcked} lost: syncMode none)`}, ` +
          `${t.durableUnacked} found unacknowledged, ${t.rows} rows / ${t.entries} index entries checked; ${t.checkpointsStarted} checkpoints started / ${t.checkpoints} finished, ` +
          `${t.compactions} compactions; log: ${(t.ackedRowBytes / MiB).toFixed(1)} MiB of rows acknowledged, segment numbers up to ${t.maxSegment} ` +
          `(${t.minSegmentsPresent === Infinity ? 0 : t.minSegmentsPresent}–${t.maxSegmentsPresent} present at a kill), ${t.sparesSeen} spares seen; ` +
          `${((Date.now() - started) / 1000).toFixed(1)} s (reopens and checks ${(checkMillis / 1000).toFixed(1)} s)`,
      );
      // The kills landed while the writers were going: acknowledgements kept arriving during the delay, or batches
      // were in flight (begun, not acknowledged) when it ended — in most kill points; and with fsync some kill points
      // left batches in flight (64 writers between group commits: nearly all).
      expect(t.midWriteKills * 2, `${context()}: only ${t.midWriteKills} of ${t.killPoints} kill points landed mid-write`).toBeGreaterThanOrEqual(t.killPoints);
      if (durable) expect(t.inFlightKills, `${context()}: no kill point left a batch begun but not acknowledged`).toBeGreaterThan(0);
      // Interval checkpoints (30 ms) started during the writes. Whether they (and the compactions after them) also
      // finish before the kill depends on the machine's load — counted, not asserted; on a busy machine most kills
      // land inside a checkpoint.
      expect(t.checkpointsStarted, `${context()}: checkpoints started during the writes`).toBeGreaterThan(0);
      if (durable) {
        // A segment holds at most 1 MiB: the acknowledged bytes alone force this many segments (numbered on across runs).
        expect(t.maxSegment, `${context()}: ${t.ackedRowBytes} bytes of rows acknowledged`).toBeGreaterThanOrEqual(1 + Math.floor(t.ackedRowBytes / MiB));
      }
      rmSync(workDir, { recursive: true, force: true });
    }, 60_000 + ROUNDS * 15_000); // a long run (README: 1,000+ kill points) outlasts the default test timeout
  });
});
