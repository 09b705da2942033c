/**
 * The persistent page memory (aipersist): a page cache of `sizeBytes` over the pages of each partition's durable
 * store (PageStore port), implementing the PageMemory port unchanged for its callers.
 *
 * - Frames: `sizeBytes / pageSize` page frames in ArrayBuffers of at most `maxBufferBytes`; per-frame metadata in
 *   typed arrays (group, partition, page index, flags, partition generation, pins, state). A loaded-page table
 *   (loaded-page-table.ts) maps (group, partition, index, generation) to a frame without allocating.
 * - Page ids: `pageId(flags, partition, index)`, where index (from 1; 0 is "no page" in partition links) is the
 *   page's place in its partition's store. The first page of a partition is its meta page (the engine allocates it
 *   first): a reopen finds it at index 1. Ids are file positions, so a freed or dropped id is refused only until its
 *   index is handed out again (the volatile memory never reuses an id). New indexes are handed out from the partition's page count; freed pages form a chain through the pages
 *   themselves (type PAGE_TYPE_FREED, next index after the common header), reused first. Both live in the store's
 *   partition state, written with every checkpoint.
 * - A miss reads the page through the store (CRC-checked there) into a free frame, or into a frame whose page the
 *   replacement policy (page-replacement.ts, the profile's `replacementMode`) gives up: only an unpinned, clean
 *   page can go first. When every unpinned page is dirty (a closure that changes more than the cache holds, or
 *   writes faster than checkpoints), one is written to the store's spill area (a scratch file, not durable state)
 *   and read back on its next use or by the next checkpoint, so a large closure never fails for want of frames.
 *   Only when every frame is pinned (or the store has no spill area) does the call throw OutOfMemoryError naming
 *   the profile and its size, having changed nothing.
 * - Each partition has a generation: `dropPages` (clear, destroy) starts a new one in constant time; frames of an
 *   older generation are never found again, never written, and are reclaimed by replacement.
 * - Checkpoints (synchronous, between write closures): `checkpointPlan()` lists each changed partition's state and
 *   its dirty pages in index order, the writer reads them with `frameBytes`, and `checkpointDone(plan)` marks them
 *   clean. A failed write leaves them dirty for the next try.
 * Single-threaded; not reentrant.
 */
import { flagsOf, FLAG_AUX, FLAG_DATA, MAX_PAGE_INDEX, pageId, pageIdToString, pageIndex, partitionIdOf, writePageId } from '../page/page-id';
import { COMMON_HEADER_END, PAGE_ID_OFFSET, PAGE_TYPE_OFFSET } from '../page/page-header.layout';
import { PAGE_TYPE_FREED } from '../page/page-types';
import type { CheckpointPartition as PartitionCheckpoint, PageStore } from '../ports/page-store.port';
import { DataCorruptionError, IllegalPageAccessError, InvalidArgumentError, OutOfMemoryError, StorageClosedError } from '../shared/errors';
import type { PageMemory, PageView } from './page-memory.port';
import { PageFrames, ST_DIRTY, ST_LOADED } from './page-frames';
import { planCheckpoint, SpillSlots, type PartitionPages } from './persistent-partitions';
import type { ReplacementMode } from './page-replacement';

export interface PersistentPageMemoryOptions {
  /** The storage profile (named by errors). */
  readonly name: string;
  readonly pageSize: number;
  /** Cache size: frames = floor(sizeBytes / pageSize). */
  readonly sizeBytes: number;
  readonly replacementMode: ReplacementMode;
  readonly store: PageStore;
  /** Largest single frame buffer (default 1 GiB). */
  readonly maxBufferBytes?: number;
}

export interface PersistentPageMemoryCounters {
  readonly hits: number;
  readonly misses: number;
  readonly replacements: number;
  readonly pagesRead: number;
  readonly spillWrites: number;
}

