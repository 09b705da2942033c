/**
 * Makes docs/dashboard.png, the README's picture of the live dashboard: a node whose page cache (24 MiB) is several
 * times smaller than its data, under random updates that swell and ebb (write throttling engages at the swells), with
 * interval checkpoints every few seconds, and its dashboard open in headless Chromium at 1400 × 1000 for about 20 s.
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
/** What the page's script keeps (dashboard/dashboard.js), read in the page; the scripts compile without the DOM library. */
declare const __dashboard: { samples: number; checkpointsMarked: number; throttlingMarked: number };

/** Rows loaded before the picture: ~4 × the cache (so most updates miss it and dirty a page of their own). */
const ROWS = 400_000;
const WRITERS = 8;
const ROWS_PER_CLOSURE = 16;

/** Loads ROWS rows in key order, then checkpoints: the data on disk is several times the cache. */
async function loadRows(node: StorageNode, part: MvPartitionStorage): Promise<RowId[]> {
  const rows = Array.from({ length: ROWS }, (_, i) => new RowId(0, BigInt(i + 1), 0n));
  for (let i = 0; i < ROWS; i += 2000) {
    part.runConsistently(() => {
      const ts = node.clock.now();
      for (let j = i; j < Math.min(ROWS, i + 2000); j++) part.addWriteCommitted(rows[j]!, { schemaVersion: 1, bytes: VALUE }, ts);
    });
  }
  await node.checkpoint();
  return rows;
}

/**
 * The overload benchmark's load (bench/overload.bench.ts), swelling and ebbing with a period of ~8 s: WRITERS
 * writers, each closure (runDurably) a new version of ROWS_PER_CLOSURE random rows, a pause between closures that
 * grows and shrinks — at the swell writers outrun the checkpoints and write throttling engages, at the ebb it stops.
 */
function startLoad(node: StorageNode, part: MvPartitionStorage, rows: readonly RowId[]): () => void {
  const started = Date.now();
  let stopped = false;
  const writer = async (): Promise<void> => {
    while (!stopped) {
      await part.runDurably(() => {
        for (let i = 0; i < ROWS_PER_CLOSURE; i++) {
          part.addWriteCommitted(rows[(Math.random() * rows.length) | 0]!, { schemaVersion: 1, bytes: VALUE }, node.clock.now());
        }
      });
      const phase = 0.5 + 0.5 * Math.sin((Date.now() - started) / 1300);
      await new Promise((r) => (phase > 0.35 ? setImmediate(r) : setTimeout(r, 4 + 20 * (0.35 - phase))));
    }
  };
  for (let w = 0; w < WRITERS; w++) void writer();
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
          engines: { aipersist: { checkpoint: { intervalMillis: 3000, intervalDeviationPercent: 20 }, deltaLog: { syncMode: 'background' } } },
          profiles: [{ engine: 'aipersist', name: 'default', sizeBytes: 24 * MiB }],
        },
      },
    },
  });
  const browser = await launchChromium(1400, 1000);
  let stopLoad = (): void => {};
  try {
    const table = node.engine('aipersist').createMvTable({ tableId: 1, partitions: 1, storageProfile: 'default' });
    const part = await table.createMvPartition(0);
    stopLoad = startLoad(node, part, await loadRows(node, part));
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
