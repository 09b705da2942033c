import { mkdtempSync, readdirSync, rmSync, statfsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

const GiB = 1024 ** 3;
const TMPFS_MAGIC = 0x01021994;

/**
 * The tests' scratch work dirs (os.tmpdir(), inherited by their child processes) go to a RAM file system when the
 * machine has one with room: /dev/shm if it is tmpfs with at least 4 GiB free, and TMPDIR is not set already. The
 * engine runs exactly the same file operations there (writes, renames, fsync / fdatasync and directory syncs); only
 * each sync returns at once instead of waiting ~2–3 ms for a virtual disk, and the suite's open / checkpoint / close
 * cycles make tens of thousands of them. No test depends on a sync reaching a disk: power loss is simulated at the
 * FileIo port (PowerLossFileIo), and a SIGKILLed process loses nothing the kernel already has. AISTORAGE_TEST_TMPDIR
 * names another scratch root; TMPDIR=/tmp (or any) keeps the system's. The run's root (aistorage-tests-<pid>-*) is
 * removed at its end (test/support/scratch-root.global.ts), and a root whose run died before its end (its pid gone)
 * by the next run.
 */
function scratchRoot(): string | undefined {
  const wanted = process.env['AISTORAGE_TEST_TMPDIR'];
  if (wanted !== undefined && wanted !== '') return newRoot(wanted);
  if (process.env['TMPDIR'] !== undefined) return undefined;
  try {
    const fs = statfsSync('/dev/shm');
    if (fs.type !== TMPFS_MAGIC || fs.bavail * fs.bsize < 4 * GiB) return undefined;
    return newRoot('/dev/shm');
  } catch {
    return undefined;
  }
}

function newRoot(parent: string): string {
  for (const name of readdirSync(parent)) {
    const pid = Number(/^aistorage-tests-(\d+)-/.exec(name)?.[1]);
    if (!Number.isInteger(pid) || pid === process.pid || alive(pid)) continue;
    rmSync(join(parent, name), { recursive: true, force: true });
  }
  return mkdtempSync(join(parent, `aistorage-tests-${process.pid}-`));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === 'EPERM';
  }
}

const scratch = scratchRoot();
if (scratch !== undefined) {
  process.env['TMPDIR'] = scratch;
  process.env['AISTORAGE_TEST_SCRATCH_ROOT'] = scratch;
}

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/scratch-root.global.ts'],
    pool: 'forks',
    // Every core runs a test file (vitest's default leaves one core to its main process, which mostly waits: on a
    // 2-core machine that ran the files one at a time).
    maxWorkers: availableParallelism(),
    // A worker process runs file after file with its module cache kept: src and its dependencies are imported once
    // per worker instead of once per file. The tests keep no state in modules they share (each opens its own nodes,
    // work dirs and regions); globals stubbed with vi.stubGlobal are restored after every test.
    isolate: false,
    unstubGlobals: true,
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
