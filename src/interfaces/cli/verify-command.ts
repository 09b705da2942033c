/**
 * `aistorage verify`: checks offline, read-only, a work dir that no node holds — every page CRC of every main and
 * delta file, every delta file header, every index descriptor file and every delta log record
 * (work-dir-verifier.ts) — with a progress bar on stderr, and prints a report naming each bad file and page (or log
 * segment and offset). Returns the exit code: 0 when nothing is bad (harmless crash leftovers are listed but allowed),
 * 1 otherwise. Writes nothing into the work dir: a verify of a crashed work dir repairs nothing.
 */
import { performance } from 'node:perf_hooks';
import { NodeFileIo } from '../../infrastructure/fs/node-file-io';
import { ReadOnlyFileIo } from '../../infrastructure/fs/read-only-file-io';
import { inspectWorkDir } from '../../infrastructure/store/work-dir-inspector';
import { verifyWorkDir, type VerifyFinding, type VerifyReport } from '../../infrastructure/store/work-dir-verifier';
import { checkOfflineWorkDir } from '../../infrastructure/workdir/offline-work-dir';
import type { CliIo } from './cli-io';
import { ProgressBar } from './progress-bar';

/** Redraws of the progress line at most this often (the last one always). */
const PROGRESS_EVERY_MS = 100;

/** @throws StorageIoError (WORKDIR_UNUSABLE) for a missing work dir; WorkDirLockedError (WORKDIR_LOCKED) while a node holds it. */
export async function verifyCommand(workDir: string, io: CliIo, json: boolean): Promise<number> {
  const dir = checkOfflineWorkDir(workDir, 'verify');
  const t0 = performance.now();
  const fileIo = new ReadOnlyFileIo(new NodeFileIo());
  const inventory = inspectWorkDir(fileIo, dir); // scans the log too
  const bar = io.progress === undefined ? null : new ProgressBar(io.progress, 'pages');
  let drawn = -Infinity;
  const report = await verifyWorkDir(fileIo, inventory, (done, total) => {
    const now = performance.now();
    if (bar === null || (now - drawn < PROGRESS_EVERY_MS && done < total)) return;
    drawn = now;
    bar.update(done, total, now - t0);
  });
  bar?.finish();
  io.out(json ? JSON.stringify(report, null, 2) : formatReport(report, performance.now() - t0));
  return report.ok ? 0 : 1;
}

export function formatReport(r: VerifyReport, millis: number): string {
  const c = r.checked;
  const lines = [
    `verified ${r.workDir} in ${(millis / 1000).toFixed(2)} s: ${c.pageFiles} page file(s) (${n(c.pages)} pages, ${n(c.holes)} never written), ` +
      `${c.deltaHeaders} delta file header(s), ${c.indexFiles} index file(s), ${c.logSegments} log segment(s) (${c.logRecords === null ? 'records unknown' : `${n(c.logRecords)} records`})`,
  ];
  if (r.ok) lines.push('OK: every page, delta file header and log record checked is intact');
  else lines.push(`BAD: ${r.problems.length} problem(s) — restore the work dir from a backup`, ...r.problems.map(findingLine));
  if (r.leftovers.length > 0) {
    lines.push(`${r.leftovers.length} harmless leftover(s) of a crash or a cut-short destruction (never read; the next start, checkpoint or compaction clears them):`,
      ...r.leftovers.map(findingLine));
  }
  return lines.join('\n');
}

function findingLine(f: VerifyFinding): string {
  const where = f.page !== null ? ` page ${f.page}` : f.offset !== null ? ` offset ${f.offset}` : '';
  return `  ${f.file}${where}: ${f.problem}`;
}

const n = (x: number): string => x.toLocaleString('en-US');
