/**
 * One run of one subject of the SQL benchmark (bench/sql.bench.ts), in its own process:
 *
 *   node --expose-gc -r ts-node/register/transpile-only bench/sql/child.ts <aimem|aipersist|sqlite> <N>
 *
 * Runs ./phases.ts on the subject (./aistorage-subject.ts, ./sqlite-subject.ts) over the standard workload of N rows
 * and prints `@@RESULT <json>` (an SqlRunResult), or `@@SKIP <reason>` when better-sqlite3 cannot be loaded.
 */
import { RESULT_MARK, SKIP_MARK } from '../standard/run-result';
import { makeWorkload } from '../standard/workload';
import { LABELS, SUBJECT_IDS, sqlWorkload, type SqlRunResult, type SqlSubject, type SubjectId } from './common';
import { runSqlPhases } from './phases';
import { AistorageSqlSubject } from './aistorage-subject';
import { SqliteSqlSubject, type SqliteDatabase } from './sqlite-subject';

/** The subject of `id`, or a string saying why its package cannot be loaded. */
function subject(id: SubjectId): SqlSubject | string {
  switch (id) {
    case 'aimem':
    case 'aipersist':
      return new AistorageSqlSubject(LABELS[id], id);
    case 'sqlite': {
      try {
        const mod = require('better-sqlite3') as { default?: unknown };
        return new SqliteSqlSubject(LABELS[id], (mod.default ?? mod) as SqliteDatabase);
      } catch (e) {
        return (e as Error).message.split('\n')[0]!;
      }
    }
  }
}

async function main(): Promise<void> {
  const [id, nText] = process.argv.slice(2) as [SubjectId, string];
  if (!SUBJECT_IDS.includes(id)) throw new Error(`unknown id ${id}; ids: ${SUBJECT_IDS.join(', ')}`);
  const s = subject(id);
  if (typeof s === 'string') {
    console.log(`${SKIP_MARK}${s}`);
    return;
  }
  const sw = sqlWorkload(makeWorkload(Number(nText)));
  const result: SqlRunResult = { id, label: LABELS[id], figures: await runSqlPhases(s, sw) };
  console.log(`${RESULT_MARK}${JSON.stringify(result)}`);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : e);
    process.exitCode = 1;
  });
}
