/**
 * The persistent page memory (aipersist): a page cache of `sizeBytes` over each partition's durable store (the
 * PageStore port), implementing the PageMemory port unchanged for its callers. Frames and their metadata:
 * page-frames.ts; partition states, checkpoint plan, spill slots: persistent-partitions.ts.
 *
 * - Page ids: `pageId(flags, partition, index)`; index (from 1; 0 is "no page" in partition links) is the page's
 *   place in its partition's store, and index 1 — the first page the engine allocates — is the meta page a reopen
 *   starts from. Ids are file positions: a freed or dropped id is refused until its index is handed out again. New
 *   indexes come from the partition's page count; freed pages form a chain through the pages (type FREED, next index
 *   after the common header), reused first. Both are the store's partition state, written with every checkpoint.
 * - A miss reads the page through the store (CRC-checked there). Replacement (page-replacement.ts, the profile's
 *   `replacementMode`) gives up clean pages first; when every unpinned page is dirty (a closure larger than the
 *   cache, writes faster than checkpoints) one goes to the store's spill area (a scratch file, not durable state)
 *   and comes back on use or with the next checkpoint. Only when every frame is pinned (or the store has no spill
 *   area) does a call throw OutOfMemoryError naming the profile and its size, having changed nothing.
 * - A generation per partition: `dropPages` (clear, destroy) starts a new one in constant time; older frames are
 *   never found, never written, and are reclaimed by replacement.
 * - Checkpoints: `checkpointPlan()` (between closures) snapshots each changed partition's state and pages; the
 *   checkpointer takes each page's snapshot image with `checkpointImage` while writers go on (copy-on-write:
 *   checkpoint-images.ts) and ends each partition with `checkpointDone` or `checkpointFailed`.
 * Single-threaded; not reentrant.
 */
import { FLAG_AUX, FLAG_DATA, MAX_PAGE_INDEX, pageId, pageIdToString, partitionIdOf, writePageId } from '../page/page-id';
import { COMMON_HEADER_END, PAGE_ID_OFFSET, PAGE_TYPE_OFFSET } from '../page/page-header.layout';
import { PAGE_TYPE_FREED } from '../page/page-types';
import type { CheckpointPartition as PartitionCheckpoint, PageStore } from '../ports/page-store.port';
import { DataCorruptionError, IllegalPageAccessError, InvalidArgumentError, OutOfMemoryError, StorageClosedError } from '../shared/errors';
import type { PageMemory, PageView } from './page-memory.port';
import { PageFrames, ST_CP, ST_DIRTY, ST_HOLD, ST_LOADED } from './page-frames';
import { checkAllocation, pageIndexOf, partitionKey, planCheckpoint, SpillSlots, type PartitionPages, type PersistentPageMemoryCounters } from './persistent-partitions';
export type { PersistentPageMemoryCounters } from './persistent-partitions';
import { CheckpointImages, checkpointBufferBytes, type CheckpointImagesCounters } from './checkpoint-images';
import { CLEAN_SCAN_STEPS, type ReplacementMode } from './page-replacement';
import { badRelease, checkLive, noSuchPage, viewHeld } from './page-access-errors';

export interface PersistentPageMemoryOptions {
  /** The storage profile (named by errors). */
  readonly name: string;
  readonly pageSize: number;
  /** Cache size: frames = floor(sizeBytes / pageSize). */
  readonly sizeBytes: number;
  readonly replacementMode: ReplacementMode;
  readonly store: PageStore;
  /** Largest single frame buffer (default 16 MiB: the cache grows by such buffers as it fills). */
  readonly maxBufferBytes?: number;
  /** Checkpoint buffer for copy-on-write images (default as DESIGN §3: < 1 GiB → min(256 MiB, size); < 8 GiB → size/4; else 2 GiB). */
  readonly checkpointBufferBytes?: number;
}

