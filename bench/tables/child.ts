/**
 * One run of one subject of the tables benchmark (bench/tables.bench.ts), in its own process:
 *
 *   node --expose-gc -r ts-node/register/transpile-only bench/tables/child.ts <id> <N>
 *
 * Ids (./common.ts):
 * - `l2-aimem`, `l2-aipersist` (zone of 1 partition), `l2-aimem-p25`, `l2-aipersist-p25` (25 partitions): the
 *   standard workload's phases through the table API (./level2-subject.ts), N rows;
 * - `l3-aimem`: the same through the SPI, bench/standard's AistorageSubject (aimem, its sequential RowIds: ascending,
 *   as the tables' time-ordered ones);
 * - `l3-aipersist`: the same through the SPI on aipersist (./level3-aipersist-subject.ts);
 * - `commits-l2`, `commits-l2-p25`, `commits-l3`, `commits-sqlite`: the durable single-row commits, one writer then
 *   64 (./commit-loops.ts, ./committers.ts), on the commit workload of bench/delta-log (its rows, not N).
 *
 * Prints `@@RESULT <json>` (a RunResult or a CommitResult) or `@@SKIP <reason>` when a peer's package cannot be loaded.
 */
import { RESULT_MARK, SKIP_MARK } from '../standard/run-result';
import { makeWorkload } from '../standard/workload';
import type { Subject } from '../standard/subject';
import type { SqliteModule } from '../standard/native-peers';
import { commitWorkload } from '../delta-log/commit-loops';
import { CHILD_IDS, LABELS, aipersistCacheBytes, isPhaseId, type ChildId, type CommitId, type CommitResult, type PhaseId } from './common';
import { Level2Subject } from './level2-subject';
import { Level3AipersistSubject } from './level3-aipersist-subject';
import { runPhases } from './phases';
import { commitFigures } from './commit-loops';
import { Level2Committer, type UpsertCommitter } from './committers';
import { SqliteCommitter } from '../delta-log/peers';

function phaseSubject(id: PhaseId): Subject {
  const label = LABELS[id];
  switch (id) {
    case 'l2-aimem': return new Level2Subject(label, 'aimem', 1);
    case 'l2-aipersist': return new Level2Subject(label, 'aipersist', 1);
    case 'l2-aimem-p25': return new Level2Subject(label, 'aimem', 25);
    case 'l2-aipersist-p25': return new Level2Subject(label, 'aipersist', 25);
    case 'l3-aipersist': return new Level3AipersistSubject(label);
    case 'l3-aimem': {
      const { AistorageSubject } = require('../standard/aistorage-subject') as typeof import('../standard/aistorage-subject');
      return new AistorageSubject('aimem', 'sequential'); // ascending RowIds, as level 2's time-ordered ones
    }
  }
}

/** The committer factory of `id`, or a string saying why its package cannot be loaded. */
function committer(id: CommitId, rows: number): (() => UpsertCommitter) | string {
  const label = LABELS[id];
  switch (id) {
    case 'commits-l2': return () => new Level2Committer(label, rows, 1);
    case 'commits-l2-p25': return () => new Level2Committer(label, rows, 25);
    case 'commits-l3': {
      const { AipersistLogBench } = require('../delta-log/aipersist-subject') as typeof import('../delta-log/aipersist-subject');
      return () => new AipersistLogBench(null, 'fsync', aipersistCacheBytes(rows));
    }
    case 'commits-sqlite': {
      try {
        const mod = require('better-sqlite3') as { default?: unknown };
        const Database = (mod.default ?? mod) as SqliteModule;
        return () => new SqliteCommitter(Database, true);
      } catch (e) {
        return (e as Error).message.split('\n')[0]!;
      }
    }
  }
}

async function main(): Promise<void> {
  const [id, nText] = process.argv.slice(2) as [ChildId, string];
  if (!CHILD_IDS.includes(id)) throw new Error(`unknown id ${id}; ids: ${CHILD_IDS.join(', ')}`);
  const n = Number(nText);
  if (isPhaseId(id)) {
    const result = await runPhases(id, LABELS[id], phaseSubject(id), makeWorkload(n));
    console.log(`${RESULT_MARK}${JSON.stringify(result)}`);
    return;
  }
  const w = commitWorkload();
  const make = committer(id, w.n);
  if (typeof make === 'string') {
    console.log(`${SKIP_MARK}${make}`);
    return;
  }
  const result: CommitResult = { id, label: LABELS[id], figures: await commitFigures(make, w) };
  console.log(`${RESULT_MARK}${JSON.stringify(result)}`);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : e);
    process.exitCode = 1;
  });
}
