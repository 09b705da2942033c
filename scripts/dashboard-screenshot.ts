/**
 * Makes docs/dashboard.png, the README's picture of the live dashboard: a node whose page cache (24 MiB) is far smaller
 * than what it writes, under a load of inserts, updates and reads that swells and ebbs, with interval checkpoints every
 * few seconds, and its dashboard open in headless Chromium at 1400 × 1000 for about 20 s.
 * Run: `npm run dashboard:screenshot` (Chromium: test/support/chromium.ts says where it is looked for). Not a test.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { MAX_VALUE, openNode, RowId, type MvPartitionStorage, type StorageNode } from '../src/interfaces/api/index';
import { launchChromium } from '../test/support/chromium';
import { tempDir } from '../test/support/temp-dir';

const MiB = 1024 * 1024;
const OUT = resolve(__dirname, '..', 'docs', 'dashboard.png');
const RUN_MILLIS = Number(process.env['SCREENSHOT_RUN_MILLIS'] ?? 20_000);
const VALUE = new Uint8Array(180).fill(7);
const HOT_ROWS = 20_000;
/** What the page's script keeps (dashboard/dashboard.js), read in the page; the scripts compile without the DOM library. */
declare const __dashboard: { samples: number; checkpointsMarked: number; throttlingMarked: number };

/**
 * A load that swells and ebbs (a period of ~8 s): inserts in key order (new pages, as an append-mostly table makes),
 * updates of recent rows (a hot set), and reads of any earlier row (misses once the table outgrows the cache).
 */
function startLoad(node: StorageNode, part: MvPartitionStorage): () => void {
  const rows: RowId[] = [];
  const started = Date.now();
  let stopped = false;
  const tick = (): void => {
    if (stopped) return;
    const phase = 0.5 + 0.5 * Math.sin((Date.now() - started) / 1300);
    const inserts = Math.round(20 + 130 * phase);
    part.runConsistently(() => {
      const ts = node.clock.now();
      for (let i = 0; i < inserts; i++) {
        const id = new RowId(0, BigInt(rows.length + 1), 0n);
        part.addWriteCommitted(id, { schemaVersion: 1, bytes: VALUE }, ts);
        rows.push(id);
      }
      for (let i = 0; i < inserts / 4 && rows.length > 0; i++) {
        const hot = rows.length - 1 - ((Math.random() * Math.min(rows.length, HOT_ROWS)) | 0);
        part.addWriteCommitted(rows[hot]!, { schemaVersion: 1, bytes: VALUE }, node.clock.now());
      }
    });
    for (let i = 0; i < 200 && rows.length > 0; i++) part.read(rows[(Math.random() * rows.length) | 0]!, MAX_VALUE);
    setTimeout(tick, 2);
  };
  tick();
  return () => {
    stopped = true;
  };
}

async function main(): Promise<void> {
  const work = tempDir('aistorage-screenshot-');
  const node = await openNode({
    workDir: work.path,
    config: {
      ignite: {
        storage: {
          engines: { aipersist: { checkpoint: { intervalMillis: 3000, intervalDeviationPercent: 20 } } },
          profiles: [{ engine: 'aipersist', name: 'default', sizeBytes: 24 * MiB }],
        },
      },
    },
  });
  const browser = await launchChromium(1400, 1000);
  let stopLoad = (): void => {};
  try {
    const table = node.engine('aipersist').createMvTable({ tableId: 1, partitions: 1, storageProfile: 'default' });
    stopLoad = startLoad(node, await table.createMvPartition(0));
    const dashboard = await node.serveDashboard({ intervalMillis: 250 });
    const page = await browser.newPage();
    page.on('console', (m) => { if (m.type() === 'error') console.error('page:', m.text()); });
    await page.goto(dashboard.url, { waitUntil: 'load' });
    await new Promise((r) => setTimeout(r, RUN_MILLIS));
    mkdirSync(dirname(OUT), { recursive: true });
    await page.screenshot({ path: OUT as `${string}.png` });
    const counts = await page.evaluate(() => ({
      samples: __dashboard.samples, checkpoints: __dashboard.checkpointsMarked, throttling: __dashboard.throttlingMarked,
    }));
    console.log(`wrote ${OUT}: ${JSON.stringify(counts)}`);
  } finally {
    stopLoad();
    await browser.close();
    await node.close();
    work.cleanup();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
