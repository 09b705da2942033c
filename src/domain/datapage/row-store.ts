/**
 * Rows of bytes in data pages, addressed by links (page id + item id). A row that fits an empty page is one
 * plain item; a longer row is a chain of fragments: a head fragment (the link's item: row length, first bytes,
 * next link) and full-page fragments after it. Fragments are written last-first so each knows its successor;
 * full fragments take empty pages, the head (and a short last fragment) go to the smallest page that fits.
 *
 * Link lifetime: a link stays valid until its row is removed or relocated by `update` — other rows coming and
 * going on the page, and compaction, never move it (the item id indirection). Invalid links are refused with
 * InvalidArgumentError (or IllegalPageAccessError when the page is gone), never silently read.
 *
 * Every page change goes through acquireWrite; no page stays pinned after a call returns or throws. Reads copy
 * into caller memory (`read`, `readAt`) or return a fresh array (`readBytes`, allocating: not for hot paths).
 * Single-threaded and synchronous; one store per free list (it owns page and scratch state).
 */
import { DataCorruptionError, InvalidArgumentError, RowTooLargeError } from '../shared/errors';
import { pageIdToString, readItemId, readPageId } from '../page/page-id';
import { PageView, type PageMemory } from '../page-memory/page-memory.port';
import type { DataPageFreeList } from '../freelist/free-list.port';
import { DataPageIo, bodyPayloadLength, bodySizeAt } from './data-page-io';
import { BODY_FRAGMENT_FLAG, BODY_LEN_MASK, BODY_NEXT_OFFSET, FRAGMENT_BODY_HEADER, HEAD_BODY_HEADER, MAX_ROW_SIZE, PLAIN_BODY_HEADER } from './data-page.layout';
import { copyBytes } from './byte-copy';
import { FRAGMENT, HEAD, PLAIN, checkRange, headerSize, isFragmented, isRowStart, rowLengthAt, writeBody } from './row-body';
import { RowLink } from './row-link';

export class RowStore {
  /** Longest row stored as one plain item (longer rows are fragmented). */
  readonly maxPlainRow: number;
  /** Payload of a full non-head fragment (one per empty page). */
  readonly fragmentCapacity: number;
  readonly #headCapacity: number;
  readonly #groupId: number;
  readonly #io: DataPageIo;
  readonly #view = new PageView();

  constructor(
    readonly memory: PageMemory,
    readonly freeList: DataPageFreeList,
  ) {
    this.#groupId = freeList.groupId;
    this.#io = new DataPageIo(memory.pageSize);
    this.maxPlainRow = this.#io.maxBody - PLAIN_BODY_HEADER;
    this.fragmentCapacity = this.#io.maxBody - FRAGMENT_BODY_HEADER;
    this.#headCapacity = this.#io.maxBody - HEAD_BODY_HEADER;
  }

  /**
   * Stores `len` bytes of `src` from `srcOff` as a new row; fills and returns `out` with its link. On
   * OutOfMemoryError nothing is stored (fragments already written are removed again) and `out` is undefined.
   */
  insert(src: Uint8Array, out: RowLink, srcOff = 0, len = src.length - srcOff): RowLink {
    checkRange(src, srcOff, len);
    if (len > MAX_ROW_SIZE) throw new RowTooLargeError(`a row of ${len} bytes exceeds the maximum of ${MAX_ROW_SIZE}`);
    if (len <= this.maxPlainRow) this.#putBody(PLAIN, src, srcOff, len, 0, 0, 0, out);
    else this.#insertFragmented(src, srcOff, len, out);
    return out;
  }

