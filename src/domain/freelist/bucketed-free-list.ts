/**
 * Free list of the data pages of one partition: every data page the row store uses is in exactly one of 256
 * buckets by its room (DataPageIo.room, the largest body it takes now).
 *
 * - Buckets 0..254 hold pages with content: bucket b holds rooms in [b·step, (b+1)·step) where
 *   step = ceil(maxBody / 255), so a non-empty page (room < maxBody) never lands in 255. Bucket 0 holds full
 *   pages; they are never chosen.
 * - Bucket 255 is the reuse bucket: empty data pages and pages recycled by other structures (B+ trees). Its
 *   pages serve new data pages and PageAllocator.allocatePage (trees take empty pages before new memory).
 *   It holds at most `maxReusePages`; beyond that, and on `releaseReusePages`, pages go back to page memory.
 * - Placement: the first non-empty bucket from ceil(need / step) upward — every page there surely fits the
 *   body, and it is the smallest such bucket ("smallest fit" at bucket granularity) — then the reuse bucket,
 *   then a new page.
 *
 * Every page of the partition is allocated with FLAG_DATA, whatever the caller asks for: data pages and tree
 * pages trade places through the reuse bucket, and partition links (partition-link.ts) carry only the page index,
 * so the flags must be the same for all. The page type in the header says what a page is.
 *
 * Bucket membership lives in memory (PageBuckets), which is enough for the volatile engine. The persistent
 * engine (a later issue) needs the buckets on pages (PAGE_TYPE_FREELIST_META / _NODE): per bucket a chain of
 * list pages of page ids, changed through acquireWrite like any page so checkpoints capture them, and an index
 * from page id to its list page (or a rebuild by scanning data pages on start) for O(1) moves.
 */
import { DataCorruptionError, InvalidArgumentError } from '../shared/errors';
import { COMMON_HEADER_END, PAGE_ID_OFFSET } from '../page/page-header.layout';
import { FLAG_DATA, pageIdToString, partitionIdOf } from '../page/page-id';
import { PageView, type PageMemory } from '../page-memory/page-memory.port';
import { DataPageIo } from '../datapage/data-page-io';
import type { DataPageFreeList } from './free-list.port';
import { BUCKET_COUNT, PageBuckets } from './page-buckets';

export const REUSE_BUCKET = BUCKET_COUNT - 1;
export const DEFAULT_MAX_REUSE_PAGES = 64;

export interface BucketedFreeListOptions {
  /** Empty pages kept for reuse before further ones go back to page memory (default 64). */
  readonly maxReusePages?: number;
}

export class BucketedFreeList implements DataPageFreeList {
  readonly maxReusePages: number;
  /** Room width of one bucket. */
  readonly step: number;
  readonly #buckets = new PageBuckets();
  readonly #io: DataPageIo;
  readonly #view = new PageView();

