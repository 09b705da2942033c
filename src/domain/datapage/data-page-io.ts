/**
 * Item-level operations on one data page (layout in data-page.layout.ts). Every method works on a PageView the
 * caller has acquired (mutators: through acquireWrite) and keeps nothing of it. Offsets returned are absolute
 * in `view.buf` / `view.dv` and valid only until the view is released or the page is changed again.
 *
 * One instance per owner (row store, free list): it holds a sort scratch for compaction, so it must not be
 * shared across owners that could interleave (it is never module-global). Synchronous and allocation-free.
 */
import { PAGE_TYPE_OFFSET, PAGE_VERSION_OFFSET } from '../page/page-header.layout';
import { PAGE_TYPE_DATA } from '../page/page-types';
import type { PageView } from '../page-memory/page-memory.port';
import {
  BODY_FRAGMENT_FLAG,
  BODY_HEAD_FLAG,
  BODY_LEN_MASK,
  DATA_BODY_START_OFFSET,
  DATA_FREE_ITEMS_OFFSET,
  DATA_FREE_SPACE_OFFSET,
  DATA_HEADER_END,
  DATA_ITEM_COUNT_OFFSET,
  DATA_PAGE_VERSION,
  FRAGMENT_BODY_HEADER,
  HEAD_BODY_HEADER,
  ITEM_ENTRY_SIZE,
  ITEM_TABLE_OFFSET,
  MAX_ITEMS,
  PLAIN_BODY_HEADER,
  dataPageMaxBody,
} from './data-page.layout';

export class DataPageIo {
  /** The largest body an empty page takes; also the room of an empty page. */
  readonly maxBody: number;
  /** Compaction scratch: (body offset << 8 | item id) of live items, sorted. */
  readonly #order = new Uint32Array(MAX_ITEMS);

  constructor(readonly pageSize: number) {
    this.maxBody = dataPageMaxBody(pageSize);
  }

  /** Formats the page as an empty data page (keeps its page id). */
  init(v: PageView): void {
    const dv = v.dv;
    const o = v.off;
    dv.setUint16(o + PAGE_TYPE_OFFSET, PAGE_TYPE_DATA, true);
    dv.setUint16(o + PAGE_VERSION_OFFSET, DATA_PAGE_VERSION, true);
    dv.setUint16(o + DATA_FREE_SPACE_OFFSET, this.pageSize - DATA_HEADER_END, true);
    dv.setUint16(o + DATA_ITEM_COUNT_OFFSET, 0, true);
    dv.setUint16(o + DATA_FREE_ITEMS_OFFSET, 0, true);
    dv.setUint16(o + DATA_BODY_START_OFFSET, this.pageSize, true);
  }

  isDataPage(v: PageView): boolean {
    return v.dv.getUint16(v.off + PAGE_TYPE_OFFSET, true) === PAGE_TYPE_DATA;
  }

  freeSpace(v: PageView): number {
    return v.dv.getUint16(v.off + DATA_FREE_SPACE_OFFSET, true);
  }

  itemCount(v: PageView): number {
    return v.dv.getUint16(v.off + DATA_ITEM_COUNT_OFFSET, true);
  }

  isEmpty(v: PageView): boolean {
    return this.itemCount(v) === 0;
  }

  /** The largest body insertItem accepts now (0 when every item id is taken). */
  room(v: PageView): number {
    const free = this.freeSpace(v);
    if (v.dv.getUint16(v.off + DATA_FREE_ITEMS_OFFSET, true) > 0) return free;
    if (this.itemCount(v) >= MAX_ITEMS || free < ITEM_ENTRY_SIZE) return 0;
    return free - ITEM_ENTRY_SIZE;
  }

  /** Absolute offset of the body of `itemId`, or -1 when the id is not live on this page. */
  bodyOffset(v: PageView, itemId: number): number {
    if (!(itemId >= 0 && itemId < this.itemCount(v))) return -1;
    const rel = v.dv.getUint16(v.off + ITEM_TABLE_OFFSET + itemId * ITEM_ENTRY_SIZE, true);
    return rel === 0 ? -1 : v.off + rel;
  }

