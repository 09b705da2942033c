/**
 * Free-list contract, model-based: a seeded random mix of row inserts, removes and updates (0..2×maxPlainRow bytes)
 * through a RowStore, tree pages taken and recycled through the list's PageAllocator side, reuse pages released,
 * the occasional freeAllPages, and reopens of the list from its meta page into a new object (and a new store).
 * Checked against a Map of rows and a Map of tree page images: after every step every allocated page is accounted
 * for and none is pinned; every plain insert lands where placementFor says; an emptied page is in the reuse bucket
 * or (reuse bucket full) back in page memory; every so often all rows, all tree pages and the list invariants.
 */
import { expect } from 'vitest';
import { PLAIN_BODY_HEADER } from '../../../src/domain/datapage/data-page.layout';
import { RowLink } from '../../../src/domain/datapage/row-link';
import { COMMON_HEADER_END, PAGE_ID_OFFSET, PAGE_TYPE_OFFSET } from '../../../src/domain/page/page-header.layout';
import { FLAG_AUX, FLAG_DATA, writePageId } from '../../../src/domain/page/page-id';
import { PAGE_TYPE_BTREE_INNER } from '../../../src/domain/page/page-types';
import { PageView } from '../../../src/domain/page-memory/page-memory.port';
import { OutOfMemoryError } from '../../../src/domain/shared/errors';
import type { SeededRandom } from '../support/seeded-random';
import { GROUP, PARTITION, REUSE, pattern, type FreeListHarness, type Row } from './fixture';
import { expectPage } from '../page-memory/fixture';

const ROWS_LOW = 30;
const ROWS_HIGH = 60;
const MAX_TREES = 12;

export class FreeListModelRun {
  readonly #rows = new Map<number, Row>();
  readonly #trees = new Map<number, Uint8Array>();
  readonly #view = new PageView();
  #nextTag = 0;

  constructor(private readonly h: FreeListHarness, private readonly rnd: SeededRandom) {}

  run(steps: number): void {
    let op = 'start';
    for (let i = 0; i < steps; i++) {
      try {
        op = this.#step();
        this.h.expectAccounted(this.#trees.size);
        if (i % 50 === 49) this.#verifyAll();
      } catch (e) {
        // The seed and step replay the failure (FREE_LIST_CONTRACT_SEED, FREE_LIST_CONTRACT_OPS).
        throw new Error(`step ${i} (last op ${op}, seed ${this.rnd.seed}): ${e instanceof Error ? e.message : String(e)}`, { cause: e });
      }
    }
    this.#verifyAll();
    this.h.reopen();
    for (const id of this.#trees.keys()) this.h.list.recyclePage(id);
    this.#trees.clear();
    for (const r of this.#rows.values()) this.h.store.remove(r.link.pageId, r.link.itemId);
    this.h.list.checkInvariants();
    this.h.list.destroy();
    expect(this.h.pm.allocatedPages()).toBe(this.h.baseline);
  }

  #step(): string {
    const r = this.rnd.int(100);
    const n = this.#rows.size;
    const insertW = n < ROWS_LOW ? 50 : n > ROWS_HIGH ? 15 : 32;
    if (n === 0 || r < insertW) return this.#insert();
    if (r < insertW + 25) return this.#remove(this.rnd.pick([...this.#rows.keys()]));
    if (r < insertW + 45) return this.#update(this.#rows.get(this.rnd.pick([...this.#rows.keys()]))!);
    if (r < insertW + 52) return this.#allocateTree();
    if (r < insertW + 58) return this.#recycleTree();
    if (r < insertW + 62) return this.#reopen();
    if (r < insertW + 64) return `releaseReusePages -> ${this.h.list.releaseReusePages(this.rnd.int(3))}`;
    if (this.rnd.chance(0.1)) return this.#freeAll();
    return this.#reopen();
  }

  /** Mostly small rows, many near a page, some fragmented: 0..2×maxPlainRow bytes. */
  #rowLength(): number {
    const max = this.h.store.maxPlainRow;
    const r = this.rnd.next();
    if (r < 0.45) return this.rnd.int(Math.ceil(max / 6));
    if (r < 0.8) return this.rnd.int(max + 1);
    return max + 1 + this.rnd.int(max);
  }

  #insert(): string {
    const len = this.#rowLength();
    const plain = len <= this.h.store.maxPlainRow;
    const allowed = plain ? this.h.placementFor(len + PLAIN_BODY_HEADER) : null;
    const tag = this.#nextTag++;
    let row: Row;
    try {
      row = this.h.insert(len, tag);
    } catch (e) {
      if (!(e instanceof OutOfMemoryError)) throw e;
      return 'insert (out of memory)';
    }
    if (allowed !== null) expect([...allowed], `placement of a ${len}-byte row`).toContain(row.link.pageId);
    this.#rows.set(tag, row);
    return plain ? 'insert' : 'insert (fragmented)';
  }

