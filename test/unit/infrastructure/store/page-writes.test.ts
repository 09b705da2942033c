/**
 * PageRun's syncs ahead (page-writes.ts): an asynchronous run starts the file's fdatasync every SYNC_AHEAD_BYTES it
 * has written, one at a time, without waiting for it — and a failing one neither fails the run nor hides its pages.
 */
import { describe, expect, it } from 'vitest';
import { PageRun, RUN_PAGES, SYNC_AHEAD_BYTES, WriteBuffers } from '../../../../src/infrastructure/store/page-writes';

const PAGE = 1024;

/** Writes `pages` consecutive pages through a run whose writes and syncs settle on the next macrotask. */
async function writePages(pages: number, syncAhead: () => Promise<void>): Promise<{ written: number }> {
  const pool = new WriteBuffers(PAGE, 2);
  let written = 0;
  const run = new PageRun(pool, null, (_first, _buf, count) => new Promise<void>((resolve) => setImmediate(() => {
    written += count;
    resolve();
  })), syncAhead);
  const page = new Uint8Array(PAGE);
  for (let p = 0; p < pages; p++) {
    while (!run.canAdd(p)) await pool.whenFree();
    run.add(p, page, 0);
  }
  await run.drain();
  return { written };
}

describe('PageRun syncs ahead', () => {
  it('starts one fdatasync per SYNC_AHEAD_BYTES written, never two at once', async () => {
    let started = 0;
    let inFlight = 0;
    let maxInFlight = 0;
    const pages = (4 * SYNC_AHEAD_BYTES) / PAGE + 3 * RUN_PAGES;
    const { written } = await writePages(pages, () => {
      started++;
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      return new Promise<void>((resolve) => setTimeout(() => {
        inFlight--;
        resolve();
      }, 1));
    });
    expect(written).toBe(pages);
    expect(started).toBeGreaterThanOrEqual(1);
    expect(started).toBeLessThanOrEqual(4);
    expect(maxInFlight).toBe(1);
  });

  it('a run shorter than SYNC_AHEAD_BYTES starts none', async () => {
    let started = 0;
    await writePages(SYNC_AHEAD_BYTES / PAGE - 1, () => {
      started++;
      return Promise.resolve();
    });
    expect(started).toBe(0);
  });

  it('a failing sync ahead does not fail the run', async () => {
    let started = 0;
    const { written } = await writePages((3 * SYNC_AHEAD_BYTES) / PAGE, () => {
      started++;
      return Promise.reject(new Error('EIO'));
    });
    expect(started).toBeGreaterThan(0);
    expect(written).toBe((3 * SYNC_AHEAD_BYTES) / PAGE);
  });
});
