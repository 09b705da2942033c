/**
 * The row store and free list on the real volatile page memory, whose pages sit at non-zero offsets inside shared
 * segment buffers (HeapPageMemory always puts a page at offset 0, which would hide offset mistakes), and whose
 * freed slots are reused under new page ids. Size: ROWSTORE_MODEL_OPS (default 2000 operations per run).
 */
import { describe, expect, it } from 'vitest';
import { VolatilePageMemory } from '../../../../src/domain/page-memory/volatile-page-memory';
import { slotSizeOf } from '../../../../src/domain/page-memory/volatile-page.layout';
import type { MemoryProvider } from '../../../../src/domain/ports/memory-provider.port';
import { BucketedFreeList } from '../../../../src/domain/freelist/bucketed-free-list';
import { RowStore } from '../../../../src/domain/datapage/row-store';
import { envSize, seeded } from './row-store.fixture';
import { modelStep, verifyModel, type ModelRow } from './row-store.model';

const OPS = envSize('ROWSTORE_MODEL_OPS', 2000);

const heapBuffers: MemoryProvider = {
  allocate: (bytes) => new ArrayBuffer(bytes),
  release: () => undefined,
};

describe.each([1024, 16384])('RowStore on VolatilePageMemory (%i-byte pages)', (pageSize) => {
  it(`matches a Map over ${OPS} random operations and gives every page back`, () => {
    const slots = pageSize === 1024 ? 4096 : 1024;
    const memory = new VolatilePageMemory({
      name: 'rows', pageSize, initSizeBytes: slots * slotSizeOf(pageSize), maxSizeBytes: 2 * slots * slotSizeOf(pageSize), memory: heapBuffers,
    });
    const freeList = BucketedFreeList.create(memory, 5, 9, { maxReusePages: 3 });
    const f = { store: new RowStore(memory, freeList), freeList };
    const rnd = seeded(pageSize + 17);
    const model = new Map<number, ModelRow>();
    for (let i = 0; i < OPS; i++) {
      modelStep(f, model, rnd, i, pageSize);
      expect(memory.stats().pinnedPages).toBe(0);
      if (i % 101 === 0) {
        verifyModel(f, model);
        memory.checkInvariants();
      }
    }
    verifyModel(f, model);
    for (const row of model.values()) f.store.remove(row.link.pageId, row.link.itemId);
    freeList.checkInvariants();
    freeList.releaseReusePages();
    expect(memory.stats().allocatedPages).toBe(freeList.metaPageCount);
    freeList.destroy();
    expect(memory.stats().allocatedPages).toBe(0);
    memory.checkInvariants();
    memory.close();
  });
});
