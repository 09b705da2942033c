/**
 * Free list of the data pages of one partition, kept on pages (free-list.layout.ts): every data page the row store
 * uses is in exactly one of 256 buckets by its room (DataPageIo.room, the largest body it takes now).
 *
 * - Buckets 0..254 hold pages with content: bucket b holds rooms in [b·step, (b+1)·step) where
 *   step = ceil(maxBody / 255), so a non-empty page (room < maxBody) never lands in 255. Bucket 0 holds full
 *   pages; they are never chosen.
 * - Bucket 255 is the reuse bucket: empty data pages and pages recycled by other structures (B+ trees, formatted
 *   as free pages). Its pages serve new data pages and PageAllocator.allocatePage (trees take empty pages before
 *   new memory). It holds at most `maxReusePages`; beyond that, and on `releaseReusePages`, pages go back to page
 *   memory.
 * - Placement: the first non-empty bucket from ceil(need / step) upward — every page there surely fits the
 *   body, and it is the smallest such bucket ("smallest fit" at bucket granularity) — then the reuse bucket,
 *   then a new page.
 * - Every page of the partition is allocated with FLAG_DATA, whatever the caller asks for: data pages and tree
 *   pages trade places through the reuse bucket, and partition links (partition-link.ts) carry only the page
 *   index, so the flags must be the same for all. The page type in the header says what a page is.
 *
 * State: the pages are the truth (list fields in each listed page, heads and counts in the meta pages); this
 * object caches the heads, counts and a bitmap of non-empty buckets, rebuilt by `open` from the meta pages alone.
 * Every change is written through, so a reopen at any point between calls sees the same lists.
 */
import { DataCorruptionError, InvalidArgumentError } from '../shared/errors';
import { COMMON_HEADER_END, PAGE_ID_OFFSET, PAGE_TYPE_OFFSET, PAGE_VERSION_OFFSET } from '../page/page-header.layout';
import { FLAG_DATA, pageIdToString, pageIndex, partitionIdOf } from '../page/page-id';
import { PAGE_TYPE_DATA, PAGE_TYPE_FREELIST_META, PAGE_TYPE_FREELIST_NODE } from '../page/page-types';
import { PageView, type PageMemory } from '../page-memory/page-memory.port';
import { DataPageIo } from '../datapage/data-page-io';
import { partitionPageId } from '../datapage/partition-link';
import type { DataPageFreeList } from './free-list.port';
import {
  BUCKET_COUNT, FL_META_COUNT_OFFSET, FL_META_ENTRIES_OFFSET, FL_META_ENTRY_SIZE, FL_META_FIRST_OFFSET, FL_META_NEXT_OFFSET,
  FREE_LIST_LAYOUT_VERSION, LIST_BUCKET_OFFSET, LIST_FIELDS_END, LIST_NEXT_OFFSET, LIST_PREV_OFFSET, REUSE_BUCKET,
  bucketsPerMetaPage,
} from './free-list.layout';
import { checkFreeList } from './free-list-invariants';

export { BUCKET_COUNT, REUSE_BUCKET } from './free-list.layout';
export const DEFAULT_MAX_REUSE_PAGES = 64;

export interface BucketedFreeListOptions {
  /** Empty pages kept for reuse before further ones go back to page memory (default 64). */
  readonly maxReusePages?: number;
}

export class BucketedFreeList implements DataPageFreeList {
  readonly maxReusePages: number;
  /** Room width of one bucket. */
  readonly step: number;
  /** First page of the meta chain: what the partition meta page records (changes with resetAfterDrop). */
  metaPageId: number;
  readonly #io: DataPageIo;
  /** The one view of the list: every access is released before the next one starts. */
  readonly #view = new PageView();
  /** Page indexes of the bucket heads and the bucket sizes (cache of the meta pages). */
  readonly #heads = new Float64Array(BUCKET_COUNT);
  readonly #counts = new Float64Array(BUCKET_COUNT);
  readonly #nonEmpty = new Uint32Array(BUCKET_COUNT / 32);
  /** The meta page holding each bucket's entry, and the entry's offset in it. */
  readonly #metaOf: number[] = [];
  readonly #entryOff = new Int32Array(BUCKET_COUNT);

