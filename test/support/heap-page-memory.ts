/**
 * A deliberately simple PageMemory fake for unit tests of page structures: one ArrayBuffer per page in a Map,
 * strict tag and pin checks. Counts allocated pages and dirty marks so tests can assert leaks and the write path.
 */
import { IllegalPageAccessError, InvalidArgumentError, OutOfMemoryError } from '../../src/domain/shared/errors';
import { flagsOf, pageId as makePageId, pageIdToString, partitionIdOf, writePageId } from '../../src/domain/page/page-id';
import { PAGE_ID_OFFSET } from '../../src/domain/page/page-header.layout';
import type { PageMemory, PageView } from '../../src/domain/page-memory/page-memory.port';

interface HeapPage {
  readonly buf: Uint8Array;
  readonly dv: DataView;
  readonly handle: number;
  pins: number;
  dirty: boolean;
}

export class HeapPageMemory implements PageMemory {
  readonly #pages = new Map<string, HeapPage>();
  readonly #byHandle: HeapPage[] = [];
  readonly #nextIndex = new Map<number, number>();
  #writes = 0;

  constructor(
    readonly pageSize: number,
    private readonly maxPages = Number.MAX_SAFE_INTEGER,
  ) {}

  get allocatedPages(): number {
    return this.#pages.size;
  }

  /** Number of acquireWrite calls so far (every page write must go through it). */
  get writeCount(): number {
    return this.#writes;
  }

  pinnedPages(): number {
    let n = 0;
    for (const p of this.#pages.values()) if (p.pins > 0) n++;
    return n;
  }

  allocatePage(groupId: number, partitionId: number, flags: number): number {
    // The same argument check as the real memories (PageMemory contract), before anything else.
    if (groupId >>> 0 !== groupId || (partitionId & 0xffff) !== partitionId || (flags & 0xf) !== flags) {
      throw new InvalidArgumentError(`allocatePage(groupId=${groupId}, partitionId=${partitionId}, flags=${flags}): ids out of range`);
    }
    if (this.#pages.size >= this.maxPages) {
      throw new OutOfMemoryError('heap', 0, this.maxPages * this.pageSize, `no page left (${this.maxPages} pages)`);
    }
    const key = flags * 0x10000 + partitionId;
    const idx = (this.#nextIndex.get(key) ?? 0) + 1; // index 0 is never handed out
    this.#nextIndex.set(key, idx);
    const id = makePageId(flags, partitionId, idx);
    const buf = new Uint8Array(this.pageSize);
    const page: HeapPage = { buf, dv: new DataView(buf.buffer), handle: this.#byHandle.length, pins: 0, dirty: true };
    this.#byHandle.push(page);
    writePageId(page.dv, PAGE_ID_OFFSET, id);
    this.#pages.set(`${groupId}:${id}`, page);
    return id;
  }

  freePage(groupId: number, pageId: number): void {
    const page = this.#get(groupId, pageId);
    if (page.pins > 0) throw new IllegalPageAccessError(`free of pinned ${pageIdToString(pageId)}`);
    this.#pages.delete(`${groupId}:${pageId}`);
  }

  /** The fake walks its pages (the real memories do it in O(1)). A pinned page refuses the drop before any page goes. */
  dropPages(groupId: number, partitionId: number, flags: number): number {
    const keys: string[] = [];
    for (const [key, page] of this.#pages) {
      const [g, id] = key.split(':').map(Number) as [number, number];
      if (g !== groupId || partitionIdOf(id) !== partitionId || flagsOf(id) !== flags) continue;
      if (page.pins > 0) throw new IllegalPageAccessError(`drop of pinned ${pageIdToString(id)}`);
      keys.push(key);
    }
    for (const key of keys) this.#pages.delete(key);
    return keys.length;
  }

  acquireRead(groupId: number, pageId: number, view: PageView): void {
    this.#fill(groupId, pageId, view, false);
  }

  acquireWrite(groupId: number, pageId: number, view: PageView): void {
    this.#writes++;
    this.#fill(groupId, pageId, view, true).dirty = true;
  }

  release(view: PageView): void {
    if (view.slot < 0) throw new IllegalPageAccessError('release of a view that holds no page');
    const page = this.#byHandle[view.slot]!;
    page.pins--;
    view.slot = -1;
    view.writable = false;
  }

  #fill(groupId: number, pageId: number, view: PageView, writable: boolean): HeapPage {
    if (view.slot >= 0) throw new IllegalPageAccessError('view already holds a page; release it first');
    const page = this.#get(groupId, pageId);
    page.pins++;
    view.groupId = groupId;
    view.pageId = pageId;
    view.buf = page.buf;
    view.dv = page.dv;
    view.off = 0;
    view.slot = page.handle;
    view.writable = writable;
    return page;
  }

  #get(groupId: number, pageId: number): HeapPage {
    const page = this.#pages.get(`${groupId}:${pageId}`);
    if (!page) throw new IllegalPageAccessError(`no live page ${pageIdToString(pageId)} in group ${groupId}`);
    return page;
  }
}
