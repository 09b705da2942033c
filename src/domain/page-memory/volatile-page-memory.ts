/**
 * Volatile page memory (aimem): pages in segments of zero-filled buffers from a MemoryProvider, laid out as
 * [32-byte system header | page content] slots (volatile-page.layout.ts). Segment sizes, buffers and the page
 * index bit split come from segment-plan.ts.
 *
 * Lifetimes and invariants:
 * - Segment 0 is allocated by the constructor; segment k+1 only when every slot of segments 0..k has been handed
 *   out once and the free stack is empty. Segments are never given back before close().
 * - A slot below the bump pointer is either ALLOCATED (its tag names the live page) or FREE (on the free stack,
 *   linked through its header). Freed slots are reused, last freed first, before the bump pointer moves.
 * - Reuse advances the slot's generation (part of the page index), so the freed page's id is rejected afterwards.
 * - Every ALLOCATED slot is on the owner list of its (group, partition, flags) (volatile-owner-lists.ts):
 *   `dropPages` frees all pages of an owner in O(1) — they are refused at once and reclaimed one by one, after the
 *   free stack and before fresh slots, when pages are allocated.
 * - Out of memory leaves everything as it was: the page that does not fit is the only thing refused.
 * - Page access is synchronous and allocation-free; the one check per acquire compares the slot's tag (group,
 *   page id, ALLOCATED state, live owner) with the caller's ids.
 */
import { pageId as makePageId, pageIdToString, writePageId } from '../page/page-id';
import { MAX_PAGE_SIZE, MIN_PAGE_SIZE, PAGE_ID_OFFSET } from '../page/page-header.layout';
import type { MemoryProvider } from '../ports/memory-provider.port';
import { IllegalPageAccessError, InvalidArgumentError, OutOfMemoryError, StorageClosedError } from '../shared/errors';
import type { PageMemory, PageView } from './page-memory.port';
import { planSegments, type SegmentPlan } from './segment-plan';
import {
  STATE_ALLOCATED, STATE_DIRTY, STATE_FREE, SYS_HEADER_SIZE, W_GROUP, W_ID_HI, W_ID_LO, W_NEXT_FREE, W_OWNER, W_PINS, W_STATE,
  slotSizeOf,
} from './volatile-page.layout';
import {
  checkVolatileInvariants, explainDeadPage, volatileStats, type VolatileMemoryState, type VolatilePageMemoryStats,
} from './volatile-diagnostics';
import { VolatileSegments } from './volatile-segments';
import { VolatileOwnerLists } from './volatile-owner-lists';

const P32 = 0x1_0000_0000;

/**
 * Hooks for the owning aggregate. Both run synchronously inside `allocatePage` and must not call back into the
 * memory's page methods (reading `stats()` is fine). Segment 0 is allocated by the constructor, before anyone
 * could listen, so `onSegmentAllocated` hears about segments 1..15 only.
 */
export interface VolatilePageMemoryListener {
  /** Segment `segmentIndex` of `bytes` bytes is in place (`totalBytes` = all segments); no page of it is used yet. */
  onSegmentAllocated(segmentIndex: number, bytes: number, totalBytes: number): void;
  /**
   * An allocation is about to fail with OutOfMemoryError; nothing has changed. `requestedBytes` is the segment the
   * provider refused, or undefined when every planned segment is in use (the region reached maxSizeBytes).
   */
  onOutOfMemory(requestedBytes: number | undefined): void;
}

export interface VolatilePageMemoryOptions {
  /** The data region (profile) name, for errors. */
  readonly name: string;
  readonly pageSize: number;
  readonly initSizeBytes: number;
  readonly maxSizeBytes: number;
  readonly memory: MemoryProvider;
  /** Largest single backing buffer (default 1 GiB); a bigger segment is backed by several buffers. */
  readonly maxBufferBytes?: number;
  readonly listener?: VolatilePageMemoryListener;
}

export class VolatilePageMemory implements PageMemory {
  readonly pageSize: number;
  readonly plan: SegmentPlan;
  readonly #name: string;
  readonly #initSizeBytes: number;
  readonly #maxSizeBytes: number;
  readonly #segs: VolatileSegments;
  readonly #listener: VolatilePageMemoryListener | null;
  readonly #slotSize: number;
  readonly #slotWords: number;
  readonly #localBits: number;
  readonly #localMask: number;
  readonly #slotMask: number;
  readonly #slotBits: number;
  readonly #genUnit: number;
  /** Shared with #segs (see VolatileSegments): per buffer, its slot count and its views. */
  readonly #slotsIn: readonly number[];
  readonly #u8: Uint8Array[];
  readonly #dv: DataView[];
  readonly #words: Uint32Array[];
  /** Buffers page access may touch: all allocated ones, 0 after close (so a closed memory fails the bounds check). */
  #bufferCount = 0;
  /** Next fresh slot: buffer number and slot in it. */
  #bumpBuffer = 0;
  #bumpLocal = 0;
  /** Slot number + 1 of the top of the free stack; 0 = empty. */
  #freeHead = 0;
  #freeCount = 0;
  #allocated = 0;
  #pinned = 0;
  #dirty = 0;
  /** See setAllocationFloor (0: none). */
  #floor = 0;
  #closed = false;
  readonly #owners: VolatileOwnerLists;

