/**
 * aipersist is durable at checkpoints, also when its process dies at the worst moment. A real child process
 * (test/support/aipersist-crash-child.ts) writes rounds of rows into a table of 2 partitions with a sorted primary
 * index — each round a vacuum and its checkpoint, then one closure per partition each followed by a checkpoint, then
 * the line `CHECKPOINTED <r>` once flush() resolved — while interval checkpoints (every ~4 ms) and the compaction
 * after every checkpoint keep running. After K printed rounds (K random in 2..6) it is killed with SIGKILL after a
 * random 0–30 ms — in a closure, a checkpoint's page writes, a delta file's write or rename, or a compaction — and
 * the work dir (its lock taken over from the dead process) is reopened here with the same configuration. Each
 * partition must then be exactly at the end of one round c — every row read at MAX_VALUE, the primary index
 * scanned, the partition scanned, estimatedSize — with lastAppliedIndex() = c, c at least the last round printed
 * and at most one more (the round in flight may or may not have been checkpointed); the two partitions
 * independently. Every read must succeed: a DataCorruptionError on files the engine wrote itself fails the test.
 * Finally the recovered node writes the next round, closes, and a third open sees exactly that round.
 *
 * Runs: AIPERSIST_SIGKILL_RUNS (default 3), each in a fresh temp dir (removed; kept on failure with
 * AIPERSIST_SIGKILL_KEEP=1). AIPERSIST_SIGKILL_SEED repeats the runs' K and delays (in the test names); where
 * exactly the kill lands still depends on timing, so each run logs the child's last phase (vacuum, closure,
 * checkpoint, compaction, idle) and the delta / .tmp files it left.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  MAX_VALUE, openNode, type MvPartitionStorage, type SortedIndexStorage, type StorageNode,
} from '../../src/interfaces/api/index';
import { LOCK_FILE_NAME } from '../../src/infrastructure/workdir/file-work-dir-lock';
import {
  applyRound, vacuumOld, CRASH_CONFIG, INSERTS_PER_ROUND, modelStates, PARTITIONS, PK, PROFILE, roundOps, rowIdOf, TABLE_ID,
  type ModelRow,
} from '../support/aipersist-crash-child';
import { envInt, SeededRandom } from '../contract/support/seeded-random';
import { ROOT, tsChildArgs } from '../support/ts-child';

const CHILD = join(ROOT, 'test', 'support', 'aipersist-crash-child.ts');
const RUNS = envInt('AIPERSIST_SIGKILL_RUNS', 3);
const SEED = envInt('AIPERSIST_SIGKILL_SEED', Math.floor(Math.random() * 2 ** 31) + 1);
/** The child must print its K lines within this time (its start, with a first transpile into an empty cache, included). */
const CHILD_DEADLINE_MS = 60_000;

interface Killed {
  /** Rounds the child printed, all of them (read to the end of its stdout after its death). */
  readonly printed: number;
  /** What the db directory held right after the kill (for the run's log line). */
  readonly filesAtKill: readonly string[];
  readonly lockLeft: boolean;
  /** The child's last phase marker (`vacuum`, `closure 0 5`, `checkpoint flush`, `compaction`, `idle`): where it died. */
  readonly lastPhase: string;
}