export class PersistentPageMemory implements PageMemory {
  readonly pageSize: number;
  readonly frames: number;
  readonly #opts: PersistentPageMemoryOptions;
  readonly #f: PageFrames;
  readonly #parts = new Map<number, PartitionPages>();
  #last: PartitionPages | null = null;
  /** Generations are unique across partitions, so a re-created partition never meets an older frame. */
  #nextGen = 1;
  #closed = false;
  /** A generation was dropped (clear, destroy, forget): frames of it may still be loaded, dirty or not. */
  #dropped = false;
  #hits = 0;
  #misses = 0;
  #replacements = 0;
  #pagesRead = 0;
  /** Clean → dirty transitions since open (write throttling measures its mark-dirty speed from it). */
  #marked = 0;
  readonly #evictable = (f: number): boolean => this.#canEvict(f);
  readonly #spillable = (f: number): boolean => (this.#f.state[f]! & ST_LOADED) !== 0 && this.#f.pins[f] === 0;
  readonly #spillableOutsideCheckpoint = (f: number): boolean => this.#spillable(f) && (this.#f.state[f]! & (ST_CP | ST_HOLD)) === 0; // no buffer slot needed
  readonly #spills = new SpillSlots();
  readonly #images: CheckpointImages;
  /** Called (synchronously, once per crossing) when dirty pages reach 3/4 of the frames: time for a checkpoint. */
  onDirtyHigh: (() => void) | null = null;
  /** Called once, at the first page the cache evicts to make room: the data no longer fits the cache. */
  onReplacementStarted: (() => void) | null = null;
  readonly #dirtyHigh: number;

  constructor(opts: PersistentPageMemoryOptions) {
    const { pageSize, sizeBytes } = opts;
    if (!Number.isInteger(pageSize) || pageSize < 1024 || pageSize > 16384 || (pageSize & (pageSize - 1)) !== 0) {
      throw new InvalidArgumentError(`page size must be a power of two in 1024..16384, got ${pageSize}`);
    }
    const frames = Math.floor(sizeBytes / pageSize);
    if (frames < 16) throw new InvalidArgumentError(`profile '${opts.name}': sizeBytes ${sizeBytes} holds fewer than 16 pages of ${pageSize} B`);
    this.#opts = opts;
    this.pageSize = pageSize;
    this.frames = frames;
    this.#f = new PageFrames(frames, pageSize, opts.replacementMode, opts.maxBufferBytes ?? 16 * 1024 * 1024);
    this.#images = new CheckpointImages(this.#f, opts.store, this.#spills, (frame) => this.#currentOf(frame),
      opts.checkpointBufferBytes ?? checkpointBufferBytes(sizeBytes), (frame) => this.#markDirty(frame));
    this.#dirtyHigh = Math.floor((frames * 3) / 4);
  }