  constructor(opts: VolatilePageMemoryOptions) {
    const { pageSize } = opts;
    if (!Number.isInteger(pageSize) || pageSize < MIN_PAGE_SIZE || pageSize > MAX_PAGE_SIZE || (pageSize & (pageSize - 1)) !== 0) {
      throw new InvalidArgumentError(`pageSize must be a power of two between ${MIN_PAGE_SIZE} and ${MAX_PAGE_SIZE}, got ${pageSize}`);
    }
    this.pageSize = pageSize;
    this.#name = opts.name;
    this.#initSizeBytes = opts.initSizeBytes;
    this.#maxSizeBytes = opts.maxSizeBytes;
    this.#listener = opts.listener ?? null;
    this.#slotSize = slotSizeOf(pageSize);
    this.#slotWords = this.#slotSize >>> 2;
    this.plan = planSegments(opts.initSizeBytes, opts.maxSizeBytes, this.#slotSize, opts.maxBufferBytes);
    this.#localBits = this.plan.localBits;
    this.#localMask = 2 ** this.#localBits - 1;
    this.#slotBits = this.plan.slotBits;
    this.#slotMask = 2 ** this.#slotBits - 1;
    this.#genUnit = 2 ** this.#slotBits;
    this.#slotsIn = this.plan.bufferSlots;
    this.#segs = new VolatileSegments(this.plan, opts.memory);
    ({ u8: this.#u8, dv: this.#dv, words: this.#words } = this.#segs);
    this.#owners = new VolatileOwnerLists(this.#words, this.#localBits, this.#slotWords);
    this.#growSegment();
  }

  allocatePage(groupId: number, partitionId: number, flags: number): number {
    if (this.#closed) throw new StorageClosedError(`data region '${this.#name}' is closed; cannot allocate a page`);
    if (groupId >>> 0 !== groupId || (partitionId & 0xffff) !== partitionId || (flags & 0xf) !== flags) {
      throw new InvalidArgumentError(`allocatePage(groupId=${groupId}, partitionId=${partitionId}, flags=${flags}): ids out of range`);
    }
    if (this.#floor > 0 && this.plan.totalSlots - this.#allocated <= this.#floor) {
      throw this.#outOfMemory(
        undefined,
        `${this.plan.totalSlots - this.#allocated} page(s) left, kept for the write closures under way; ` +
          "a closure's first write that needs a new page is refused before it changes anything",
      );
    }
    const owners = this.#owners;
    const list = owners.listFor(groupId, partitionId, flags);
    const fromStack = this.#freeHead !== 0;
    const dropped = fromStack ? -1 : owners.takeDropped();
    const reuse = fromStack || dropped >= 0;
    const slot = fromStack ? this.#freeHead - 1 : dropped >= 0 ? dropped : this.#bumpSlot();
    const b = slot >>> this.#localBits;
    const w = (slot & this.#localMask) * this.#slotWords;
    const h = this.#words[b]!;
    let generation = 1;
    if (reuse) {
      if (fromStack) {
        this.#freeHead = h[w + W_NEXT_FREE]!;
        this.#freeCount--;
      } else if ((h[w + W_STATE]! & STATE_DIRTY) !== 0) {
        this.#dirty--;
      }
      generation = (h[w + W_ID_LO]! >>> this.#slotBits) + 1;
      if (generation > this.plan.maxGeneration) generation = 1;
      const off = w * 4 + SYS_HEADER_SIZE;
      this.#u8[b]!.fill(0, off, off + this.pageSize);
    }
    const index = generation * this.#genUnit + slot;
    h[w + W_GROUP] = groupId;
    h[w + W_ID_LO] = index;
    h[w + W_ID_HI] = partitionId + flags * 0x10000;
    h[w + W_PINS] = 0;
    h[w + W_STATE] = STATE_ALLOCATED;
    owners.link(slot, list);
    const id = makePageId(flags, partitionId, index);
    writePageId(this.#dv[b]!, w * 4 + SYS_HEADER_SIZE + PAGE_ID_OFFSET, id);
    this.#allocated++;
    // The mutation that got this page has begun changing pages: the rest of it must not be refused (it would be cut
    // in the middle, a row written without its chain or index entries), so it may use the kept pages.
    this.#floor = 0;
    return id;
  }

  /** See PageMemory.setAllocationFloor: pages left = planned slots (up to maxSizeBytes) − allocated ones. */
  setAllocationFloor(pages: number): void {
    this.#floor = Math.min(pages, Math.floor(this.plan.totalSlots / 16));
  }

  /** See PageMemory.admitClosure (pages left as for setAllocationFloor). */
  admitClosure(pages: number): void {
    const left = this.plan.totalSlots - this.#allocated;
    if (left > Math.min(pages, Math.floor(this.plan.totalSlots / 32))) return;
    throw this.#outOfMemory(
      undefined,
      `${left} page(s) left, kept for the write closures under way; a closure that adds data is refused at its first write before it changes anything`,
    );
  }

  freePage(groupId: number, pageId: number): void {
    const slot = this.#liveSlot(groupId, pageId);
    if (slot < 0) throw this.#accessError(groupId, pageId, 'free');
    const h = this.#words[slot >>> this.#localBits]!;
    const w = (slot & this.#localMask) * this.#slotWords;
    const pins = h[w + W_PINS]!;
    if (pins !== 0) {
      throw new IllegalPageAccessError(`cannot free ${pageIdToString(pageId)} of group ${groupId}: it is pinned ${pins} time(s); release it first`);
    }
    if ((h[w + W_STATE]! & STATE_DIRTY) !== 0) this.#dirty--;
    this.#owners.unlink(slot);
    // The tag stays: its generation is where the slot's next page id continues from.
    h[w + W_STATE] = STATE_FREE;
    h[w + W_NEXT_FREE] = this.#freeHead;
    this.#freeHead = slot + 1;
    this.#freeCount++;
    this.#allocated--;
  }

  acquireRead(groupId: number, pageId: number, view: PageView): void {
    this.#pin(groupId, pageId, view, false);
  }

  acquireWrite(groupId: number, pageId: number, view: PageView): void {
    this.#pin(groupId, pageId, view, true);
  }

  /** After close() this only empties the view: the memory is gone, there is nothing left to unpin. */
  release(view: PageView): void {
    const slot = view.slot;
    if (slot < 0) throw new IllegalPageAccessError('release of a view that holds no page');
    view.slot = -1;
    view.writable = false;
    if (this.#closed) return;
    const b = slot >>> this.#localBits;
    const h = this.#words[b];
    if (h === undefined || view.buf !== this.#u8[b]) {
      throw new IllegalPageAccessError(`release of ${pageIdToString(view.pageId)}: the view was not filled by this page memory`);
    }
    const w = (slot & this.#localMask) * this.#slotWords;
    const pins = h[w + W_PINS]!;
    if (pins === 0) throw new IllegalPageAccessError(`release of ${pageIdToString(view.pageId)}, which is not pinned`);
    h[w + W_PINS] = pins - 1;
    if (pins === 1) this.#pinned--;
  }

  /**
   * Frees every page of (group, partition, flags) in time independent of their number (a partition's clear or
   * destroy): they are refused from now on and reclaimed lazily as pages are allocated. None may be pinned (the
   * caller holds none between calls). Returns how many pages went.
   */
  dropPages(groupId: number, partitionId: number, flags: number): number {
    if (this.#closed) return 0;
    // Nothing pinned anywhere is the O(1) common case; otherwise the owner's list is walked for a pinned page.
    if (this.#pinned > 0) {
      const pinned = this.#owners.findPinned(groupId, partitionId, flags);
      if (pinned >= 0) {
        throw new IllegalPageAccessError(`cannot drop the pages of group ${groupId}, partition ${partitionId}: slot ${pinned} is pinned; release it first`);
      }
    }
    const n = this.#owners.drop(groupId, partitionId, flags);
    this.#allocated -= n;
    return n;
  }

  stats(): VolatilePageMemoryStats {
    return volatileStats(this.#state());
  }

  /** Walks every used slot and the free stack; throws an Error naming the first broken invariant. For tests. */
  checkInvariants(): void {
    checkVolatileInvariants(this.#state());
  }

  /** Gives every buffer back to the provider. Afterwards page access throws StorageClosedError. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#bufferCount = 0;
    this.#bumpBuffer = this.#bumpLocal = this.#freeHead = this.#freeCount = 0;
    this.#allocated = this.#pinned = this.#dirty = 0;
    this.#owners.reset();
    this.#segs.releaseAll();
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** The slot of the live page (groupId, pageId), or -1 when the id does not name one (any reason). */
  #liveSlot(groupId: number, pageId: number): number {
    const index = pageId >>> 0;
    const slot = index & this.#slotMask;
    const b = slot >>> this.#localBits;
    const local = slot & this.#localMask;
    if (b >= this.#bufferCount || local >= this.#slotsIn[b]!) return -1;
    const h = this.#words[b]!;
    const w = local * this.#slotWords;
    if (
      h[w + W_ID_LO] !== index ||
      h[w + W_GROUP] !== groupId ||
      h[w + W_ID_HI] !== (pageId - index) / P32 ||
      (h[w + W_STATE]! & STATE_ALLOCATED) === 0 ||
      this.#owners.live[h[w + W_OWNER]!] !== 1
    ) {
      return -1;
    }
    return slot;
  }

  #pin(groupId: number, pageId: number, view: PageView, writable: boolean): void {
    if (view.slot >= 0) {
      throw new IllegalPageAccessError(`view already holds ${pageIdToString(view.pageId)}; release it before acquiring ${pageIdToString(pageId)}`);
    }
    const slot = this.#liveSlot(groupId, pageId);
    if (slot < 0) throw this.#accessError(groupId, pageId, 'acquire');
    const b = slot >>> this.#localBits;
    const local = slot & this.#localMask;
    const h = this.#words[b]!;
    const w = local * this.#slotWords;
    if (h[w + W_PINS]++ === 0) this.#pinned++;
    if (writable && (h[w + W_STATE]! & STATE_DIRTY) === 0) {
      h[w + W_STATE] = h[w + W_STATE]! | STATE_DIRTY;
      this.#dirty++;
    }
    view.groupId = groupId;
    view.pageId = pageId;
    view.buf = this.#u8[b]!;
    view.dv = this.#dv[b]!;
    view.off = local * this.#slotSize + SYS_HEADER_SIZE;
    view.slot = slot;
    view.writable = writable;
  }

  /** The next never-used slot, growing by a segment when the allocated ones are used up (throws OutOfMemoryError). */
  #bumpSlot(): number {
    if (this.#bumpLocal === this.#slotsIn[this.#bumpBuffer]) {
      if (this.#bumpBuffer + 1 === this.#bufferCount) this.#growSegment();
      this.#bumpBuffer++;
      this.#bumpLocal = 0;
    }
    return (this.#bumpBuffer << this.#localBits) | this.#bumpLocal++;
  }

  /** Allocates the next planned segment (all its buffers) or throws OutOfMemoryError with nothing changed. */
  #growSegment(): void {
    const segs = this.#segs;
    const seg = segs.count;
    if (segs.isFull) {
      throw this.#outOfMemory(
        undefined,
        `all ${seg} segments (${segs.totalBytes} bytes) are in use by ${this.#allocated} pages of ${this.pageSize} bytes`,
      );
    }
    const bytes = this.plan.segmentBytes[seg]!;
    try {
      segs.grow();
    } catch (e) {
      const err = this.#outOfMemory(bytes, `could not allocate segment ${seg} of ${bytes} bytes: ${e instanceof Error ? e.message : String(e)}`);
      err.cause = e;
      throw err;
    }
    this.#bufferCount = segs.bufferCount;
    if (seg > 0) this.#listener?.onSegmentAllocated(seg, bytes, segs.totalBytes);
  }

  #outOfMemory(requestedBytes: number | undefined, detail: string): OutOfMemoryError {
    // Segment 0 fails inside the constructor: no listener can be attached to a memory that does not exist yet.
    if (this.#segs.count > 0) this.#listener?.onOutOfMemory(requestedBytes);
    return new OutOfMemoryError(this.#name, this.#initSizeBytes, this.#maxSizeBytes, detail);
  }

  /** Slow path: explains why (groupId, pageId) names no live page. */
  #accessError(groupId: number, pageId: number, action: string): Error {
    const page = `${pageIdToString(pageId)} of group ${groupId}`;
    if (this.#closed) return new StorageClosedError(`data region '${this.#name}' is closed; cannot ${action} ${page}`);
    if (!Number.isSafeInteger(pageId) || pageId < 0) return new IllegalPageAccessError(`cannot ${action} ${pageId}: not a page id`);
    return new IllegalPageAccessError(`cannot ${action} ${page}: ${explainDeadPage(this.#state(), groupId, pageId)}`);
  }

  /** What the diagnostics read (slow paths only). */
  #state(): VolatileMemoryState {
    return {
      name: this.#name,
      pageSize: this.pageSize,
      plan: this.plan,
      words: this.#words,
      slotWords: this.#slotWords,
      bufferCount: this.#bufferCount,
      segments: this.#segs.count,
      totalBytes: this.#segs.totalBytes,
      bumpBuffer: this.#bumpBuffer,
      bumpLocal: this.#bumpLocal,
      freeHead: this.#freeHead,
      freeCount: this.#freeCount,
      allocated: this.#allocated,
      pinned: this.#pinned,
      dirty: this.#dirty,
      closed: this.#closed,
      owners: this.#owners,
    };
  }
}
