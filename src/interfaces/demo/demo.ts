/**
 * `npm run demo`: opens a node with the spec's `cache_profile` (aimem, initSizeBytes 512 MiB, maxSizeBytes
 * 1 GiB), fills pages until the region allocates its second segment, verifies every page, and prints the events
 * and the region stats. Runs in a fresh temporary work dir that it removes at the end. It uses the package's entries
 * as a user would: the node from the main entry, page access (PageView, page flags) from the testing entry.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openNode, type Region } from '../api/index';
import { FLAG_DATA, PageView, type PageMemory } from '../api/testing';
import { formatBytes } from '../cli/format-stats';

const SPEC_CONFIG = {
  ignite: {
    storage: {
      profiles: [{ engine: 'aimem', name: 'cache_profile', initSizeBytes: 536870912, maxSizeBytes: 1073741824 }],
    },
  },
};

async function demo(): Promise<void> {
  const workDir = mkdtempSync(join(tmpdir(), 'aistorage-demo-'));
  const node = await openNode({ workDir, config: SPEC_CONFIG });
  try {
    console.log(`aistorage demo — work dir ${workDir}`);
    console.log('profiles:', node.profiles().map((p) => `${p.name} (${p.engine})`).join(', '));
    node.events$.subscribe((e) => console.log('event:', JSON.stringify(e)));
    const region = node.region('cache_profile');
    const pm = region.pageMemory;
    const { initSizeBytes, maxSizeBytes } = region.stats();
    console.log(`region '${region.name}': page size ${pm.pageSize} B, init ${formatBytes(initSizeBytes)}, max ${formatBytes(maxSizeBytes)}`);
    const ids = fillUntilSecondSegment(region);
    verify(pm, ids);
    console.log(`wrote and verified ${ids.length} pages (${formatBytes(ids.length * pm.pageSize)} of page content)`);
    console.log('region stats:', JSON.stringify(region.stats(), null, 2));
  } finally {
    await node.close();
    rmSync(workDir, { recursive: true, force: true });
  }
  console.log('node closed; event streams completed');
}

function fillUntilSecondSegment(region: Region): number[] {
  const pm = region.pageMemory;
  const view = new PageView();
  const ids: number[] = [];
  const start = Date.now();
  while (region.stats().segments < 2) {
    // Fill a batch, then look at the stats again (stats() is not meant for the per-page path).
    for (let i = 0; i < 1024; i++) {
      const id = pm.allocatePage(0, 0, FLAG_DATA);
      pm.acquireWrite(0, id, view);
      view.dv.setUint32(view.contentOff, ids.length, true);
      pm.release(view);
      ids.push(id);
    }
  }
  console.log(`filled ${ids.length} pages in ${Date.now() - start} ms`);
  return ids;
}

function verify(pm: PageMemory, ids: number[]): void {
  const view = new PageView();
  for (let i = 0; i < ids.length; i++) {
    pm.acquireRead(0, ids[i]!, view);
    const stamp = view.dv.getUint32(view.contentOff, true);
    pm.release(view);
    if (stamp !== i) throw new Error(`page ${i} holds ${stamp}`);
  }
}

demo().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