  get closed(): boolean { return this.#closed; }

  allocatePage(groupId: number, partitionId: number, flags: number): number {
    this.#checkOpen();
    checkAllocation(groupId, partitionId, flags);
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
        const dv = this.#f.dvOf(frame);
        const next = dv.getUint32(this.#f.off(frame) + COMMON_HEADER_END, true);
        if (dv.getUint16(this.#f.off(frame) + PAGE_TYPE_OFFSET, true) !== PAGE_TYPE_FREED || next >= st.pages) {
          throw new DataCorruptionError(`page ${index} of table ${groupId}, partition ${partitionId} heads the freed-page chain but is not a freed page; restore the work dir from a backup`);
        }
        st.freeHead = next;
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
    const index = pageIndexOf(pageId);
    const frame = this.#load(st, index);
    this.#checkLive(frame, groupId, pageId, 'free');
    if (this.#f.pins[frame] !== 0) {
      throw new IllegalPageAccessError(`cannot free ${pageIdToString(pageId)} of group ${groupId}: it is pinned ${this.#f.pins[frame]} time(s); release it first`);
    }
    if ((this.#f.state[frame]! & (ST_CP | ST_HOLD)) !== 0) this.#keepSnapshot(frame);
    // The frame goes back at once; the checkpoint writes the freed page's image (type FREED, next index).
    this.#f.unbind(frame);
    this.#f.giveBack(frame);
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
    st.gen = this.#nextGen++;
    this.#dropped = true;
    if (meta >= 0) {
      this.#f.regen(meta, st.gen);
      // No longer the snapshot's page (that partition generation is void): an ordinary changed page.
      this.#f.state[meta] = this.#f.state[meta]! & ~(ST_CP | ST_HOLD);
      this.#markDirty(meta);
    }
    st.pages = keepMeta ? 2 : 0;
    st.live = keepMeta ? 1 : 0;
    st.freeHead = 0;
    st.freed.clear();
    this.#spills.releaseAll(st);
    this.#images.dropCopies(st);
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
    const key = partitionKey(groupId, partitionId);
    const st = this.#parts.get(key);
    if (st === undefined) return;
    this.#spills.releaseAll(st);
    this.#images.dropCopies(st);
    st.gen = this.#nextGen++;
    this.#dropped = true;
    this.#parts.delete(key);
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
    if (view.buf !== this.#f.bufOf(frame)) throw badRelease(view.pageId, true);
    const pins = this.#f.pins[frame]!;
    if (pins === 0) throw badRelease(view.pageId, false);
    this.#f.pins[frame] = pins - 1;
    if (pins === 1) this.#f.pinned--;
  }

  /**
   * The snapshot of a checkpoint (call it between closures): every changed partition with the pages to write, by
   * index (persistent-partitions.ts). From now on their images are kept apart from later changes
   * (checkpoint-images.ts) until `checkpointDone` or `checkpointFailed` of each partition.
   */
  checkpointPlan(): PartitionCheckpoint[] {
    const plan = planCheckpoint(this.#parts, this.#f);
    this.#images.begin(plan, (g, p) => this.#parts.get(partitionKey(g, p)));
    return plan;
  }

  /** True while the plan's partition is still the one planned (not cleared, destroyed or forgotten since). */
  checkpointCurrent(cp: PartitionCheckpoint): boolean {
    return this.#planned(cp) !== undefined;
  }

  /** The snapshot image of entry `k` of a current plan partition (valid until the next call into this memory). */
  checkpointImage(cp: PartitionCheckpoint, k: number): { buf: Uint8Array; off: number } {
    return this.#images.image(cp, k, this.#planned(cp)!);
  }

  /** The partitions' checkpoints are committed: their snapshot pages are durable (clean, evictable). */
  checkpointDone(plan: readonly PartitionCheckpoint[]): void {
    for (const cp of plan) this.#images.done(cp, this.#planned(cp));
  }

  /** The partitions' checkpoints failed: what they took is dirty again, for the next checkpoint. */
  checkpointFailed(plan: readonly PartitionCheckpoint[]): void {
    for (const cp of plan) this.#images.failed(cp, this.#planned(cp));
  }

  /** Snapshot copies the plan's partition holds now (in the checkpoint buffer or spilled): what its commit frees. */
  checkpointCopies(cp: PartitionCheckpoint): number {
    return this.#planned(cp)?.copies.size ?? 0;
  }

  /** Copy-on-write counters and the checkpoint buffer's use. */
  checkpointImages(): CheckpointImagesCounters {
    return this.#images.counters();
  }

  /** Dirty pages: in frames, spilled (evicted before a checkpoint wrote them) and pending (a failed checkpoint's). */
  get dirtyPages(): number { return this.#f.dirty + this.#spills.spilled + this.#images.pendingPages; }
  get spilledPages(): number { return this.#spills.spilled; }
  /** Pages that went from clean to dirty since open (a counter: write throttling derives the mark-dirty speed). */
  get markedDirtyPages(): number { return this.#marked; }
  get loadedPages(): number { return this.#f.loaded; }
  get pinnedPages(): number { return this.#f.pinned; }

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
    this.#f.checkInvariants((f) => this.#currentOf(f) !== undefined);
    let pending = 0;
    for (const st of this.#parts.values()) pending += st.pending.size;
    if (pending !== this.#images.pendingPages) throw new Error(`pending pages counted ${this.#images.pendingPages}, partitions hold ${pending}`);
  }

  #acquire(groupId: number, pageId: number, view: PageView, writable: boolean): void {
    if (view.slot >= 0) throw viewHeld(view.pageId, pageId);
    this.#checkOpen();
    const st = this.#existing(groupId, pageId, 'acquire');
    const index = pageIndexOf(pageId);
    let frame = this.#f.find(groupId, st.partitionId, index, st.gen);
    if (frame >= 0) {
      this.#hits++;
      // Only a hit is a re-use: a page just loaded is on probation (SEGMENTED_LRU), so one-off scans stay there.
      this.#f.policy.touched(frame);
    } else frame = this.#load(st, index);
    this.#checkLive(frame, groupId, pageId, 'acquire');
    if (writable && (this.#f.state[frame]! & (ST_CP | ST_HOLD)) !== 0) this.#keepSnapshot(frame);
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
    const st = this.#partition(groupId, partitionIdOf(pageId));
    const index = pageIndexOf(pageId); // pageIndex(pageId) when pageId ≥ 0, checked first
    if (!(pageId >= 0) || index === 0 || index >= st.pages || (st.freed.size > 0 && st.freed.has(index))) throw noSuchPage(what, groupId, pageId);
    return st;
  }

  #checkLive(frame: number, groupId: number, pageId: number, what: string): void {
    checkLive(this.#f.dvOf(frame), this.#f.off(frame), groupId, pageId, what);
  }

  #partition(groupId: number, partitionId: number): PartitionPages {
    const last = this.#last;
    if (last !== null && last.groupId === groupId && last.partitionId === partitionId) return last;
    const key = partitionKey(groupId, partitionId);
    let st = this.#parts.get(key);
    if (st === undefined) {
      const stored = this.#opts.store.partitionState(groupId, partitionId);
      st = { groupId, partitionId, gen: this.#nextGen++, pages: stored.pages, freeHead: stored.freeHead, changed: false, live: Math.max(0, stored.pages - 1), freed: new Map(), spilled: new Map(), copies: new Map(), pending: new Map() };
      this.#parts.set(key, st);
    }
    this.#last = st;
    return st;
  }

  /** The frame of page `index`, read from the store on a miss. */
  #load(st: PartitionPages, index: number): number {
    let frame = this.#f.find(st.groupId, st.partitionId, index, st.gen);
    if (frame >= 0) return frame;
    // Where the newest image is: spilled (dirty), pending (left by a failed checkpoint: dirty), the running
    // checkpoint's copy (the snapshot, not committed yet), else the store.
    const spilled = st.spilled.size > 0 ? st.spilled.get(index) : undefined;
    const pending = spilled === undefined && st.pending.size > 0 && st.pending.has(index);
    if (spilled !== undefined || pending || (st.copies.size > 0 && st.copies.has(index))) {
      frame = this.#takeFrame();
      try {
        if (spilled !== undefined) this.#opts.store.spillRead!(spilled, this.#f.bufOf(frame), this.#f.off(frame));
        else if (pending) this.#images.readPending(st, index, this.#f.bufOf(frame), this.#f.off(frame));
        else this.#images.readCopy(st, index, this.#f.bufOf(frame), this.#f.off(frame));
      } catch (e) {
        this.#f.giveBack(frame);
        throw e;
      }
      this.#f.bind(frame, st.groupId, st.partitionId, index, st.gen);
      if (spilled !== undefined) this.#spills.release(st, index);
      else if (pending) this.#images.releasePending(st, index);
      if (spilled !== undefined || pending) this.#markDirty(frame);
      return frame;
    }
    frame = this.#takeFrame();
    const off = this.#f.off(frame);
    let found: boolean;
    try {
      found = this.#opts.store.readPage(st.groupId, st.partitionId, index, this.#f.bufOf(frame), off);
    } catch (e) {
      this.#f.giveBack(frame);
      throw e;
    }
    if (!found) {
      this.#f.giveBack(frame);
      throw new DataCorruptionError(
        `page ${index} of table ${st.groupId}, partition ${st.partitionId} is missing from its files (the partition has ${st.pages} pages); ` +
          'restore the work dir from a backup',
      );
    }
    this.#misses++;
    this.#pagesRead++;
    this.#f.bind(frame, st.groupId, st.partitionId, index, st.gen);
    return frame;
  }

  /** A frame bound to a new page `index` (content unspecified: the caller fills it). */
  #newFrame(st: PartitionPages, index: number): number {
    const frame = this.#takeFrame();
    this.#f.bind(frame, st.groupId, st.partitionId, index, st.gen);
    return frame;
  }

  /** A free frame: never used, given back, or one the replacement policy evicts. OutOfMemoryError if none. */
  #takeFrame(): number {
    const free = this.#f.takeFree();
    if (free >= 0) return free;
    // Bounded (CLEAN_SCAN_STEPS) while a dirty page can be spilled instead; without a spill area, complete.
    const spillable = this.#opts.store.spillWrite !== undefined;
    let victim = this.#f.victim(this.#evictable, spillable ? CLEAN_SCAN_STEPS : Infinity);
    if (victim < 0 && spillable) {
      // (Nearly) every unpinned page is dirty (a closure larger than the cache, writes faster than checkpoints): one
      // goes to the spill area and comes back on use or with the next checkpoint. While the checkpoint buffer is past
      // 2/3 a dirty page goes before a checkpoint page is copied into it: the rest is for writers' copy-on-write.
      if (this.#images.bufferInDanger()) victim = this.#f.victim(this.#spillableOutsideCheckpoint);
      if (victim < 0) victim = this.#f.victim(this.#spillable);
      if (victim >= 0 && (this.#f.state[victim]! & (ST_CP | ST_HOLD)) !== 0) {
        if (!this.#images.copyOut(victim)) victim = -1; // its snapshot image stays readable from the copy
      } else if (victim >= 0) this.#spill(victim);
    }
    if (victim < 0) {
      throw this.#outOfMemory(`all ${this.frames} pages of the page cache are pinned or dirty (${this.#f.dirty} dirty, waiting for a checkpoint)`);
    }
    this.#f.unbind(victim);
    // The event goes out after the call that evicted (its subscribers may use this memory).
    if (this.#replacements++ === 0 && this.onReplacementStarted !== null) queueMicrotask(this.onReplacementStarted);
    return victim;
  }

  /** A writer is about to change or free a snapshot page: its snapshot image must stay for the checkpoint. */
  #keepSnapshot(frame: number): void {
    if ((this.#f.state[frame]! & ST_CP) === 0) {
      this.#f.state[frame] = this.#f.state[frame]! & ~ST_HOLD; // written already: the files have its image
      return;
    }
    if (!this.#images.copyOut(frame)) {
      throw this.#outOfMemory('the checkpoint buffer is full and there is no spill area for the page a checkpoint is writing');
    }
  }

  /** The partition state a plan entry was made from, while it is still that generation. */
  #planned(cp: PartitionCheckpoint): PartitionPages | undefined {
    const st = this.#parts.get(partitionKey(cp.groupId, cp.partitionId));
    return st !== undefined && st.gen === cp.gen ? st : undefined;
  }

  /** The partition state of the frame's page when it is of the live generation. */
  #currentOf(frame: number): PartitionPages | undefined {
    const st = this.#parts.get(partitionKey(this.#f.group[frame]!, this.#f.part[frame]!));
    return st !== undefined && st.gen === this.#f.gen[frame] ? st : undefined;
  }

  /** Writes the dirty frame's page to a spill slot (the caller then unbinds the frame). */
  #spill(frame: number): void {
    const st = this.#currentOf(frame)!; // a dirty frame of a dropped generation is evicted, never spilled
    const slot = this.#spills.takeDetached();
    try {
      this.#opts.store.spillWrite!(slot, this.#f.bufOf(frame), this.#f.off(frame));
    } catch (e) {
      this.#spills.giveDetached(slot); // nothing recorded: the page stays in its frame, dirty
      throw e;
    }
    this.#spills.record(st, this.#f.index[frame]!, slot);
  }

  #canEvict(f: number): boolean {
    const s = this.#f.state[f]!;
    if ((s & ST_LOADED) === 0 || this.#f.pins[f] !== 0) return false;
    if ((s & (ST_DIRTY | ST_CP | ST_HOLD)) === 0) return true;
    // A dirty or snapshot page of a dropped generation is never written: it can go. Only after a drop can there be
    // one — until then the sweep past dirty frames (most of them, under overload) costs no map lookup.
    return this.#dropped && this.#currentOf(f) === undefined;
  }

  #markDirty(frame: number): void {
    if (!this.#f.markDirty(frame)) return;
    this.#marked++;
    if (this.#f.dirty === this.#dirtyHigh) this.onDirtyHigh?.();
  }

  #checkOpen(): void { if (this.#closed) throw new StorageClosedError(`the page cache of profile '${this.#opts.name}' is closed`); }

  #outOfMemory(detail: string): OutOfMemoryError { return new OutOfMemoryError(this.#opts.name, this.#opts.sizeBytes, this.#opts.sizeBytes, detail); }
}
