/**
 * The live dashboard in a real headless browser (Chromium from the Debian package, driven by puppeteer-core): the page
 * loads with no console error, failed request or CSP violation; its six charts exist and receive samples while a node
 * is written to; a checkpoint (node.checkpoint() while the page is open) is marked on the time axis and drawn as a bar
 * of the phases chart; a throttling period (writers outrunning a checkpoint held up by a slow disk) is drawn as a band
 * from its start to its stop. Without Chromium this test fails and says how to install it — it is never skipped.
 */
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, describe, expect, it } from 'vitest';
import { openNode, RowId, type StorageNode } from '../../src/interfaces/api/index';
import { tuneAipersist } from '../support/aipersist-tuning';
import { launchChromium } from '../support/chromium';
import { SlowFileIo } from '../support/slow-file-io';
import { tempDir } from '../support/temp-dir';

const MiB = 1024 * 1024;
const CHARTS = ['buffer', 'dirty', 'hits', 'phases', 'throttle', 'writes'];

/** What the page's script keeps on window.__dashboard (dashboard/dashboard.js). */
interface PageState {
  samples: number;
  checkpointsMarked: number;
  throttlingMarked: number;
  writes: (number | null)[];
  marks: { kind: string; from: number; to: number | null; label: string }[];
  charts: Record<string, unknown>;
  dataLengths(): Record<string, number>;
}
// Globals of the page, for the functions evaluated in it (the tests compile without the DOM library).
declare const __dashboard: PageState;
declare const document: {
  querySelectorAll(selector: string): Iterable<{ id: string; querySelectorAll(selector: string): { length: number } }>;
  getElementById(id: string): { textContent: string | null } | null;
};