  constructor(
    readonly memory: PageMemory,
    readonly groupId: number,
    readonly partitionId: number,
    options: BucketedFreeListOptions = {},
  ) {
    this.#io = new DataPageIo(memory.pageSize);
    this.step = Math.ceil(this.#io.maxBody / REUSE_BUCKET);
    this.maxReusePages = options.maxReusePages ?? DEFAULT_MAX_REUSE_PAGES;
    if (!(this.maxReusePages >= 0)) throw new InvalidArgumentError(`maxReusePages must be >= 0, got ${this.maxReusePages}`);
  }

  /** Pages tracked (in any bucket, the reuse bucket included). */
  get pageCount(): number {
    return this.#buckets.size;
  }

  get reusePageCount(): number {
    return this.#buckets.bucketSize(REUSE_BUCKET);
  }

  bucketSize(bucket: number): number {
    return this.#buckets.bucketSize(bucket);
  }

  /** The bucket a tracked page is in, or -1. */
  bucketOfPage(pageId: number): number {
    return this.#buckets.bucketOf(pageId);
  }

  /** The bucket of a data page with this room (an empty page's room is maxBody → reuse bucket). */
  bucketForRoom(room: number): number {
    return room >= this.#io.maxBody ? REUSE_BUCKET : Math.floor(room / this.step);
  }

  pageWithRoom(need: number): number {
    if (!(need >= 1 && need <= this.#io.maxBody)) {
      throw new InvalidArgumentError(`a body of ${need} bytes does not fit a ${this.memory.pageSize}-byte data page`);
    }
    const b = this.#buckets.firstNonEmpty(Math.ceil(need / this.step));
    if (b >= 0) return this.#buckets.top(b);
    return this.memory.allocatePage(this.groupId, this.partitionId, FLAG_DATA);
  }

  pageChanged(pageId: number, room: number): void {
    const bucket = this.bucketForRoom(room);
    const current = this.#buckets.bucketOf(pageId);
    if (current === bucket) return;
    if (current >= 0) this.#buckets.remove(pageId);
    if (bucket === REUSE_BUCKET && this.reusePageCount >= this.maxReusePages) {
      this.memory.freePage(this.groupId, pageId);
      return;
    }
    this.#buckets.push(bucket, pageId);
  }

  /** PageAllocator: an empty page of this partition from the reuse bucket (zeroed), else a new one (FLAG_DATA). */
  allocatePage(partitionId: number, _flags: number): number {
    if (partitionId === this.partitionId) {
      const id = this.#buckets.pop(REUSE_BUCKET);
      if (id !== 0) {
        this.#zero(id);
        return id;
      }
    }
    return this.memory.allocatePage(this.groupId, partitionId, FLAG_DATA);
  }

  /** PageAllocator: keeps the page for reuse (same partition, reuse bucket not full) or frees it. */
  recyclePage(pageId: number): void {
    if (this.#buckets.bucketOf(pageId) >= 0) {
      throw new InvalidArgumentError(`${pageIdToString(pageId)} is already in the free list; recycled twice or still in use`);
    }
    if (partitionIdOf(pageId) !== this.partitionId || this.reusePageCount >= this.maxReusePages) {
      this.memory.freePage(this.groupId, pageId);
      return;
    }
    this.#buckets.push(REUSE_BUCKET, pageId);
  }

  /** Gives reuse-bucket pages back to page memory until at most `keep` remain; returns how many were freed. */
  releaseReusePages(keep = 0): number {
    let freed = 0;
    while (this.reusePageCount > keep) {
      this.memory.freePage(this.groupId, this.#buckets.pop(REUSE_BUCKET));
      freed++;
    }
    return freed;
  }

  /**
   * Frees every page the free list tracks (all buckets, full pages included) back to page memory and forgets
   * them: the end of a partition's data (destroy, clear). Every row link into those pages is invalid afterwards.
   */
  freeAllPages(): number {
    let freed = 0;
    for (let b = 0; b < BUCKET_COUNT; b++) {
      while (this.#buckets.bucketSize(b) > 0) {
        this.memory.freePage(this.groupId, this.#buckets.pop(b));
        freed++;
      }
    }
    return freed;
  }

  /**
   * Throws DataCorruptionError unless: bookkeeping is consistent (no page in two buckets, index and bitmap
   * match the stacks, counts add up), every page in buckets 0..254 is a consistent data page whose room maps
   * to its bucket, and every data page in the reuse bucket is empty.
   */
  checkInvariants(): void {
    const problem = this.#buckets.check();
    if (problem !== null) throw new DataCorruptionError(`free list: ${problem}`);
    for (let b = 0; b < BUCKET_COUNT; b++) {
      for (let i = 0; i < this.#buckets.bucketSize(b); i++) {
        const id = this.#buckets.pageAt(b, i);
        const pageProblem = this.#checkPage(id, b);
        if (pageProblem !== null) throw new DataCorruptionError(`free list: ${pageIdToString(id)} in bucket ${b}: ${pageProblem}`);
      }
    }
  }

  #checkPage(pageId: number, bucket: number): string | null {
    const v = this.#view;
    this.memory.acquireRead(this.groupId, pageId, v);
    try {
      const isData = this.#io.isDataPage(v);
      if (bucket === REUSE_BUCKET) return !isData || this.#io.isEmpty(v) ? null : 'data page with items in the reuse bucket';
      const problem = this.#io.check(v);
      if (problem !== null) return problem;
      const room = this.#io.room(v);
      const expected = this.bucketForRoom(room);
      return expected === bucket ? null : `room ${room} belongs in bucket ${expected}`;
    } finally {
      this.memory.release(v);
    }
  }

  /** Clears a reused page to the state page memory hands out: zero except its page id. */
  #zero(pageId: number): void {
    const v = this.#view;
    this.memory.acquireWrite(this.groupId, pageId, v);
    v.buf.fill(0, v.off, v.off + PAGE_ID_OFFSET);
    v.buf.fill(0, v.off + COMMON_HEADER_END, v.off + this.memory.pageSize);
    this.memory.release(v);
  }
}
