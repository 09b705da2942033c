/**
 * One run of one subject of the delta-log benchmark (bench/delta-log.bench.ts), in its own process:
 *
 *   node --expose-gc -r ts-node/register/transpile-only bench/delta-log/child.ts <id> <N> [<workDir>]
 *
 * Ids:
 * - `aipersist`, `aipersist-nolog`: figures 1, 2 and 4 (4 alone with syncMode 'none') of ./aipersist-subject.ts,
 *   which says what each one measures.
 * - `replay-write <workDir>`, `replay-open <workDir>`: figure 3's writer (which SIGKILLs itself) and reopen, of
 *   ./replay.ts. The parent runs the two as its `aipersist-replay` subject.
 * - `sqlite`, `lmdb`: figures 1 and 2 with the subjects of ./peers.ts (better-sqlite3 WAL + FULL, one INSERT per
 *   transaction; lmdb-js `await put` + `await db.flushed`); lmdb also figure 4, first (LmdbSubject of
 *   bench/standard/native-peers.ts, its default sync, 1,000 puts per transactionSync, as bench/aipersist measures it).
 * - `fdatasync`: figure 1 for the raw disk: SINGLE_COMMITS × (4 KiB written over a preallocated block + fdatasync),
 *   then SINGLE_COMMITS × (4 KiB appended + fdatasync).
 * Figures 1 and 2 run in ./commit-loops.ts; the ids, labels, sizes and the Figures type are in ./common.ts
 * (re-exported here for the parent).
 *
 * Prints `@@RESULT <json>` (a ChildResult) or `@@SKIP <reason>` when a peer's package cannot be loaded. Untimed
 * checks (every row of figure 1 read back, sampled rows of figures 2 and 4, every row after the replay) make a fast
 * but wrong run fail.
 */
import { RESULT_MARK, SKIP_MARK } from '../standard/run-result';
import { makeWorkload } from '../standard/workload';
import { CHILD_IDS, LABELS, SINGLE_COMMITS, checkKeys, perSecond, timed, type ChildId, type ChildResult, type Figures } from './common';
import { commitFigures, commitWorkload, singleWriter } from './commit-loops';
import { batchedInserts, runAipersist } from './aipersist-subject';
import { replayOpen, replayWrite } from './replay';
import { FdatasyncProbe, LmdbCommitter, SqliteCommitter } from './peers';

export {
  CHILD_IDS, CONCURRENT_COMMITS, CONCURRENT_SECONDS, CONCURRENT_WRITERS, LABELS, REPLAY_ROWS, SINGLE_COMMITS,
} from './common';
export type { ChildId, ChildResult, Figures } from './common';

type ProcessId = Exclude<ChildId, 'aipersist-replay'> | 'replay-write' | 'replay-open';

// ---------------------------------------------------------------- peers

/** The peer's module, or a string saying why its package cannot be loaded. */
function load<T>(name: string): T | string {
  try {
    return require(name) as T;
  } catch (e) {
    return (e as Error).message.split('\n')[0]!;
  }
}

async function runSqlite(): Promise<Figures | string> {
  const Database = load<import('../standard/native-peers').SqliteModule>('better-sqlite3');
  if (typeof Database === 'string') return Database;
  const f: Figures = {};
  await commitFigures(() => new SqliteCommitter(Database), commitWorkload(), f);
  return f;
}

async function runLmdb(n: number): Promise<Figures | string> {
  const lmdb = load<typeof import('lmdb')>('lmdb');
  if (typeof lmdb === 'string') return lmdb;
  const f: Figures = {};
  // Figure 4 first, as the aipersist children do.
  const { LmdbSubject } = require('../standard/native-peers') as typeof import('../standard/native-peers');
  const s = new LmdbSubject(lmdb, false);
  const w = makeWorkload(n);
  await s.open();
  try {
    f.insert = perSecond(n, (await timed(() => s.insert(w))).ms);
    checkKeys(`${s.label} after the inserts`, w, w.readOrder, n, Math.max(1, Math.floor(n / 500)), (k) => s.lookup(k));
  } finally {
    await s.close();
  }
  await commitFigures(() => new LmdbCommitter(lmdb), commitWorkload(), f);
  return f;
}

async function runFdatasync(): Promise<Figures> {
  const w = commitWorkload();
  const f: Figures = {};
  for (const mode of ['overwrite', 'append'] as const) {
    const p = new FdatasyncProbe(mode);
    await p.open();
    try {
      const r = await singleWriter(p, w, SINGLE_COMMITS);
      if (mode === 'overwrite') {
        f.singleCommitsPerSec = perSecond(r.commits, r.ms);
        f.singleP50Ms = r.p50Ms;
        f.singleP99Ms = r.p99Ms;
      } else {
        f.appendCommitsPerSec = perSecond(r.commits, r.ms);
        f.appendP50Ms = r.p50Ms;
        f.appendP99Ms = r.p99Ms;
      }
    } finally {
      await p.close();
    }
  }
  return f;
}

async function main(): Promise<void> {
  const [id, nText, workDir] = process.argv.slice(2) as [ProcessId, string, string | undefined];
  const n = Number(nText);
  if (!Number.isInteger(n) || n < 100) throw new Error(`N must be an integer ≥ 100, got ${nText}`);
  const needDir = (): string => {
    if (workDir === undefined) throw new Error(`${id} needs a work dir argument`);
    return workDir;
  };
  let figures: Figures | string;
  switch (id) {
    case 'aipersist': figures = await runAipersist(n); break;
    case 'aipersist-nolog': {
      figures = {};
      await batchedInserts('none', makeWorkload(n), figures);
      break;
    }
    case 'replay-write': return void (await replayWrite(n, needDir()));
    case 'replay-open': figures = await replayOpen(n, needDir()); break;
    case 'sqlite': figures = await runSqlite(); break;
    case 'lmdb': figures = await runLmdb(n); break;
    case 'fdatasync': figures = await runFdatasync(); break;
    default: throw new Error(`unknown id ${String(id)}; ids: ${[...CHILD_IDS.filter((x) => x !== 'aipersist-replay'), 'replay-write', 'replay-open'].join(', ')}`);
  }
  if (typeof figures === 'string') {
    console.log(`${SKIP_MARK}${figures}`);
    return;
  }
  const label = id === 'replay-open' ? LABELS['aipersist-replay'] : LABELS[id];
  const result: ChildResult = { id, label, figures };
  console.log(`${RESULT_MARK}${JSON.stringify(result)}`);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : e);
    process.exitCode = 1;
  });
}