  /**
   * Adds an item with a body of `bodySize` bytes and returns its id; the body's bytes are for the caller to
   * write (bodyOffset). The caller has checked `room(v) >= bodySize`. Reuses the lowest free id first.
   */
  insertItem(v: PageView, bodySize: number): number {
    const dv = v.dv;
    const o = v.off;
    const count = this.itemCount(v);
    const freeItems = dv.getUint16(o + DATA_FREE_ITEMS_OFFSET, true);
    let itemId = count;
    let tableGrowth = ITEM_ENTRY_SIZE;
    if (freeItems > 0) {
      itemId = 0;
      while (dv.getUint16(o + ITEM_TABLE_OFFSET + itemId * ITEM_ENTRY_SIZE, true) !== 0) itemId++;
      tableGrowth = 0;
    }
    const tableEnd = ITEM_TABLE_OFFSET + count * ITEM_ENTRY_SIZE + tableGrowth;
    if (dv.getUint16(o + DATA_BODY_START_OFFSET, true) - tableEnd < bodySize) this.#compact(v);
    const start = dv.getUint16(o + DATA_BODY_START_OFFSET, true) - bodySize;
    dv.setUint16(o + DATA_BODY_START_OFFSET, start, true);
    dv.setUint16(o + ITEM_TABLE_OFFSET + itemId * ITEM_ENTRY_SIZE, start, true);
    dv.setUint16(o + DATA_FREE_SPACE_OFFSET, this.freeSpace(v) - bodySize - tableGrowth, true);
    if (tableGrowth === 0) dv.setUint16(o + DATA_FREE_ITEMS_OFFSET, freeItems - 1, true);
    else dv.setUint16(o + DATA_ITEM_COUNT_OFFSET, count + 1, true);
    return itemId;
  }

  /** Removes a live item. Its id becomes free; trailing free ids leave the table; an empty page is reset. */
  removeItem(v: PageView, itemId: number): void {
    const dv = v.dv;
    const o = v.off;
    const entry = o + ITEM_TABLE_OFFSET + itemId * ITEM_ENTRY_SIZE;
    const rel = dv.getUint16(entry, true);
    const size = bodySizeAt(dv, o + rel);
    let free = this.freeSpace(v) + size;
    dv.setUint16(entry, 0, true);
    if (rel === dv.getUint16(o + DATA_BODY_START_OFFSET, true)) dv.setUint16(o + DATA_BODY_START_OFFSET, rel + size, true);
    let count = this.itemCount(v);
    let freeItems = dv.getUint16(o + DATA_FREE_ITEMS_OFFSET, true) + 1;
    while (count > 0 && dv.getUint16(o + ITEM_TABLE_OFFSET + (count - 1) * ITEM_ENTRY_SIZE, true) === 0) {
      count--;
      freeItems--;
      free += ITEM_ENTRY_SIZE;
    }
    dv.setUint16(o + DATA_ITEM_COUNT_OFFSET, count, true);
    dv.setUint16(o + DATA_FREE_ITEMS_OFFSET, freeItems, true);
    dv.setUint16(o + DATA_FREE_SPACE_OFFSET, free, true);
    if (count === 0) dv.setUint16(o + DATA_BODY_START_OFFSET, this.pageSize, true);
  }