export class PersistentPageMemory implements PageMemory {
  readonly pageSize: number;
  readonly frames: number;
  readonly #opts: PersistentPageMemoryOptions;
  readonly #store: PageStore;
  readonly #f: PageFrames;
  readonly #parts = new Map<number, PartitionPages>();
  #last: PartitionPages | null = null;
  /** Generations are unique across partitions, so a re-created partition never meets an older frame. */
  #nextGen = 1;
  #closed = false;
  #hits = 0;
  #misses = 0;
  #replacements = 0;
  #pagesRead = 0;
  readonly #evictable = (f: number): boolean => this.#canEvict(f);
  readonly #spillable = (f: number): boolean => (this.#f.state[f]! & ST_LOADED) !== 0 && this.#f.pins[f] === 0;
  /** Spill slots given back, and the next never-used one. */
  readonly #spills = new SpillSlots();
  /** Called (synchronously, once per crossing) when dirty pages reach 3/4 of the frames: time for a checkpoint. */
  onDirtyHigh: (() => void) | null = null;
  readonly #dirtyHigh: number;

  constructor(opts: PersistentPageMemoryOptions) {
    const { pageSize, sizeBytes } = opts;
    if (!Number.isInteger(pageSize) || pageSize < 1024 || pageSize > 16384 || (pageSize & (pageSize - 1)) !== 0) {
      throw new InvalidArgumentError(`page size must be a power of two in 1024..16384, got ${pageSize}`);
    }
    const frames = Math.floor(sizeBytes / pageSize);
    if (frames < 16) throw new InvalidArgumentError(`profile '${opts.name}': sizeBytes ${sizeBytes} holds fewer than 16 pages of ${pageSize} B`);
    this.#opts = opts;
    this.#store = opts.store;
    this.pageSize = pageSize;
    this.frames = frames;
    this.#f = new PageFrames(frames, pageSize, opts.replacementMode, opts.maxBufferBytes ?? 1024 * 1024 * 1024);
    this.#dirtyHigh = Math.floor((frames * 3) / 4);
  }

  get closed(): boolean {
    return this.#closed;
  }

  // ---------------------------------------------------------------- PageMemory