  private constructor(
    readonly memory: PageMemory,
    readonly groupId: number,
    readonly partitionId: number,
    metaPageId: number,
    options: BucketedFreeListOptions,
  ) {
    this.#io = new DataPageIo(memory.pageSize);
    this.step = Math.ceil(this.#io.maxBody / REUSE_BUCKET);
    this.maxReusePages = options.maxReusePages ?? DEFAULT_MAX_REUSE_PAGES;
    if (!(this.maxReusePages >= 0)) throw new InvalidArgumentError(`maxReusePages must be >= 0, got ${this.maxReusePages}`);
    this.metaPageId = metaPageId;
  }

  /** A new empty free list: its meta pages come straight from page memory (OutOfMemoryError: nothing kept). */
  static create(memory: PageMemory, groupId: number, partitionId: number, options: BucketedFreeListOptions = {}): BucketedFreeList {
    const metaPageId = BucketedFreeList.#createMetaChain(memory, groupId, partitionId, new PageView());
    const list = new BucketedFreeList(memory, groupId, partitionId, metaPageId, options);
    list.#load();
    return list;
  }

  /**
   * Allocates and formats the meta pages of an empty list (all buckets empty) straight from page memory; returns
   * the first one (OutOfMemoryError: nothing kept).
   */
  static #createMetaChain(memory: PageMemory, groupId: number, partitionId: number, v: PageView): number {
    const perPage = bucketsPerMetaPage(memory.pageSize);
    const metas: number[] = [];
    try {
      for (let first = 0; first < BUCKET_COUNT; first += perPage) metas.push(memory.allocatePage(groupId, partitionId, FLAG_DATA));
    } catch (e) {
      for (const id of metas) memory.freePage(groupId, id);
      throw e;
    }
    metas.forEach((id, k) => {
      memory.acquireWrite(groupId, id, v);
      v.dv.setUint16(v.off + PAGE_TYPE_OFFSET, PAGE_TYPE_FREELIST_META, true);
      v.dv.setUint16(v.off + PAGE_VERSION_OFFSET, FREE_LIST_LAYOUT_VERSION, true);
      v.dv.setFloat64(v.off + FL_META_NEXT_OFFSET, metas[k + 1] ?? 0, true);
      v.dv.setUint16(v.off + FL_META_FIRST_OFFSET, k * perPage, true);
      v.dv.setUint16(v.off + FL_META_COUNT_OFFSET, Math.min(perPage, BUCKET_COUNT - k * perPage), true);
      memory.release(v);
    });
    return metas[0]!;
  }

  /** The free list whose first meta page is `metaPageId` (DataCorruptionError when the chain is not one). */
  static open(memory: PageMemory, groupId: number, partitionId: number, metaPageId: number, options: BucketedFreeListOptions = {}): BucketedFreeList {
    const list = new BucketedFreeList(memory, groupId, partitionId, metaPageId, options);
    list.#load();
    return list;
  }

  /** Meta pages of the list itself (1 at 16 KiB pages, 3 at 1 KiB); they go with `destroy`. */
  get metaPageCount(): number {
    return Math.ceil(BUCKET_COUNT / bucketsPerMetaPage(this.memory.pageSize));
  }

  /** Pages tracked (in any bucket, the reuse bucket included). */
  get pageCount(): number {
    let pages = 0;
    for (let b = 0; b < BUCKET_COUNT; b++) pages += this.#counts[b]!;
    return pages;
  }

  get reusePageCount(): number {
    return this.#counts[REUSE_BUCKET]!;
  }

  bucketSize(bucket: number): number {
    return this.#counts[bucket]!;
  }

  /** The page ids of a bucket, head first (walks the list: checks and tools). */
  bucketPages(bucket: number): number[] {
    const out: number[] = [];
    const v = this.#view;
    let index = this.#heads[bucket]!;
    while (index !== 0 && out.length <= this.#counts[bucket]!) {
      const id = this.#pageId(index);
      out.push(id);
      this.memory.acquireRead(this.groupId, id, v);
      index = v.dv.getUint32(v.off + LIST_NEXT_OFFSET, true);
      this.memory.release(v);
    }
    return out;
  }

  /** The bucket a page is listed in, or -1. */
  bucketOfPage(pageId: number): number {
    const v = this.#view;
    this.memory.acquireRead(this.groupId, pageId, v);
    const b = v.dv.getUint16(v.off + LIST_BUCKET_OFFSET, true) - 1;
    this.memory.release(v);
    return b;
  }