/** Every sign of a broken page: console errors and warnings, uncaught errors, failed or refused requests. */
function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warn') problems.push(`console.${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${String(e)}`));
  page.on('requestfailed', (r) => {
    if (!r.url().endsWith('/events')) problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  return problems;
}

describe('the live dashboard in headless Chromium', () => {
  const dir = tempDir('aistorage-dashboard-browser-');
  let browser: Browser | null = null;
  let node: StorageNode | null = null;

  afterAll(async () => {
    await browser?.close();
    await node?.close();
    dir.cleanup();
  });

  it('loads without errors, draws six charts that receive samples, and marks a checkpoint', async () => {
    // In the test, not in a hook: without Chromium this test fails ("Chromium not found … apt-get install -y
    // chromium"), where a failing hook would count it as skipped.
    browser = await launchChromium(1280, 1000);
    node = await openNode({
      workDir: dir.path,
      config: { ignite: { storage: { engines: { aipersist: { pageSizeBytes: 4096, checkpoint: { intervalMillis: 0 } } }, profiles: [{ engine: 'aipersist', name: 'default', sizeBytes: 16 * MiB }] } } },
    });
    const n = node;
    const part = await n.engine('aipersist').createMvTable({ tableId: 1, partitions: 1, storageProfile: 'default' }).createMvPartition(0);
    const writer = setInterval(() => part.runConsistently(() => {
      for (let i = 0; i < 20; i++) part.addWriteCommitted(RowId.random(0), { schemaVersion: 1, bytes: new Uint8Array(120) }, n.clock.now());
    }), 5);
    try {
      const dashboard = await n.serveDashboard({ intervalMillis: 100 });
      const page = await browser!.newPage();
      const problems = watchProblems(page);
      await page.goto(dashboard.url, { waitUntil: 'load' });
      await page.waitForFunction(() => __dashboard.samples >= 5, { timeout: 10_000 });

      const seen = await page.evaluate(() => ({
        charts: Object.keys(__dashboard.charts).sort(),
        canvases: [...document.querySelectorAll('main .chart')].map((s) => `${s.id}:${s.querySelectorAll('canvas').length}`),
        lengths: __dashboard.dataLengths(),
        writing: __dashboard.writes.some((w) => w !== null && w > 0),
        status: document.getElementById('status')!.textContent,
      }));
      expect(seen.charts).toEqual(CHARTS);
      expect(seen.canvases.sort()).toEqual(CHARTS.map((c) => `chart-${c}:1`));
      for (const c of CHARTS.filter((id) => id !== 'phases')) expect(seen.lengths[c], c).toBeGreaterThan(1);
      expect(seen.writing).toBe(true);
      expect(seen.status).toMatch(/^live · \d+ samples/);

      await n.checkpoint();
      await page.waitForFunction(() => __dashboard.checkpointsMarked >= 1 && __dashboard.dataLengths()['phases']! >= 1, { timeout: 10_000 });
      const marks = await page.evaluate(() => __dashboard.marks.filter((m) => m.kind === 'checkpoint' && m.to !== null));
      expect(marks.length).toBeGreaterThanOrEqual(1);
      expect(marks[0]!.to!).toBeGreaterThanOrEqual(marks[0]!.from);
      expect(marks[0]!.label).toMatch(/^#\d+$/);
      expect(problems).toEqual([]);
      await page.close();
    } finally {
      clearInterval(writer);
    }
  }, 40_000);

  it('draws a throttling period as a band from throttling.started to throttling.stopped', async () => {
    browser ??= await launchChromium(1280, 1000);
    const io = new SlowFileIo((path) => path.includes('/db/')); // the page files are slow, the log is not
    const work = `${dir.path}/throttled`;
    io.mkdirs(work);
    const n = await openNode({
      workDir: work,
      config: { ignite: { storage: { engines: { aipersist: { pageSizeBytes: 1024, checkpoint: { intervalMillis: 0 } } }, profiles: [{ engine: 'aipersist', name: 'default', sizeBytes: 16 * MiB }] } } },
    }, { configure: tuneAipersist(work, { io, cacheSizeBytes: 256 * 1024, checkpointBufferBytes: 48 * 1024 }) });
    let stop = false;
    try {
      const part = await n.engine('aipersist').createMvTable({ tableId: 2, partitions: 1, storageProfile: 'default' }).createMvPartition(0);
      const rows = Array.from({ length: 600 }, () => RowId.random(0));
      const update = (): void => rows.forEach((r) => part.addWriteCommitted(r, { schemaVersion: 1, bytes: new Uint8Array(100) }, n.clock.now()));
      part.runConsistently(update);
      await n.checkpoint();
      part.runConsistently(update); // every page of the rows dirty again: the next checkpoint's pages
      const dashboard = await n.serveDashboard({ intervalMillis: 100 });
      const page = await browser.newPage();
      const problems = watchProblems(page);
      await page.goto(dashboard.url, { waitUntil: 'load' });
      await page.waitForFunction(() => __dashboard.samples >= 2, { timeout: 10_000 });
      io.slow = true; // the checkpoint's writes wait for the "disk"
      const checkpoint = n.checkpoint();
      // Writers change the checkpoint's pages before it wrote them (copy-on-write into its buffer) until throttled.
      const writers = Array.from({ length: 4 }, async () => {
        while (!stop) await part.runDurably(() => part.addWriteCommitted(rows[(Math.random() * rows.length) | 0]!, { schemaVersion: 1, bytes: new Uint8Array(100) }, n.clock.now()));
      });
      await page.waitForFunction(() => __dashboard.marks.some((m) => m.kind === 'throttling'), { timeout: 15_000 });
      io.fast(); // the disk catches up: the checkpoint ends, and throttling with it
      await checkpoint;
      await page.waitForFunction(() => __dashboard.marks.some((m) => m.kind === 'throttling' && m.to !== null), { timeout: 10_000 });
      stop = true;
      await Promise.all(writers);
      const band = await page.evaluate(() => __dashboard.marks.find((m) => m.kind === 'throttling' && m.to !== null)!);
      expect(band.to!).toBeGreaterThanOrEqual(band.from);
      expect(band.label).toBe('default');
      expect(await page.evaluate(() => __dashboard.throttlingMarked)).toBeGreaterThanOrEqual(1);
      expect(problems).toEqual([]);
      await page.close();
    } finally {
      stop = true;
      io.fast();
      await n.close();
    }
  }, 40_000);
});
