/**
 * Per-test set-up of the free-list contract: a BucketedFreeList created on a fresh page memory from the factory, a
 * RowStore over it (the list's real user), and helpers that read pages independently of the list — rooms, whether
 * a page is still allocated, fresh-page checks — plus `reopen`, which opens the list from its meta page into a new
 * object, requires the same buckets, and carries on with it (the old object is never used again).
 */
import { expect } from 'vitest';
import { RowLink } from '../../../src/domain/datapage/row-link';
import { RowStore } from '../../../src/domain/datapage/row-store';
import { DataPageIo } from '../../../src/domain/datapage/data-page-io';
import { dataPageMaxBody } from '../../../src/domain/datapage/data-page.layout';
import { BucketedFreeList, type BucketedFreeListOptions } from '../../../src/domain/freelist/bucketed-free-list';
import { PageView, type PageMemory } from '../../../src/domain/page-memory/page-memory.port';
import { IllegalPageAccessError } from '../../../src/domain/shared/errors';
import type { PageMemoryFactory, PageMemoryUnderTest } from '../page-memory-factory';
import { expectPage, freshImage, usePageMemoryFixture } from '../page-memory/fixture';

/** Not 0, so that ids mixed up with 0 show. */
export const GROUP = 11;
export const PARTITION = 5;
export const BUCKETS = 256;
export const REUSE = BUCKETS - 1;

export interface Row {
  link: RowLink;
  bytes: Uint8Array;
}

/** What a bucketed list looks like from outside: every bucket's pages (head first) and the counts. */
export interface ListSnapshot {
  readonly buckets: readonly number[][];
  readonly sizes: readonly number[];
  readonly pageCount: number;
  readonly reusePageCount: number;
}

export class FreeListHarness {
  readonly memory: PageMemory;
  /** Allocated pages before the list was created. */
  readonly baseline: number;
  /** Room width of a bucket as the list's file comment defines it: ceil(maxBody / 255). */
  readonly step: number;
  readonly maxBody: number;
  list: BucketedFreeList;
  store: RowStore;
  readonly #io: DataPageIo;
  readonly #view = new PageView();

  constructor(readonly pm: PageMemoryUnderTest, readonly options: BucketedFreeListOptions) {
    this.memory = pm.memory;
    this.baseline = pm.allocatedPages();
    this.maxBody = dataPageMaxBody(this.memory.pageSize);
    this.step = Math.ceil(this.maxBody / REUSE);
    this.#io = new DataPageIo(this.memory.pageSize);
    this.list = BucketedFreeList.create(this.memory, GROUP, PARTITION, options);
    this.store = new RowStore(this.memory, this.list);
  }

  /** Opens the list from its meta page into a new object (and a new store over it); the buckets must be the same. */
  reopen(): void {
    const before = snapshot(this.list);
    this.list = BucketedFreeList.open(this.memory, GROUP, PARTITION, this.list.metaPageId, this.options);
    this.store = new RowStore(this.memory, this.list);
    expect(snapshot(this.list), 'the reopened list').toEqual(before);
    this.list.checkInvariants();
  }

  insert(len: number, tag: number): Row {
    const bytes = pattern(len, tag);
    return { link: this.store.insert(bytes, new RowLink()), bytes };
  }

  expectRow(row: Row): void {
    const actual = this.store.readBytes(row.link.pageId, row.link.itemId);
    expect(Buffer.from(actual).equals(row.bytes), `row at ${row.link.pageId}/${row.link.itemId}`).toBe(true);
  }

  /**
   * Every allocated page of the partition is a meta page, a listed page or one of the caller's `otherPages` (tree
   * pages it holds): nothing leaks, nothing untracked. And no call left a page pinned.
   */
  expectAccounted(otherPages = 0): void {
    const { list, pm } = this;
    expect(pm.allocatedPages(), 'allocated pages').toBe(this.baseline + list.metaPageCount + list.pageCount + otherPages);
    expect(pm.pinnedPages(), 'pinned pages').toBe(0);
  }

  /** DataPageIo.room of a data page, read from the page itself. */
  roomOf(pageId: number): number {
    const v = this.#view;
    this.memory.acquireRead(GROUP, pageId, v);
    const room = this.#io.isDataPage(v) ? this.#io.room(v) : -1;
    this.memory.release(v);
    expect(room, `page ${pageId} is a data page`).toBeGreaterThanOrEqual(0);
    return room;
  }

  /** The bucket a data page with this room belongs in, by the list's documented rule. */
  bucketOf(room: number): number {
    return room >= this.maxBody ? REUSE : Math.floor(room / this.step);
  }

  /** Whether page memory still has the page (a freed page id is refused). */
  isAllocated(pageId: number): boolean {
    try {
      this.memory.acquireRead(GROUP, pageId, this.#view);
    } catch (e) {
      if (e instanceof IllegalPageAccessError) return false;
      throw e;
    }
    this.memory.release(this.#view);
    return true;
  }

  /** Asserts the page is as page memory hands pages out: zero except its page id. */
  expectFresh(pageId: number): void {
    expectPage(this.memory, GROUP, pageId, freshImage(this.memory.pageSize, pageId));
  }

  /**
   * The pages the list may choose for a body of `need` bytes, computed from the pages' own rooms: the listed data
   * pages in the lowest bucket from ceil(need / step) up, else the reuse bucket's pages, else null (a new page).
   */
  placementFor(need: number): Set<number> | null {
    const from = Math.ceil(need / this.step);
    let best = Infinity;
    let pages: number[] = [];
    for (let b = 0; b < REUSE; b++) {
      for (const id of this.list.bucketPages(b)) {
        const bucket = this.bucketOf(this.roomOf(id));
        if (bucket < from || bucket > best) continue;
        if (bucket < best) [best, pages] = [bucket, []];
        pages.push(id);
      }
    }
    if (pages.length === 0) pages = this.list.bucketPages(REUSE);
    return pages.length > 0 ? new Set(pages) : null;
  }
}

export function snapshot(list: BucketedFreeList): ListSnapshot {
  return {
    buckets: Array.from({ length: BUCKETS }, (_, b) => list.bucketPages(b)),
    sizes: Array.from({ length: BUCKETS }, (_, b) => list.bucketSize(b)),
    pageCount: list.pageCount,
    reusePageCount: list.reusePageCount,
  };
}

/** The snapshot of a list that tracks no page. */
export function emptySnapshot(): ListSnapshot {
  return { buckets: Array.from({ length: BUCKETS }, () => []), sizes: new Array<number>(BUCKETS).fill(0), pageCount: 0, reusePageCount: 0 };
}

import { pattern } from '../../support/byte-pattern';

export { pattern };

export interface FreeListFixture {
  /** A new list (and store) on a fresh memory of this page size, closed after the test. */
  open(pageSize: number, options?: BucketedFreeListOptions): FreeListHarness;
}

export function useFreeListFixture(factory: PageMemoryFactory): FreeListFixture {
  const memories = usePageMemoryFixture(factory);
  return {
    open: (pageSize, options = {}) => new FreeListHarness(memories.open(pageSize), options),
  };
}