  /** The bucket of a data page with this room (an empty page's room is maxBody → reuse bucket). */
  bucketForRoom(room: number): number {
    return room >= this.#io.maxBody ? REUSE_BUCKET : Math.floor(room / this.step);
  }

  pageWithRoom(need: number): number {
    if (!(need >= 1 && need <= this.#io.maxBody)) {
      throw new InvalidArgumentError(`a body of ${need} bytes does not fit a ${this.memory.pageSize}-byte data page`);
    }
    const b = this.#firstNonEmpty(Math.ceil(need / this.step));
    if (b >= 0) return this.#pageId(this.#heads[b]!);
    return this.memory.allocatePage(this.groupId, this.partitionId, FLAG_DATA);
  }

  pageChanged(pageId: number, room: number): void {
    const bucket = this.bucketForRoom(room);
    const current = this.bucketOfPage(pageId);
    if (current === bucket) return;
    // Leaving `current` never changes the reuse count here: when `current` is the reuse bucket, `bucket` is not.
    if (bucket === REUSE_BUCKET && this.reusePageCount >= this.maxReusePages) {
      if (current >= 0) this.#unlink(pageId, current);
      this.memory.freePage(this.groupId, pageId);
      return;
    }
    if (current >= 0) this.#move(pageId, current, bucket);
    else this.#push(pageId, bucket);
  }

  /** PageAllocator: an empty page of this partition from the reuse bucket (zeroed), else a new one (FLAG_DATA). */
  allocatePage(partitionId: number, _flags: number): number {
    if (partitionId === this.partitionId && this.#counts[REUSE_BUCKET]! > 0) {
      const id = this.#pageId(this.#heads[REUSE_BUCKET]!);
      // Unlinks the page and clears it to the state page memory hands out (zero except its page id, list fields
      // included) in one access.
      const v = this.#view;
      this.memory.acquireWrite(this.groupId, id, v);
      const prev = v.dv.getUint32(v.off + LIST_PREV_OFFSET, true);
      const next = v.dv.getUint32(v.off + LIST_NEXT_OFFSET, true);
      v.buf.fill(0, v.off, v.off + PAGE_ID_OFFSET);
      v.buf.fill(0, v.off + COMMON_HEADER_END, v.off + this.memory.pageSize);
      this.memory.release(v);
      this.#unlinked(prev, next, REUSE_BUCKET);
      return id;
    }
    return this.memory.allocatePage(this.groupId, partitionId, FLAG_DATA);
  }

  /** PageAllocator: keeps the page for reuse (same partition, reuse bucket not full), formatted as free, or frees it. */
  recyclePage(pageId: number): void {
    const v = this.#view;
    this.memory.acquireWrite(this.groupId, pageId, v);
    // Data pages and free pages carry list fields: one still listed is in use by the list (a tree page's bytes there
    // mean nothing, so only those two types are checked).
    const type = v.dv.getUint16(v.off + PAGE_TYPE_OFFSET, true);
    if ((type === PAGE_TYPE_FREELIST_NODE || type === PAGE_TYPE_DATA) && v.dv.getUint16(v.off + LIST_BUCKET_OFFSET, true) !== 0) {
      this.memory.release(v);
      throw new InvalidArgumentError(`${pageIdToString(pageId)} is already in the free list; recycled twice or still in use`);
    }
    if (partitionIdOf(pageId) !== this.partitionId || this.reusePageCount >= this.maxReusePages) {
      this.memory.release(v);
      this.memory.freePage(this.groupId, pageId);
      return;
    }
    // Formats the page as a free page and pushes it on the reuse bucket in the same access (the list fields are
    // all that follows the common header).
    const head = this.#heads[REUSE_BUCKET]!;
    v.buf.fill(0, v.off, v.off + PAGE_ID_OFFSET);
    this.#writeListFields(v, head, REUSE_BUCKET);
    v.dv.setUint16(v.off + PAGE_TYPE_OFFSET, PAGE_TYPE_FREELIST_NODE, true);
    v.dv.setUint16(v.off + PAGE_VERSION_OFFSET, FREE_LIST_LAYOUT_VERSION, true);
    this.memory.release(v);
    this.#linked(pageIndex(pageId), head, REUSE_BUCKET);
  }

  /** Gives reuse-bucket pages back to page memory until at most `keep` remain; returns how many were freed. */
  releaseReusePages(keep = 0): number {
    let freed = 0;
    while (this.reusePageCount > keep) {
      const id = this.#pageId(this.#heads[REUSE_BUCKET]!);
      this.#unlink(id, REUSE_BUCKET);
      this.memory.freePage(this.groupId, id);
      freed++;
    }
    return freed;
  }

  /**
   * Frees every page the free list tracks (all buckets, full pages included) back to page memory and empties the
   * buckets: the end of a partition's data (clear, destroy). The list stays usable; `destroy` also frees its meta
   * pages.
   */
  freeAllPages(): number {
    let freed = 0;
    for (let b = 0; b < BUCKET_COUNT; b++) {
      if (this.#counts[b] === 0) continue;
      for (const id of this.bucketPages(b)) {
        this.memory.freePage(this.groupId, id);
        freed++;
      }
      this.#setHead(b, 0, 0);
    }
    return freed;
  }

  /**
   * Starts over after every page of the partition — the list's meta pages included — was dropped wholesale
   * (PageMemory.dropPages: a clear): new empty meta pages, empty caches. `metaPageId` changes.
   */
  resetAfterDrop(): void {
    this.metaPageId = BucketedFreeList.#createMetaChain(this.memory, this.groupId, this.partitionId, this.#view);
    // #load sets every bucket's head, count and meta entry; the non-empty bitmap it only adds to.
    this.#metaOf.length = 0;
    this.#nonEmpty.fill(0);
    this.#load();
  }

  /** freeAllPages, then the meta pages too: the list is gone. */
  destroy(): void {
    this.freeAllPages();
    const metas = [...new Set(this.#metaOf)];
    this.#metaOf.length = 0;
    for (const id of metas) this.memory.freePage(this.groupId, id);
  }

  /**
   * Throws DataCorruptionError unless: the lists are consistent (links both ways, each page listed in the bucket it
   * is in, counts match), every page in buckets 0..254 is a consistent data page whose room maps to its bucket,
   * and every page in the reuse bucket is an empty data page or a free page.
   */
  checkInvariants(): void {
    checkFreeList(this, this.memory, this.#io);
  }

  // List primitives (write-through to the pages).

  #push(pageId: number, bucket: number): void {
    const v = this.#view;
    const head = this.#heads[bucket]!;
    this.memory.acquireWrite(this.groupId, pageId, v);
    this.#writeListFields(v, head, bucket);
    this.memory.release(v);
    this.#linked(pageIndex(pageId), head, bucket);
  }

  #unlink(pageId: number, bucket: number): void {
    const v = this.#view;
    this.memory.acquireWrite(this.groupId, pageId, v);
    const prev = v.dv.getUint32(v.off + LIST_PREV_OFFSET, true);
    const next = v.dv.getUint32(v.off + LIST_NEXT_OFFSET, true);
    v.buf.fill(0, v.off + LIST_PREV_OFFSET, v.off + LIST_FIELDS_END);
    this.memory.release(v);
    this.#unlinked(prev, next, bucket);
  }

  /** #unlink from `from`, then #push on `to` (`from` !== `to`), with one access of the moved page. */
  #move(pageId: number, from: number, to: number): void {
    const v = this.#view;
    const head = this.#heads[to]!;
    this.memory.acquireWrite(this.groupId, pageId, v);
    const prev = v.dv.getUint32(v.off + LIST_PREV_OFFSET, true);
    const next = v.dv.getUint32(v.off + LIST_NEXT_OFFSET, true);
    this.#writeListFields(v, head, to);
    this.memory.release(v);
    this.#unlinked(prev, next, from);
    this.#linked(pageIndex(pageId), head, to);
  }

  /** The list fields of a page pushed on `bucket` before `head` (held writable in `v`). */
  #writeListFields(v: PageView, head: number, bucket: number): void {
    v.dv.setUint32(v.off + LIST_PREV_OFFSET, 0, true);
    v.dv.setUint32(v.off + LIST_NEXT_OFFSET, head, true);
    v.dv.setUint16(v.off + LIST_BUCKET_OFFSET, bucket + 1, true);
  }

  /** After a page (prev, next) left `bucket`: its neighbours' links, then the bucket's head and count. */
  #unlinked(prev: number, next: number, bucket: number): void {
    if (prev !== 0) this.#setLink(prev, LIST_NEXT_OFFSET, next);
    if (next !== 0) this.#setLink(next, LIST_PREV_OFFSET, prev);
    this.#setHead(bucket, prev === 0 ? next : this.#heads[bucket]!, this.#counts[bucket]! - 1);
  }