  /**
   * Gives live item `itemId` a body of `newSize` bytes, keeping its id. Returns false (page unchanged) when the
   * page cannot hold it. When the body shrinks it stays in place with its leading bytes intact; when it grows
   * the body's bytes are undefined afterwards and the caller rewrites all of them.
   */
  resizeItem(v: PageView, itemId: number, newSize: number): boolean {
    const dv = v.dv;
    const o = v.off;
    const entry = o + ITEM_TABLE_OFFSET + itemId * ITEM_ENTRY_SIZE;
    const rel = dv.getUint16(entry, true);
    const oldSize = bodySizeAt(dv, o + rel);
    const free = this.freeSpace(v);
    if (newSize <= oldSize) {
      dv.setUint16(o + DATA_FREE_SPACE_OFFSET, free + oldSize - newSize, true);
      return true;
    }
    const delta = newSize - oldSize;
    if (delta > free) return false;
    const bodyStart = dv.getUint16(o + DATA_BODY_START_OFFSET, true);
    if (bodyStart - (ITEM_TABLE_OFFSET + this.itemCount(v) * ITEM_ENTRY_SIZE) >= delta) {
      this.#growDown(v, rel, bodyStart, delta);
      dv.setUint16(o + DATA_FREE_SPACE_OFFSET, free - delta, true);
      return true;
    }
    // Detach the old body (entry 0 without counting it free) so compaction skips it, then allocate anew.
    dv.setUint16(entry, 0, true);
    if (rel === dv.getUint16(o + DATA_BODY_START_OFFSET, true)) dv.setUint16(o + DATA_BODY_START_OFFSET, rel + oldSize, true);
    const tableEnd = ITEM_TABLE_OFFSET + this.itemCount(v) * ITEM_ENTRY_SIZE;
    if (dv.getUint16(o + DATA_BODY_START_OFFSET, true) - tableEnd < newSize) this.#compact(v);
    const start = dv.getUint16(o + DATA_BODY_START_OFFSET, true) - newSize;
    dv.setUint16(o + DATA_BODY_START_OFFSET, start, true);
    dv.setUint16(entry, start, true);
    dv.setUint16(o + DATA_FREE_SPACE_OFFSET, free + oldSize - newSize, true);
    return true;
  }

