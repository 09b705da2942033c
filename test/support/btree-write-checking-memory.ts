/**
 * A PageMemory decorator for B+ tree tests: remembers each read-acquired page's bytes and, at release, reports any
 * change made through the read view (a write that bypassed acquireWrite). Also checks that no view is acquired
 * twice without release (the inner memory does too).
 */
import type { PageMemory, PageView } from '../../src/domain/page-memory/page-memory.port';
import type { HeapPageMemory } from './heap-page-memory';

export class WriteCheckingPageMemory implements PageMemory {
  readonly #snapshots = new Map<PageView, Uint8Array>();
  readonly violations: string[] = [];

  constructor(readonly inner: HeapPageMemory) {}

  get pageSize(): number {
    return this.inner.pageSize;
  }

  allocatePage(groupId: number, partitionId: number, flags: number): number {
    return this.inner.allocatePage(groupId, partitionId, flags);
  }

  freePage(groupId: number, pageId: number): void {
    this.inner.freePage(groupId, pageId);
  }

  dropPages(groupId: number, partitionId: number, flags: number): number {
    return this.inner.dropPages(groupId, partitionId, flags);
  }

  acquireRead(groupId: number, pageId: number, view: PageView): void {
    this.inner.acquireRead(groupId, pageId, view);
    this.#snapshots.set(view, view.buf.slice(view.off, view.off + this.pageSize));
  }

  acquireWrite(groupId: number, pageId: number, view: PageView): void {
    this.inner.acquireWrite(groupId, pageId, view);
  }

  release(view: PageView): void {
    const before = this.#snapshots.get(view);
    if (before !== undefined) {
      this.#snapshots.delete(view);
      for (let i = 0; i < before.length; i++) {
        if (before[i] !== view.buf[view.off + i]) {
          this.violations.push(`page ${view.pageId} changed at byte ${i} under a read view`);
          break;
        }
      }
    }
    this.inner.release(view);
  }
}