/** Starts the child on `workDir`, waits for its k-th line, kills it with SIGKILL `delayMs` later. */
function runAndKill(workDir: string, k: number, delayMs: number): Promise<Killed> {
  const child = spawn(process.execPath, [...tsChildArgs(CHILD), workDir], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let partial = '';
  let stderr = '';
  let errPartial = '';
  let lastPhase = '(none)';
  let killRequested = false;
  let timedOut = false;
  const deadline = setTimeout(() => {
    killRequested = true;
    timedOut = true;
    child.kill('SIGKILL');
  }, CHILD_DEADLINE_MS);
  child.stdout.on('data', (d: Buffer) => {
    partial += d.toString();
    for (let nl = partial.indexOf('\n'); nl >= 0; nl = partial.indexOf('\n')) {
      lines.push(partial.slice(0, nl));
      partial = partial.slice(nl + 1);
    }
    if (!killRequested && lines.length >= k) {
      killRequested = true;
      clearTimeout(deadline);
      setTimeout(() => child.kill('SIGKILL'), delayMs);
    }
  });
  child.stderr.on('data', (d: Buffer) => {
    errPartial += d.toString();
    for (let nl = errPartial.indexOf('\n'); nl >= 0; nl = errPartial.indexOf('\n')) {
      const line = errPartial.slice(0, nl);
      errPartial = errPartial.slice(nl + 1);
      if (line.startsWith('@')) lastPhase = line.slice(1);
      else stderr += `${line}\n`;
    }
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    // 'close': the process exited and its stdout was read to the end.
    child.on('close', (code, signal) => {
      clearTimeout(deadline);
      const why = `child: ${timedOut ? `no line ${k} within ${CHILD_DEADLINE_MS} ms, killed` : `exit ${code ?? signal}`} after ${lines.length} line(s)${partial === '' ? '' : ` and '${partial}'`}; stderr: ${stderr}${errPartial}`;
      if (timedOut || signal !== 'SIGKILL' || lines.length < k) {
        reject(new Error(why));
        return;
      }
      const rounds = lines.map((l) => /^CHECKPOINTED (\d+)$/.exec(l)?.[1]);
      if (rounds.some((r, i) => r !== String(i + 1))) {
        reject(new Error(`unexpected child output ${JSON.stringify(lines.slice(0, 20))}; ${why}`));
        return;
      }
      const dbDir = join(workDir, 'db', `table-${TABLE_ID}`);
      resolve({
        printed: lines.length,
        filesAtKill: existsSync(dbDir) ? readdirSync(dbDir).sort() : [],
        lockLeft: existsSync(join(workDir, LOCK_FILE_NAME)),
        lastPhase,
      });
    });
  });
}

interface PartitionContents {
  readonly lastApplied: number;
  /** Row at MAX_VALUE of every key in 0..keys−1 (null: none). */
  readonly rows: ReadonlyArray<{ schemaVersion: number; bytes: Uint8Array } | null>;
  /** The primary index, in scan order. */
  readonly index: ReadonlyArray<{ key: bigint; rowIdText: string }>;
  /** The partition scan at MAX_VALUE: row ids in order (and whether any was a write intent). */
  readonly scanned: readonly string[];
  readonly intents: number;
  readonly estimatedSize: number;
}

function readContents(part: MvPartitionStorage, pk: SortedIndexStorage, p: number, keys: number): PartitionContents {
  const rows: Array<{ schemaVersion: number; bytes: Uint8Array } | null> = [];
  for (let key = 0; key < keys; key++) {
    const row = part.read(rowIdOf(p, key), MAX_VALUE).binaryRow;
    rows.push(row === null ? null : { schemaVersion: row.schemaVersion, bytes: row.bytes.slice() });
  }
  const index: Array<{ key: bigint; rowIdText: string }> = [];
  for (const e of pk.scan(null, null, 0)) index.push({ key: e.key[0] as bigint, rowIdText: e.rowId.toString() });
  const scanned: string[] = [];
  let intents = 0;
  for (const r of part.scan(MAX_VALUE)) {
    scanned.push(r.rowId.toString());
    if (r.isWriteIntent) intents++;
  }
  return { lastApplied: part.lastAppliedIndex(), rows, index, scanned, intents, estimatedSize: part.estimatedSize() };
}

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** What differs between the partition's contents and the model's state after a round (empty: equal). */
function differences(got: PartitionContents, p: number, model: ReadonlyMap<number, ModelRow>): string[] {
  const out: string[] = [];
  const note = (s: string) => {
    if (out.length < 12) out.push(s);
  };
  for (let key = 0; key < got.rows.length; key++) {
    const want = model.get(key) ?? null;
    const row = got.rows[key]!;
    if (want === null && row === null) continue;
    if (want === null) note(`key ${key}: a row of round ${row!.schemaVersion} where none should be`);
    else if (row === null) note(`key ${key}: no row, expected the one of round ${want.round}`);
    else if (row.schemaVersion !== want.round || !sameBytes(row.bytes, want.bytes)) {
      note(`key ${key}: row of round ${row.schemaVersion} (${row.bytes.length} B), expected round ${want.round} (${want.bytes.length} B)`);
    }
  }
  const liveKeys = [...model.keys()].sort((a, b) => a - b);
  const wantIndex = liveKeys.map((key) => ({ key: BigInt(key), rowIdText: rowIdOf(p, key).toString() }));
  if (got.index.length !== wantIndex.length) note(`primary index: ${got.index.length} entries, expected ${wantIndex.length}`);
  const firstBad = wantIndex.findIndex((e, i) => got.index[i]?.key !== e.key || got.index[i]?.rowIdText !== e.rowIdText);
  if (firstBad >= 0) note(`primary index entry ${firstBad}: ${JSON.stringify(got.index[firstBad], (_, v) => (typeof v === 'bigint' ? `${v}n` : v))}, expected key ${wantIndex[firstBad]!.key}`);
  const wantScan = liveKeys.map((key) => rowIdOf(p, key)).sort((a, b) => a.compareTo(b)).map(String);
  if (got.scanned.length !== wantScan.length || got.scanned.some((r, i) => r !== wantScan[i])) {
    note(`partition scan: ${got.scanned.length} rows, expected ${wantScan.length}`);
  }
  if (got.intents !== 0) note(`partition scan: ${got.intents} write intents`);
  if (got.estimatedSize !== model.size) note(`estimatedSize() ${got.estimatedSize}, expected ${model.size}`);
  return out;
}

async function openTable(workDir: string): Promise<{ node: StorageNode; parts: Array<{ part: MvPartitionStorage; pk: SortedIndexStorage }> }> {
  const node = await openNode({ workDir, config: CRASH_CONFIG });
  try {
    const table = node.engine('aipersist').createMvTable({ tableId: TABLE_ID, partitions: PARTITIONS, storageProfile: PROFILE });
    const parts = [];
    for (let p = 0; p < PARTITIONS; p++) {
      const part = await table.createMvPartition(p);
      parts.push({ part, pk: table.createSortedIndex(p, PK) });
    }
    return { node, parts };
  } catch (e) {
    await node.close();
    throw e;
  }
}

/**
 * Checks each partition against the model after the round its lastAppliedIndex names (within [from, to]); returns
 * those rounds. On a mismatch, the message says which round (if any) the contents do match.
 */
function checkPartitions(
  parts: ReadonlyArray<{ part: MvPartitionStorage; pk: SortedIndexStorage }>, states: ReadonlyArray<ReadonlyArray<ReadonlyMap<number, ModelRow>>>,
  from: number, to: number, context: string,
): number[] {
  const keys = (to + 2) * INSERTS_PER_ROUND; // beyond every key written (rounds after `to` never ran)
  return parts.map(({ part, pk }, p) => {
    const got = readContents(part, pk, p, keys);
    const c = got.lastApplied;
    const inRange = Number.isInteger(c) && c >= from && c <= to;
    const diff = inRange ? differences(got, p, states[p]![c]!) : [`lastAppliedIndex() ${c} is outside ${from}..${to}`];
    if (diff.length > 0) {
      const matching = states[p]!.findIndex((s) => differences(got, p, s).filter((d) => !d.startsWith('estimatedSize')).length === 0);
      throw new Error(
        `${context}: partition ${p} is not the state after round ${c} (lastAppliedIndex)` +
          `${matching >= 0 ? `; its rows are those after round ${matching}` : '; its rows match no round'}:\n  ${diff.join('\n  ')}`,
      );
    }
    return c;
  });
}

/** Per partition, the delta files (and `.tmp` leftovers) the kill left: 2 deltas = killed before or in a compaction. */
function describeFiles(files: readonly string[]): string {
  return Array.from({ length: PARTITIONS }, (_, p) => {
    const mine = files.filter((f) => f.startsWith(`part-${p}-delta-`));
    const tmp = mine.filter((f) => f.endsWith('.tmp')).length;
    return `partition ${p}: ${mine.length - tmp} delta file(s)${tmp > 0 ? ` + ${tmp} .tmp` : ''}`;
  }).join(', ');
}

/**
 * One run: the child killed after its k-th line + delayMs, then the checks. `where` is filled in after the kill
 * (how many rounds it printed, its last phase, its files), for the log line and for a failure's message.
 */
async function crashAndRecover(workDir: string, k: number, delayMs: number, where: { text: string }): Promise<void> {
  const killed = await runAndKill(workDir, k, delayMs);
  where.text = `${killed.printed} rounds printed; killed in '${killed.lastPhase}', leaving ${describeFiles(killed.filesAtKill)}`;
  expect(killed.lockLeft, 'the dead child left its lock file').toBe(true);
  const states = Array.from({ length: PARTITIONS }, (_, p) => modelStates(p, killed.printed + 2));

  // Reopen (the dead child's lock is taken over): each partition exactly after round printed or printed + 1.
  const first = await openTable(workDir);
  let rounds: number[];
  try {
    rounds = checkPartitions(first.parts, states, killed.printed, killed.printed + 1, 'after the kill');
    // The recovered node writes on: the next round of each partition, checkpointed by a clean close.
    for (let p = 0; p < PARTITIONS; p++) {
      const { part, pk } = first.parts[p]!;
      vacuumOld(first.node.clock, part);
      applyRound(first.node.clock, part, pk, p, rounds[p]! + 1, roundOps(new Map(states[p]![rounds[p]!]!), p, rounds[p]! + 1));
    }
  } finally {
    await first.node.close();
  }
  where.text += `; recovered at rounds ${rounds.join(', ')}`;
  const second = await openTable(workDir);
  try {
    const after = checkPartitions(second.parts, states, killed.printed + 1, killed.printed + 2, 'after one more round and a clean close');
    expect(after).toEqual(rounds.map((c) => c + 1));
  } finally {
    await second.node.close();
  }
}

describe('aipersist: a writer killed with SIGKILL recovers at its last checkpoint', () => {
  const random = new SeededRandom(SEED);
  for (let run = 1; run <= RUNS; run++) {
    const k = 2 + random.int(5);
    const delayMs = random.int(31);
    it(`run ${run}: killed ${delayMs} ms after its checkpoint line ${k} (seed ${SEED})`, async () => {
      const workDir = mkdtempSync(join(tmpdir(), 'aistorage-sigkill-'));
      const where = { text: 'before the kill' };
      const context = () => `run ${run} (AIPERSIST_SIGKILL_SEED=${SEED}, K=${k}, delay ${delayMs} ms, dir ${workDir}): ${where.text}`;
      let failed = false;
      try {
        await crashAndRecover(workDir, k, delayMs, where);
        console.log(context());
      } catch (e) {
        failed = true;
        if (e instanceof Error) e.message = `${context()}\n${e.message}`;
        throw e;
      } finally {
        if (!failed || process.env.AIPERSIST_SIGKILL_KEEP !== '1') rmSync(workDir, { recursive: true, force: true });
      }
    });
  }
});