  /** After page `index` was written as the new head of `bucket` before `head`: the old head's back link, the head. */
  #linked(index: number, head: number, bucket: number): void {
    if (head !== 0) this.#setLink(head, LIST_PREV_OFFSET, index);
    this.#setHead(bucket, index, this.#counts[bucket]! + 1);
  }

  #setLink(index: number, field: number, value: number): void {
    const v = this.#view;
    this.memory.acquireWrite(this.groupId, this.#pageId(index), v);
    v.dv.setUint32(v.off + field, value, true);
    this.memory.release(v);
  }

  #setHead(bucket: number, head: number, count: number): void {
    this.#heads[bucket] = head;
    this.#counts[bucket] = count;
    const bit = 1 << (bucket & 31);
    if (count === 0) this.#nonEmpty[bucket >>> 5]! &= ~bit;
    else this.#nonEmpty[bucket >>> 5]! |= bit;
    const v = this.#view;
    this.memory.acquireWrite(this.groupId, this.#metaOf[bucket]!, v);
    const at = v.off + this.#entryOff[bucket]!;
    v.dv.setUint32(at, head, true);
    v.dv.setUint32(at + 4, count, true);
    this.memory.release(v);
  }

  /** Reads the meta chain into the caches. */
  #load(): void {
    const v = this.#view;
    let meta = this.metaPageId;
    let covered = 0;
    while (meta !== 0 && covered < BUCKET_COUNT) {
      this.memory.acquireRead(this.groupId, meta, v);
      try {
        const dv = v.dv;
        if (dv.getUint16(v.off + PAGE_TYPE_OFFSET, true) !== PAGE_TYPE_FREELIST_META) {
          throw new DataCorruptionError(`${pageIdToString(meta)} is not a free-list meta page (type ${dv.getUint16(v.off + PAGE_TYPE_OFFSET, true)})`);
        }
        const first = dv.getUint16(v.off + FL_META_FIRST_OFFSET, true);
        const count = dv.getUint16(v.off + FL_META_COUNT_OFFSET, true);
        if (first !== covered || count === 0 || first + count > BUCKET_COUNT) {
          throw new DataCorruptionError(`free-list meta page ${pageIdToString(meta)} covers buckets ${first}..${first + count - 1}, expected from ${covered}`);
        }
        for (let b = first; b < first + count; b++) {
          const off = FL_META_ENTRIES_OFFSET + (b - first) * FL_META_ENTRY_SIZE;
          this.#metaOf[b] = meta;
          this.#entryOff[b] = off;
          this.#heads[b] = dv.getUint32(v.off + off, true);
          this.#counts[b] = dv.getUint32(v.off + off + 4, true);
          if (this.#counts[b]! > 0) this.#nonEmpty[b >>> 5]! |= 1 << (b & 31);
        }
        covered += count;
        meta = dv.getFloat64(v.off + FL_META_NEXT_OFFSET, true);
      } finally {
        this.memory.release(v);
      }
    }
    if (covered !== BUCKET_COUNT) throw new DataCorruptionError(`free-list meta chain from ${pageIdToString(this.metaPageId)} covers ${covered} of ${BUCKET_COUNT} buckets`);
  }

  /** The lowest non-empty bucket >= `from`, or -1. */
  #firstNonEmpty(from: number): number {
    const words = this.#nonEmpty;
    let w = from >>> 5;
    if (w >= words.length) return -1;
    let bits = words[w]! & (~0 << (from & 31));
    while (bits === 0) {
      if (++w === words.length) return -1;
      bits = words[w]!;
    }
    return w * 32 + (31 - Math.clz32(bits & -bits));
  }

  #pageId(index: number): number {
    return partitionPageId(this.partitionId, index);
  }
}