  #remove(tag: number): string {
    const { pageId, itemId } = this.#rows.get(tag)!.link;
    this.h.store.remove(pageId, itemId);
    this.#rows.delete(tag);
    this.#expectFiled(pageId);
    return 'remove';
  }

  /** A page a row just left: in the bucket of its room; emptied, in the reuse bucket or back in page memory. */
  #expectFiled(pageId: number): void {
    const { h } = this;
    if (!h.isAllocated(pageId)) {
      expect(h.list.reusePageCount, `page ${pageId} freed while the reuse bucket had room`).toBe(h.list.maxReusePages);
      return;
    }
    expect(h.list.bucketOfPage(pageId)).toBe(h.bucketOf(h.roomOf(pageId)));
  }

  #update(row: Row): string {
    const bytes = pattern(this.#rowLength(), this.#nextTag++);
    const out = new RowLink();
    let kept: boolean;
    try {
      kept = this.h.store.update(row.link.pageId, row.link.itemId, bytes, out);
    } catch (e) {
      if (!(e instanceof OutOfMemoryError)) throw e;
      this.h.expectRow(row); // the old row is intact
      return 'update (out of memory)';
    }
    expect(kept).toBe(out.pageId === row.link.pageId && out.itemId === row.link.itemId);
    this.#expectFiled(row.link.pageId);
    row.link = out;
    row.bytes = bytes;
    return kept ? 'update (in place)' : 'update (moved)';
  }

  #allocateTree(): string {
    if (this.#trees.size >= MAX_TREES) return this.#recycleTree();
    const reuse = this.h.list.reusePageCount;
    const allocated = this.h.pm.allocatedPages();
    const id = this.h.list.allocatePage(PARTITION, this.rnd.pick([FLAG_DATA, FLAG_AUX]));
    expect(this.h.pm.allocatedPages(), 'a tree page from the reuse bucket, else new memory').toBe(reuse > 0 ? allocated : allocated + 1);
    expect(this.h.list.reusePageCount).toBe(Math.max(0, reuse - 1));
    this.h.expectFresh(id);
    // Content the list must leave alone while the tree holds the page.
    const image = pattern(this.h.memory.pageSize, id % 251);
    new DataView(image.buffer).setUint16(PAGE_TYPE_OFFSET, PAGE_TYPE_BTREE_INNER, true);
    image.fill(0, PAGE_TYPE_OFFSET + 2, COMMON_HEADER_END);
    writePageId(new DataView(image.buffer), PAGE_ID_OFFSET, id);
    this.h.memory.acquireWrite(GROUP, id, this.#view);
    this.#view.buf.set(image, this.#view.off);
    this.h.memory.release(this.#view);
    this.#trees.set(id, image);
    return reuse > 0 ? 'allocate tree page (reused)' : 'allocate tree page (new)';
  }

  #recycleTree(): string {
    if (this.#trees.size === 0) return this.#allocateTree();
    const id = this.rnd.pick([...this.#trees.keys()]);
    const reuse = this.h.list.reusePageCount;
    this.h.list.recyclePage(id);
    this.#trees.delete(id);
    const kept = reuse < this.h.list.maxReusePages;
    expect(this.h.isAllocated(id)).toBe(kept);
    if (kept) expect(this.h.list.bucketOfPage(id)).toBe(REUSE);
    return 'recycle tree page';
  }

  #reopen(): string {
    this.h.reopen();
    return 'reopen';
  }

  #freeAll(): string {
    const tracked = this.h.list.pageCount;
    expect(this.h.list.freeAllPages()).toBe(tracked);
    this.#rows.clear();
    this.#verifyAll();
    return 'freeAllPages';
  }

  #verifyAll(): void {
    for (const r of this.#rows.values()) this.h.expectRow(r);
    for (const [id, image] of this.#trees) expectPage(this.h.memory, GROUP, id, image);
    this.h.list.checkInvariants();
    this.h.pm.checkInvariants?.();
  }
}
