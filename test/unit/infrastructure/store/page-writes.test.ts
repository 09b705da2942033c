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

  it('a write that settles after the run was released starts no sync, and a sync that throws at once is ignored', async () => {
    const pool = new WriteBuffers(PAGE, 2);
    const pending: Array<() => void> = [];
    let started = 0;
    let throwing = false;
    const run = new PageRun(pool, null, () => new Promise<void>((resolve) => pending.push(resolve)), () => {
      started++;
      if (throwing) throw new Error('the delta file was committed or aborted already');
      return Promise.resolve();
    });
    const page = new Uint8Array(PAGE);
    const pagesPerSync = SYNC_AHEAD_BYTES / PAGE;
    // Enough pages for one sync ahead, in runs held in flight; the run is released (an abort) before they settle.
    for (let p = 0; p < pagesPerSync; p++) {
      if (!run.canAdd(p)) {
        pending.shift()!();
        await pool.whenFree();
      }
      run.add(p, page, 0);
    }
    run.flush();
    run.release();
    throwing = true;
    for (const resolve of pending.splice(0)) resolve();
    await run.settled();
    expect(started).toBe(0);
    // A run that is not released and whose sync throws synchronously: its writes still settle without a rejection.
    const run2 = new PageRun(pool, null, () => Promise.resolve(), () => {
      started++;
      throw new Error('closed');
    });
    for (let p = 0; p < 2 * pagesPerSync; p++) {
      while (!run2.canAdd(p)) await pool.whenFree();
      run2.add(p, page, 0);
    }
    await expect(run2.drain()).resolves.toBeUndefined();
    expect(started).toBeGreaterThan(0);
  });
});