  /**
   * Grows the body at page offset `rel` by `delta` bytes into the gap below the lowest body: the
   * bytes between the body start and the item move down by `delta` (one copy, no compaction), the entries that
   * pointed there follow, and the item starts `delta` bytes lower. The gap must hold `delta` bytes.
   */
  #growDown(v: PageView, rel: number, bodyStart: number, delta: number): void {
    const dv = v.dv;
    const o = v.off;
    if (rel > bodyStart) v.buf.copyWithin(o + bodyStart - delta, o + bodyStart, o + rel);
    const count = this.itemCount(v);
    for (let id = 0; id < count; id++) {
      const at = o + ITEM_TABLE_OFFSET + id * ITEM_ENTRY_SIZE;
      const r = dv.getUint16(at, true);
      if (r !== 0 && r <= rel) dv.setUint16(at, r - delta, true);
    }
    dv.setUint16(o + DATA_BODY_START_OFFSET, bodyStart - delta, true);
  }

  /** Moves all live bodies to the page end, in offset order, so all free space is one gap. Ids keep their bodies. */
  compact(v: PageView): void {
    this.#compact(v);
  }

  #compact(v: PageView): void {
    const dv = v.dv;
    const o = v.off;
    const order = this.#order;
    order.fill(0);
    const count = this.itemCount(v);
    let n = 0;
    for (let id = 0; id < count; id++) {
      const rel = dv.getUint16(o + ITEM_TABLE_OFFSET + id * ITEM_ENTRY_SIZE, true);
      if (rel !== 0) order[n++] = (rel << 8) | id;
    }
    order.sort(); // live keys are > 0 and sort after the zero padding
    // From the top down, bodies that touch each other form a run that moves up by one shift: one copy per run,
    // so a page with a few holes costs a few copies, not one per body.
    let end = this.pageSize;
    let i = MAX_ITEMS - 1;
    const first = MAX_ITEMS - n;
    while (i >= first) {
      const topRel = order[i]! >>> 8;
      const runEnd = topRel + bodySizeAt(dv, o + topRel);
      const shift = end - runEnd;
      let runStart = topRel;
      dv.setUint16(o + ITEM_TABLE_OFFSET + (order[i]! & 0xff) * ITEM_ENTRY_SIZE, topRel + shift, true);
      i--;
      while (i >= first) {
        const rel = order[i]! >>> 8;
        if (rel + bodySizeAt(dv, o + rel) !== runStart) break;
        runStart = rel;
        dv.setUint16(o + ITEM_TABLE_OFFSET + (order[i]! & 0xff) * ITEM_ENTRY_SIZE, rel + shift, true);
        i--;
      }
      // shift >= 0: the bodies above this run are packed into at most the space they spanned.
      if (shift !== 0) v.buf.copyWithin(o + runStart + shift, o + runStart, o + runEnd);
      end = runStart + shift;
    }
    dv.setUint16(o + DATA_BODY_START_OFFSET, end, true);
  }

  /** A description of the first broken invariant of the page, or null when the page is consistent. */
  check(v: PageView): string | null {
    const dv = v.dv;
    const o = v.off;
    if (!this.isDataPage(v)) return `not a data page (type ${dv.getUint16(o + PAGE_TYPE_OFFSET, true)})`;
    const count = this.itemCount(v);
    const bodyStart = dv.getUint16(o + DATA_BODY_START_OFFSET, true);
    const tableEnd = ITEM_TABLE_OFFSET + count * ITEM_ENTRY_SIZE;
    if (count > MAX_ITEMS || tableEnd > bodyStart || bodyStart > this.pageSize) return `table end ${tableEnd} past body start ${bodyStart}`;
    let used = 0;
    let free = 0;
    const order = this.#order;
    order.fill(0);
    for (let id = 0; id < count; id++) {
      const rel = dv.getUint16(o + ITEM_TABLE_OFFSET + id * ITEM_ENTRY_SIZE, true);
      if (rel === 0) free++;
      else if (rel < bodyStart || rel + bodySizeAt(dv, o + rel) > this.pageSize) return `item ${id} body at ${rel} out of the body area`;
      else {
        order[used++] = (rel << 8) | id;
      }
    }
    if (count > 0 && dv.getUint16(o + ITEM_TABLE_OFFSET + (count - 1) * ITEM_ENTRY_SIZE, true) === 0) return 'last item entry is free';
    if (free !== dv.getUint16(o + DATA_FREE_ITEMS_OFFSET, true)) return `free item count ${free} != header`;
    return this.#checkBodies(v, used, tableEnd);
  }

  #checkBodies(v: PageView, live: number, tableEnd: number): string | null {
    const order = this.#order;
    order.sort();
    let bytes = 0;
    let prevEnd = 0;
    for (let i = MAX_ITEMS - live; i < MAX_ITEMS; i++) {
      const rel = order[i]! >>> 8;
      if (rel < prevEnd) return `item ${order[i]! & 0xff} body at ${rel} overlaps the previous body`;
      const size = bodySizeAt(v.dv, v.off + rel);
      prevEnd = rel + size;
      bytes += size;
    }
    const expected = this.pageSize - tableEnd - bytes;
    const actual = this.freeSpace(v);
    return expected === actual ? null : `free space ${actual} != computed ${expected}`;
  }
}

/** Payload bytes of the body at absolute offset `abs`. */
export function bodyPayloadLength(dv: DataView, abs: number): number {
  return dv.getUint16(abs, true) & BODY_LEN_MASK;
}

/** Whole size (header + payload) of the body at absolute offset `abs`, from its lenFlags. */
export function bodySizeAt(dv: DataView, abs: number): number {
  const lenFlags = dv.getUint16(abs, true);
  const len = lenFlags & BODY_LEN_MASK;
  if ((lenFlags & BODY_FRAGMENT_FLAG) === 0) return PLAIN_BODY_HEADER + len;
  return ((lenFlags & BODY_HEAD_FLAG) === 0 ? FRAGMENT_BODY_HEADER : HEAD_BODY_HEADER) + len;
}