  /** Row length in bytes. */
  length(pageId: number, itemId: number): number {
    const v = this.#view;
    this.memory.acquireRead(this.#groupId, pageId, v);
    const abs = this.#rowBody(v, pageId, itemId);
    const len = rowLengthAt(v.dv, abs);
    this.memory.release(v);
    return len;
  }

  /** Copies the whole row into `dst` at `dstOff` (which must have room) and returns its length. */
  read(pageId: number, itemId: number, dst: Uint8Array, dstOff = 0): number {
    return this.#copy(pageId, itemId, 0, dst, dstOff, -1, false);
  }

  /** The whole row as a fresh array (allocates; use `read` on hot paths). */
  readBytes(pageId: number, itemId: number): Uint8Array {
    const dst = new Uint8Array(this.length(pageId, itemId));
    this.#copy(pageId, itemId, 0, dst, 0, dst.length, false);
    return dst;
  }

  /**
   * Copies the row's first min(`maxLen`, length) bytes into `dst[0..]` and returns the row's whole length: one page
   * access for a plain row (a version header and its length in one read).
   */
  readPrefix(pageId: number, itemId: number, dst: Uint8Array, maxLen: number): number {
    const v = this.#view;
    this.memory.acquireRead(this.#groupId, pageId, v);
    const abs = this.#rowBody(v, pageId, itemId);
    const total = rowLengthAt(v.dv, abs);
    const n = total < maxLen ? total : maxLen;
    const payload = bodyPayloadLength(v.dv, abs);
    if (!isFragmented(v.dv, abs) || n <= payload) {
      copyBytes(v.buf, abs + bodySizeAt(v.dv, abs) - payload, dst, 0, n);
      this.memory.release(v);
      return total;
    }
    this.memory.release(v);
    this.#copy(pageId, itemId, 0, dst, 0, n, false);
    return total;
  }

  /**
   * Pins the page of a plain row for reading into the caller's `v` and returns the offset of the row's first byte
   * in `v.buf` (its length in `plainLength`); the caller reads it there and releases `v`. Returns -1, with nothing
   * pinned, when the row is fragmented. One page access for a whole small row (hot read paths).
   */
  pinPlain(pageId: number, itemId: number, v: PageView): number {
    this.memory.acquireRead(this.#groupId, pageId, v);
    const abs = this.#rowBody(v, pageId, itemId);
    const lenFlags = v.dv.getUint16(abs, true);
    if ((lenFlags & BODY_FRAGMENT_FLAG) !== 0) {
      this.memory.release(v);
      return -1;
    }
    this.plainLength = lenFlags & BODY_LEN_MASK;
    return abs + PLAIN_BODY_HEADER;
  }

  /** Length of the row the last successful pinPlain pinned. */
  plainLength = 0;

  /**
   * Rewrites a plain row with `len` bytes of `src` keeping its link, when they fit its page as a plain row (the
   * body is resized there, compacting if needed); false, and nothing changed, otherwise (also for a fragmented
   * row). The row store never moves the row here: links that must stay put (version anchors) use this.
   */
  replaceInPage(pageId: number, itemId: number, src: Uint8Array, srcOff: number, len: number): boolean {
    if (len > this.maxPlainRow) return false;
    const v = this.#view;
    const m = this.memory;
    m.acquireWrite(this.#groupId, pageId, v);
    const abs = this.#rowBody(v, pageId, itemId);
    if (isFragmented(v.dv, abs) || !this.#io.resizeItem(v, itemId, PLAIN_BODY_HEADER + len)) {
      m.release(v);
      return false;
    }
    writeBody(v, this.#io.bodyOffset(v, itemId), PLAIN, src, srcOff, len, 0, 0, 0);
    const room = this.#io.room(v);
    m.release(v);
    this.freeList.pageChanged(pageId, room);
    return true;
  }

  /** Copies row bytes [rowOff, rowOff + len) into `dst` at `dstOff`. */
  readAt(pageId: number, itemId: number, rowOff: number, dst: Uint8Array, dstOff: number, len: number): void {
    this.#copy(pageId, itemId, rowOff, dst, dstOff, len, false);
  }

  /**
   * Overwrites row bytes [rowOff, rowOff + len) in place with `len` bytes of `src` from `srcOff`; the row keeps
   * its link and length. Meant for small fixed-size fields (e.g. a version's commit timestamp or next link): on
   * a plain row it touches one page; on a fragmented row it walks the chain from the head up to the range and
   * write-acquires only the fragments the range covers.
   */
  writeAt(pageId: number, itemId: number, rowOff: number, src: Uint8Array, srcOff: number, len: number): void {
    this.#copy(pageId, itemId, rowOff, src, srcOff, len, true);
  }

  /**
   * Replaces the row's bytes. Returns true when the row kept its link (`out` = the same link): the new bytes fit
   * its page (the body is resized there, compacting if needed), or a fragmented row keeps its length (rewritten
   * in place). Otherwise the new bytes are inserted as a new row first and the old row is removed afterwards:
   * returns false, `out` holds the new link and the old link is invalid — the caller must store `out` wherever
   * it kept the old link. On OutOfMemoryError the old row is intact.
   */
  update(pageId: number, itemId: number, src: Uint8Array, out: RowLink, srcOff = 0, len = src.length - srcOff): boolean {
    checkRange(src, srcOff, len);
    const v = this.#view;
    const m = this.memory;
    m.acquireWrite(this.#groupId, pageId, v);
    let abs = this.#rowBody(v, pageId, itemId);
    const fragmented = isFragmented(v.dv, abs);
    const oldLen = rowLengthAt(v.dv, abs);
    const nextPage = fragmented ? readPageId(v.dv, abs + BODY_NEXT_OFFSET) : 0;
    const nextItem = fragmented ? readItemId(v.dv, abs + BODY_NEXT_OFFSET) : 0;
    if (len <= this.maxPlainRow && this.#io.resizeItem(v, itemId, PLAIN_BODY_HEADER + len)) {
      abs = this.#io.bodyOffset(v, itemId);
      writeBody(v, abs, PLAIN, src, srcOff, len, 0, 0, 0);
      const room = this.#io.room(v);
      m.release(v);
      this.freeList.pageChanged(pageId, room);
      if (fragmented) this.#removeChain(nextPage, nextItem);
      out.set(pageId, itemId);
      return true;
    }
    m.release(v);
    if (fragmented && oldLen === len) {
      this.#copy(pageId, itemId, 0, src, srcOff, len, true);
      out.set(pageId, itemId);
      return true;
    }
    this.insert(src, out, srcOff, len);
    this.remove(pageId, itemId);
    return false;
  }

  /** Removes the row and all its fragments; the link is invalid afterwards. */
  remove(pageId: number, itemId: number): void {
    const v = this.#view;
    this.memory.acquireWrite(this.#groupId, pageId, v);
    const abs = this.#rowBody(v, pageId, itemId);
    const fragmented = isFragmented(v.dv, abs);
    const nextPage = fragmented ? readPageId(v.dv, abs + BODY_NEXT_OFFSET) : 0;
    const nextItem = fragmented ? readItemId(v.dv, abs + BODY_NEXT_OFFSET) : 0;
    this.#io.removeItem(v, itemId);
    const room = this.#io.room(v);
    this.memory.release(v);
    this.freeList.pageChanged(pageId, room);
    if (nextPage !== 0) this.#removeChain(nextPage, nextItem);
  }

  #insertFragmented(src: Uint8Array, srcOff: number, len: number, out: RowLink): void {
    const cap = this.fragmentCapacity;
    const fragments = Math.ceil((len - this.#headCapacity) / cap);
    // The head takes what is left over after full fragments (at most a head's capacity); when nothing is left
    // the last fragment is the short one instead.
    const headLen = Math.max(0, len - fragments * cap);
    let nextPage = 0;
    let nextItem = 0;
    try {
      for (let k = fragments - 1; k >= 0; k--) {
        const start = headLen + k * cap;
        const end = Math.min(len, start + cap);
        this.#putBody(FRAGMENT, src, srcOff + start, end - start, nextPage, nextItem, 0, out);
        nextPage = out.pageId;
        nextItem = out.itemId;
      }
      this.#putBody(HEAD, src, srcOff, headLen, nextPage, nextItem, len, out);
    } catch (e) {
      if (nextPage !== 0) this.#removeChain(nextPage, nextItem);
      throw e;
    }
  }

  /** Places one body on the page the free list picks and fills `out` with its link. */
  #putBody(kind: number, src: Uint8Array, srcOff: number, len: number, nextPage: number, nextItem: number, rowLen: number, out: RowLink): void {
    const size = headerSize(kind) + len;
    const pageId = this.freeList.pageWithRoom(size);
    const v = this.#view;
    this.memory.acquireWrite(this.#groupId, pageId, v);
    if (!this.#io.isDataPage(v)) this.#io.init(v);
    const itemId = this.#io.insertItem(v, size);
    writeBody(v, this.#io.bodyOffset(v, itemId), kind, src, srcOff, len, nextPage, nextItem, rowLen);
    const room = this.#io.room(v);
    this.memory.release(v);
    this.freeList.pageChanged(pageId, room);
    out.set(pageId, itemId);
  }

  /** Removes fragments from (pageId, itemId) to the end of their chain. */
  #removeChain(pageId: number, itemId: number): void {
    const v = this.#view;
    while (pageId !== 0) {
      this.memory.acquireWrite(this.#groupId, pageId, v);
      const abs = this.#fragmentBody(v, pageId, itemId);
      const nextPage = readPageId(v.dv, abs + BODY_NEXT_OFFSET);
      const nextItem = readItemId(v.dv, abs + BODY_NEXT_OFFSET);
      this.#io.removeItem(v, itemId);
      const room = this.#io.room(v);
      this.memory.release(v);
      this.freeList.pageChanged(pageId, room);
      pageId = nextPage;
      itemId = nextItem;
    }
  }

  /**
   * Copies between row bytes [rowOff, rowOff + len) and `buf` at `bufOff`: into the row when `toRow`, out of it
   * otherwise. len -1 = to the row's end. Returns the bytes copied. The head is acquired in the final mode;
   * later fragments are read-acquired and re-acquired for writing only when the range covers them.
   */
  #copy(pageId: number, itemId: number, rowOff: number, buf: Uint8Array, bufOff: number, len: number, toRow: boolean): number {
    const v = this.#view;
    const m = this.memory;
    if (toRow) m.acquireWrite(this.#groupId, pageId, v);
    else m.acquireRead(this.#groupId, pageId, v);
    let abs = this.#rowBody(v, pageId, itemId);
    const total = rowLengthAt(v.dv, abs);
    if (len === -1) len = total - rowOff;
    this.#checkCopy(v, total, rowOff, len, buf, bufOff);
    let pos = 0; // row offset of this body's first payload byte
    let done = 0;
    while (done < len) {
      const chunk = v.dv.getUint16(abs, true) & BODY_LEN_MASK;
      const from = rowOff + done;
      if (from < pos + chunk) {
        if (toRow && !v.writable) abs = this.#reacquireToWrite(v, pageId, itemId);
        const n = Math.min(pos + chunk - from, len - done);
        const at = abs + bodySizeAt(v.dv, abs) - chunk + (from - pos);
        if (toRow) copyBytes(buf, bufOff + done, v.buf, at, n);
        else copyBytes(v.buf, at, buf, bufOff + done, n);
        done += n;
        if (done === len) break;
      }
      pos += chunk;
      const nextPage = readPageId(v.dv, abs + BODY_NEXT_OFFSET);
      itemId = readItemId(v.dv, abs + BODY_NEXT_OFFSET);
      m.release(v);
      pageId = nextPage;
      m.acquireRead(this.#groupId, pageId, v);
      abs = this.#fragmentBody(v, pageId, itemId);
    }
    m.release(v);
    return len;
  }

  #checkCopy(v: PageView, total: number, rowOff: number, len: number, buf: Uint8Array, bufOff: number): void {
    if (rowOff >= 0 && len >= 0 && rowOff + len <= total && bufOff >= 0 && bufOff + len <= buf.length) return;
    this.memory.release(v);
    throw new InvalidArgumentError(`bytes [${rowOff}, ${rowOff + len}) of a ${total}-byte row do not fit the row or the buffer (${buf.length} bytes from ${bufOff})`);
  }

  /** Re-acquires a read-acquired fragment for writing; returns its body offset in the new view. */
  #reacquireToWrite(v: PageView, pageId: number, itemId: number): number {
    this.memory.release(v);
    this.memory.acquireWrite(this.#groupId, pageId, v);
    return this.#fragmentBody(v, pageId, itemId);
  }

  /** The body of the row `itemId` names on the acquired page; releases the view and throws when there is none. */
  #rowBody(v: PageView, pageId: number, itemId: number): number {
    const abs = this.#io.isDataPage(v) ? this.#io.bodyOffset(v, itemId) : -1;
    if (abs >= 0 && isRowStart(v.dv, abs)) return abs;
    this.memory.release(v);
    throw new InvalidArgumentError(`no row at link ${pageIdToString(pageId)} item ${itemId} (removed, relocated or never stored)`);
  }

  /** The body of a fragment a chain names; releases the view and throws DataCorruptionError when it is missing. */
  #fragmentBody(v: PageView, pageId: number, itemId: number): number {
    const abs = this.#io.isDataPage(v) ? this.#io.bodyOffset(v, itemId) : -1;
    if (abs >= 0 && isFragmented(v.dv, abs)) return abs;
    this.memory.release(v);
    throw new DataCorruptionError(`fragment chain names ${pageIdToString(pageId)} item ${itemId}, which is no fragment`);
  }
}