  allocatePage(groupId: number, partitionId: number, flags: number): number {
    this.#checkOpen();
    if (!Number.isInteger(groupId) || groupId < 0 || groupId > 0xffffffff || !Number.isInteger(partitionId) || partitionId < 0 ||
      partitionId > 0xffff || !Number.isInteger(flags) || flags < 0 || flags > 0xf) {
      throw new InvalidArgumentError(`allocatePage(groupId=${groupId}, partitionId=${partitionId}, flags=${flags}): ids out of range`);
    }
    const st = this.#partition(groupId, partitionId);
    let index: number;
    let frame: number;
    if (st.freeHead !== 0) {
      index = st.freeHead;
      const next = st.freed.get(index);
      if (next !== undefined) {
        frame = this.#newFrame(st, index);
        st.freed.delete(index);
        st.freeHead = next;
      } else {
        // Freed before the last checkpoint: its stored image holds the next index.
        frame = this.#load(st, index);
        st.freeHead = this.#f.dvOf(frame).getUint32(this.#f.off(frame) + COMMON_HEADER_END, true);
      }
    } else {
      index = st.pages === 0 ? 1 : st.pages;
      if (index > MAX_PAGE_INDEX) throw this.#outOfMemory(`partition ${partitionId} of group ${groupId} has used every page index`);
      frame = this.#newFrame(st, index);
      st.pages = index + 1;
    }
    const off = this.#f.off(frame);
    const u8 = this.#f.bufOf(frame);
    u8.fill(0, off, off + this.pageSize);
    const id = pageId(flags, partitionId, index);
    writePageId(this.#f.dvOf(frame), off + PAGE_ID_OFFSET, id);
    this.#markDirty(frame);
    st.changed = true;
    st.live++;
    return id;
  }

  freePage(groupId: number, pageId: number): void {
    this.#checkOpen();
    const st = this.#existing(groupId, pageId, 'free');
    const index = pageIndex(pageId);
    const frame = this.#load(st, index);
    this.#checkLive(frame, groupId, pageId, 'free');
    if (this.#f.pins[frame] !== 0) {
      throw new IllegalPageAccessError(`cannot free ${pageIdToString(pageId)} of group ${groupId}: it is pinned ${this.#f.pins[frame]} time(s); release it first`);
    }
    // The frame goes back at once; the checkpoint writes the freed page's image (type FREED, next index).
    this.#unbind(frame);
    this.#giveBack(frame);
    st.freed.set(index, st.freeHead);
    st.freeHead = index;
    st.changed = true;
    st.live--;
  }

  /**
   * Starts a new generation of the partition (constant time). With FLAG_DATA every page but the partition's meta
   * page (its first page, when that is a live FLAG_AUX page) goes — the only FLAG_AUX page a partition has; with any
   * other flags the whole partition goes.
   */
  dropPages(groupId: number, partitionId: number, flags: number): number {
    if (this.#closed) return 0;
    const st = this.#partition(groupId, partitionId);
    if (st.pages <= 1) return 0;
    const keepMeta = flags === FLAG_DATA && this.#isLiveAux(st, 1);
    const meta = keepMeta ? this.#load(st, 1) : -1;
    if (meta >= 0 && this.#f.pins[meta] !== 0) {
      // The meta page may stay pinned by nobody between calls; a pin here is a caller bug.
      throw new IllegalPageAccessError(`cannot drop the pages of group ${groupId}, partition ${partitionId}: its meta page is pinned`);
    }
    const dropped = keepMeta ? st.live - 1 : st.live;
    if (meta >= 0) this.#f.table.remove(meta);
    st.gen = this.#nextGen++;
    if (meta >= 0) {
      this.#f.gen[meta] = st.gen;
      this.#f.table.insert(meta);
    }
    st.pages = keepMeta ? 2 : 0;
    st.live = keepMeta ? 1 : 0;
    st.freeHead = 0;
    st.freed.clear();
    this.#spills.releaseAll(st);
    st.changed = true;
    return dropped;
  }

  /** True when the partition's first page (index 1) is a live FLAG_AUX page: its meta page, so it exists on its pages. */
  hasPartition(groupId: number, partitionId: number): boolean {
    this.#checkOpen();
    return this.#isLiveAux(this.#partition(groupId, partitionId), 1);
  }

  #isLiveAux(st: PartitionPages, index: number): boolean {
    if (index >= st.pages || st.freed.has(index)) return false;
    const frame = this.#load(st, index);
    const off = this.#f.off(frame);
    const dv = this.#f.dvOf(frame);
    return dv.getUint16(off + PAGE_TYPE_OFFSET, true) !== PAGE_TYPE_FREED && dv.getUint8(off + PAGE_ID_OFFSET + 6) === FLAG_AUX;
  }

  /** forgetPartition for every partition of a group this memory knows. */
  forgetGroup(groupId: number): void {
    for (const st of [...this.#parts.values()]) if (st.groupId === groupId) this.forgetPartition(groupId, st.partitionId);
  }

  /** Forgets a partition whose store is gone (a destroyed table): its frames lapse like a drop's. */
  forgetPartition(groupId: number, partitionId: number): void {
    const st = this.#parts.get(groupId * 0x10000 + partitionId);
    if (st === undefined) return;
    this.#spills.releaseAll(st);
    st.gen = this.#nextGen++;
    this.#parts.delete(groupId * 0x10000 + partitionId);
    if (this.#last === st) this.#last = null;
  }

  acquireRead(groupId: number, pageId: number, view: PageView): void {
    this.#acquire(groupId, pageId, view, false);
  }

  acquireWrite(groupId: number, pageId: number, view: PageView): void {
    this.#acquire(groupId, pageId, view, true);
  }

  release(view: PageView): void {
    const frame = view.slot;
    if (frame < 0) throw new IllegalPageAccessError('release of a view that holds no page');
    view.slot = -1;
    view.writable = false;
    if (this.#closed) return;
    if (view.buf !== this.#f.bufOf(frame)) {
      throw new IllegalPageAccessError(`release of ${pageIdToString(view.pageId)}: the view was not filled by this page memory`);
    }
    const pins = this.#f.pins[frame]!;
    if (pins === 0) throw new IllegalPageAccessError(`release of ${pageIdToString(view.pageId)}, which is not pinned`);
    this.#f.pins[frame] = pins - 1;
    if (pins === 1) this.#f.pinned--;
  }

  // ---------------------------------------------------------------- checkpoints

  /** Every partition changed since the last checkpoint, with its dirty frames in page-index order. */
  checkpointPlan(): PartitionCheckpoint[] {
    return planCheckpoint(this.#parts, this.#f);
  }

  readonly #freedImage = new Uint8Array(16384);

  /**
   * The image of entry `k` of a checkpoint plan's partition: a dirty frame's page, or a freed page's image (type
   * FREED, its id, the next index). Valid until the next call into this memory.
   */
  checkpointImage(cp: PartitionCheckpoint, k: number): { buf: Uint8Array; off: number } {
    const frame = cp.frames[k]!;
    if (frame >= 0) return { buf: this.#f.bufOf(frame), off: this.#f.off(frame) };
    const image = this.#freedImage;
    if (frame <= -2) {
      this.#store.spillRead!(-2 - frame, image, 0);
      return { buf: image, off: 0 };
    }
    image.fill(0, 0, this.pageSize);
    const dv = new DataView(image.buffer);
    dv.setUint16(PAGE_TYPE_OFFSET, PAGE_TYPE_FREED, true);
    writePageId(dv, PAGE_ID_OFFSET, pageId(FLAG_DATA, cp.partitionId, cp.indexes[k]!));
    dv.setUint32(COMMON_HEADER_END, cp.freedNext[k]!, true);
    return { buf: image, off: 0 };
  }

  /** The plan's pages are durable: they become clean (evictable), and the partitions unchanged. */
  checkpointDone(plan: readonly PartitionCheckpoint[]): void {
    for (const p of plan) {
      const st = this.#parts.get(p.groupId * 0x10000 + p.partitionId);
      if (st !== undefined) {
        st.changed = false;
        for (let k = 0; k < p.frames.length; k++) {
          const f = p.frames[k]!;
          if (f === -1) st.freed.delete(p.indexes[k]!);
          else if (f <= -2 && st.spilled.get(p.indexes[k]!) === -2 - f) this.#spills.release(st, p.indexes[k]!);
        }
      }
      for (const f of p.frames) {
        if (f >= 0 && (this.#f.state[f]! & ST_DIRTY) !== 0) {
          this.#f.state[f] = this.#f.state[f]! & ~ST_DIRTY;
          this.#f.dirty--;
        }
      }
    }
  }

  // ---------------------------------------------------------------- state

  /** Dirty pages: in frames, and spilled (evicted before a checkpoint wrote them). */
  get dirtyPages(): number {
    return this.#f.dirty + this.#spills.spilled;
  }

  get spilledPages(): number {
    return this.#spills.spilled;
  }

  get loadedPages(): number {
    return this.#f.loaded;
  }

  get pinnedPages(): number {
    return this.#f.pinned;
  }

  counters(): PersistentPageMemoryCounters {
    return { hits: this.#hits, misses: this.#misses, replacements: this.#replacements, pagesRead: this.#pagesRead, spillWrites: this.#spills.writes };
  }

  /** Pages handed out and not freed, over every partition this memory knows (see PartitionPages.live). */
  allocatedPages(): number {
    let n = 0;
    for (const st of this.#parts.values()) n += st.live;
    return n;
  }

  close(): void {
    this.#closed = true;
    this.#f.close();
  }

  /** Throws a plain Error on the first broken invariant (tests). */
  checkInvariants(): void {
    this.#f.checkInvariants((f) => {
      const st = this.#parts.get(this.#f.group[f]! * 0x10000 + this.#f.part[f]!);
      return st !== undefined && st.gen === this.#f.gen[f];
    });
  }

  // ---------------------------------------------------------------- internals

  #acquire(groupId: number, pageId: number, view: PageView, writable: boolean): void {
    if (view.slot >= 0) {
      throw new IllegalPageAccessError(`view already holds ${pageIdToString(view.pageId)}; release it before acquiring ${pageIdToString(pageId)}`);
    }
    this.#checkOpen();
    const st = this.#existing(groupId, pageId, 'acquire');
    const index = pageIndex(pageId);
    let frame = this.#f.find(groupId, st.partitionId, index, st.gen);
    if (frame >= 0) {
      this.#hits++;
      // Only a hit is a re-use: a page just loaded is on probation (SEGMENTED_LRU), so one-off scans stay there.
      this.#f.policy.touched(frame);
    } else frame = this.#load(st, index);
    this.#checkLive(frame, groupId, pageId, 'acquire');
    if (this.#f.pins[frame]++ === 0) this.#f.pinned++;
    if (writable) this.#markDirty(frame);
    view.groupId = groupId;
    view.pageId = pageId;
    view.buf = this.#f.bufOf(frame);
    view.dv = this.#f.dvOf(frame);
    view.off = this.#f.off(frame);
    view.slot = frame;
    view.writable = writable;
  }

  /** The partition state of a page id that can exist (index below the partition's page count). */
  #existing(groupId: number, pageId: number, what: string): PartitionPages {
    const partitionId = partitionIdOf(pageId);
    const st = this.#partition(groupId, partitionId);
    if (!(pageId >= 0) || pageIndex(pageId) === 0 || pageIndex(pageId) >= st.pages || (st.freed.size > 0 && st.freed.has(pageIndex(pageId)))) {
      throw new IllegalPageAccessError(`${what} of ${pageIdToString(pageId)} of group ${groupId}: no such page (never allocated, freed, or of a dropped partition)`);
    }
    return st;
  }

  /** The frame's page is the live page `pageId` (not freed, same flags). */
  #checkLive(frame: number, groupId: number, pageId: number, what: string): void {
    const off = this.#f.off(frame);
    const dv = this.#f.dvOf(frame);
    if (dv.getUint16(off + PAGE_TYPE_OFFSET, true) === PAGE_TYPE_FREED) {
      throw new IllegalPageAccessError(`${what} of ${pageIdToString(pageId)} of group ${groupId}: the page is freed`);
    }
    const stored = dv.getUint8(off + PAGE_ID_OFFSET + 6);
    if (stored !== flagsOf(pageId)) {
      throw new IllegalPageAccessError(`${what} of ${pageIdToString(pageId)} of group ${groupId}: the page has flags ${stored}`);
    }
  }

  #partition(groupId: number, partitionId: number): PartitionPages {
    const last = this.#last;
    if (last !== null && last.groupId === groupId && last.partitionId === partitionId) return last;
    const key = groupId * 0x10000 + partitionId;
    let st = this.#parts.get(key);
    if (st === undefined) {
      const stored = this.#store.partitionState(groupId, partitionId);
      st = { groupId, partitionId, gen: this.#nextGen++, pages: stored.pages, freeHead: stored.freeHead, changed: false, live: Math.max(0, stored.pages - 1), freed: new Map(), spilled: new Map() };
      this.#parts.set(key, st);
    }
    this.#last = st;
    return st;
  }

  /** The frame of page `index`, read from the store on a miss. */
  #load(st: PartitionPages, index: number): number {
    let frame = this.#f.find(st.groupId, st.partitionId, index, st.gen);
    if (frame >= 0) return frame;
    if (st.spilled.size > 0) {
      const slot = st.spilled.get(index);
      if (slot !== undefined) {
        frame = this.#takeFrame();
        this.#store.spillRead!(slot, this.#f.bufOf(frame), this.#f.off(frame));
        this.#spills.release(st, index);
        this.#bind(frame, st, index);
        this.#markDirty(frame);
        return frame;
      }
    }
    frame = this.#takeFrame();
    const off = this.#f.off(frame);
    let found: boolean;
    try {
      found = this.#store.readPage(st.groupId, st.partitionId, index, this.#f.bufOf(frame), off);
    } catch (e) {
      this.#giveBack(frame);
      throw e;
    }
    if (!found) {
      this.#giveBack(frame);
      throw new DataCorruptionError(
        `page ${index} of table ${st.groupId}, partition ${st.partitionId} is missing from its files (the partition has ${st.pages} pages); ` +
          'restore the work dir from a backup',
      );
    }
    this.#misses++;
    this.#pagesRead++;
    this.#bind(frame, st, index);
    return frame;
  }

  /** A frame bound to a new page `index` (content unspecified: the caller fills it). */
  #newFrame(st: PartitionPages, index: number): number {
    const frame = this.#takeFrame();
    this.#bind(frame, st, index);
    return frame;
  }

  #bind(frame: number, st: PartitionPages, index: number): void {
    this.#f.bind(frame, st.groupId, st.partitionId, index, st.gen);
  }

  /** A free frame: never used, given back, or one the replacement policy evicts. OutOfMemoryError if none. */
  #takeFrame(): number {
    const free = this.#f.takeFree();
    if (free >= 0) return free;
    let victim = this.#f.victim(this.#evictable);
    if (victim < 0 && this.#store.spillWrite !== undefined) {
      // Every unpinned page is dirty (a closure larger than the cache, or writes faster than checkpoints): one goes to
      // the spill area and comes back on its next use or with the next checkpoint.
      victim = this.#f.victim(this.#spillable);
      if (victim >= 0) this.#spill(victim);
    }
    if (victim < 0) {
      throw this.#outOfMemory(`all ${this.frames} pages of the page cache are pinned or dirty (${this.#f.dirty} dirty, waiting for a checkpoint)`);
    }
    this.#unbind(victim);
    this.#replacements++;
    return victim;
  }

  /** Writes the dirty frame's page to a spill slot (the caller then unbinds the frame). */
  #spill(frame: number): void {
    const st = this.#parts.get(this.#f.group[frame]! * 0x10000 + this.#f.part[frame]!)!;
    const slot = this.#spills.take(st, this.#f.index[frame]!);
    this.#store.spillWrite!(slot, this.#f.bufOf(frame), this.#f.off(frame));
  }

  #canEvict(f: number): boolean {
    const s = this.#f.state[f]!;
    if ((s & ST_LOADED) === 0 || this.#f.pins[f] !== 0) return false;
    if ((s & ST_DIRTY) === 0) return true;
    // A dirty page of a dropped generation is never written: it can go.
    const st = this.#parts.get(this.#f.group[f]! * 0x10000 + this.#f.part[f]!);
    return st === undefined || st.gen !== this.#f.gen[f];
  }

  #unbind(frame: number): void {
    this.#f.unbind(frame);
  }

  #giveBack(frame: number): void {
    this.#f.giveBack(frame);
  }

  #markDirty(frame: number): void {
    if (this.#f.markDirty(frame) && this.#f.dirty === this.#dirtyHigh) this.onDirtyHigh?.();
  }

  #checkOpen(): void {
    if (this.#closed) throw new StorageClosedError(`the page cache of profile '${this.#opts.name}' is closed`);
  }

  #outOfMemory(detail: string): OutOfMemoryError {
    return new OutOfMemoryError(this.#opts.name, this.#opts.sizeBytes, this.#opts.sizeBytes, detail);
  }
}
