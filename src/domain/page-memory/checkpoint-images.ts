/**
 * The page images of the running checkpoint of a persistent page memory (persistent-page-memory.ts), kept apart
 * from the pages writers go on changing — what lets a checkpoint write while closures run.
 *
 * At the snapshot every dirty frame of the plan gets ST_CP ("its page is the snapshot image, not yet taken") and
 * becomes clean, and spilled pages become copies; freed pages stay on their list until the commit. Then:
 * - a writer that changes or frees a CP page first copies it out (`copyOut`): into the checkpoint buffer (a pool of
 *   page slots of `capacityBytes`, DESIGN §3), or — when the buffer is full — into a spill slot of the store; the
 *   copy is the page's snapshot image from then on (`copies` of its partition);
 * - the replacement policy may evict a CP page the same way (copy out, then evict), and a page whose snapshot image
 *   was written to the checkpoint's files but not yet committed (ST_HOLD) too: until the commit, the store still
 *   answers with the previous checkpoint's image, so a miss is served from the copy (`copies`) first;
 * - the writer takes each image (`image`): from the frame while it still holds the page with ST_CP (then ST_HOLD),
 *   else from its copy; freed pages get their freed-page record, spilled pages their spill slot;
 * - `done` (the partition's files are committed) drops CP / HOLD and every copy; `failed` puts everything back as
 *   dirty (frames dirty again, copies and spilled pages into the spill area, freed pages back on the list), so the
 *   next checkpoint writes it all.
 * Single-threaded, no allocation on the page-access paths (copyOut allocates a slot's buffer chunk at most once).
 */
import { COMMON_HEADER_END, PAGE_ID_OFFSET, PAGE_TYPE_OFFSET } from '../page/page-header.layout';
import { FLAG_DATA, pageId, writePageId } from '../page/page-id';
import { PAGE_TYPE_FREED } from '../page/page-types';
import type { CheckpointPartition, PageStore } from '../ports/page-store.port';
import { ST_CP, ST_DIRTY, ST_HOLD, type PageFrames } from './page-frames';
import type { PartitionPages, SpillSlots } from './persistent-partitions';

const CHUNK_PAGES = 256;
export const GiB = 1024 * 1024 * 1024;

/** DESIGN §3's checkpoint buffer for a cache of `sizeBytes`: < 1 GiB → min(256 MiB, size); < 8 GiB → size / 4; else 2 GiB. */
export function checkpointBufferBytes(sizeBytes: number): number {
  return sizeBytes < GiB ? Math.min(256 * 1024 * 1024, sizeBytes) : sizeBytes < 8 * GiB ? Math.floor(sizeBytes / 4) : 2 * GiB;
}

/** The checkpoint buffer: page slots in chunks allocated on first use, up to `capacity` pages. */
class CheckpointBuffer {
  readonly #chunks: Uint8Array[] = [];
  readonly #free: number[] = [];
  #next = 0;
  used = 0;

  constructor(readonly pageSize: number, readonly capacity: number) {}

  /** A free slot, or −1 when the buffer is full. */
  take(): number {
    let slot: number;
    if (this.#free.length > 0) slot = this.#free.pop()!;
    else if (this.#next < this.capacity) slot = this.#next++;
    else return -1;
    const chunk = Math.floor(slot / CHUNK_PAGES);
    while (this.#chunks.length <= chunk) this.#chunks.push(new Uint8Array(CHUNK_PAGES * this.pageSize));
    this.used++;
    return slot;
  }

  buf(slot: number): Uint8Array {
    return this.#chunks[Math.floor(slot / CHUNK_PAGES)]!;
  }

  off(slot: number): number {
    return (slot % CHUNK_PAGES) * this.pageSize;
  }

  give(slot: number): void {
    this.#free.push(slot);
    this.used--;
  }
}

export interface CheckpointImagesCounters {
  /** Pages copied out because a writer changed or freed them during a checkpoint (buffer or spill). */
  readonly copiedPages: number;
  /** Of those, pages that went to the spill area because the checkpoint buffer was full. */
  readonly copiedToSpill: number;
  /** Copies given back as soon as the checkpoint wrote their image (a newer image of the page existed). */
  readonly releasedEarly: number;
  readonly bufferUsedPages: number;
  readonly bufferCapacityPages: number;
}

export class CheckpointImages {
  readonly #buffer: CheckpointBuffer;
  readonly #freedImage: Uint8Array;
  #copied = 0;
  #copiedToSpill = 0;
  /** Copies given back as soon as the checkpoint took their image (#releaseWritten). */
  #released = 0;
  /** Pending images over every partition (kept counted: write throttling reads the dirty pages per decision). */
  #pending = 0;

  constructor(
    private readonly f: PageFrames,
    private readonly store: PageStore,
    private readonly spills: SpillSlots,
    private readonly partitionOf: (frame: number) => PartitionPages | undefined,
    capacityBytes: number,
    /** The memory's dirty marking (which also signals dirty pages reaching 3/4 of the cache). */
    private readonly markDirty: (frame: number) => void,
  ) {
    this.#buffer = new CheckpointBuffer(f.pageSize, Math.max(1, Math.floor(capacityBytes / f.pageSize)));
    this.#freedImage = new Uint8Array(f.pageSize);
  }

  counters(): CheckpointImagesCounters {
    return {
      copiedPages: this.#copied, copiedToSpill: this.#copiedToSpill, releasedEarly: this.#released,
      bufferUsedPages: this.#buffer.used, bufferCapacityPages: this.#buffer.capacity,
    };
  }

  /** Pages whose newest image only a failed checkpoint's copy holds (dirty: the next checkpoint writes them). */
  get pendingPages(): number {
    return this.#pending;
  }

  /** The buffer is past 2/3 of its capacity (checkpoint-buffer protection: BUFFER_DANGER_FILL). */
  bufferInDanger(): boolean {
    return this.#buffer.used * 3 > this.#buffer.capacity * 2;
  }

  /** The snapshot: the plan's dirty frames become CP and clean; its spilled pages and freed pages leave their lists. */
  begin(plan: readonly CheckpointPartition[], partition: (groupId: number, partitionId: number) => PartitionPages | undefined): void {
    const f = this.f;
    for (const cp of plan) {
      const st = partition(cp.groupId, cp.partitionId)!;
      for (let k = 0; k < cp.frames.length; k++) {
        const frame = cp.frames[k]!;
        const index = cp.indexes[k]!;
        if (frame >= 0) {
          f.markClean(frame);
          f.state[frame] = f.state[frame]! | ST_CP;
        } else if (frame <= -2) {
          // A spilled page's slot, or a pending image (left by a failed checkpoint): the checkpoint's copy now.
          const pending = st.pending.get(index);
          if (pending !== undefined) {
            st.pending.delete(index);
            this.#pending--;
            st.copies.set(index, pending);
          } else st.copies.set(index, -2 - this.spills.detach(st, index));
        }
      }
      st.changed = false;
    }
  }

  /**
   * Copies the snapshot image out of a CP or HOLD frame before a writer changes it or the cache evicts it; false when
   * neither the buffer nor a spill slot can take it (the caller then leaves the frame alone).
   */
  copyOut(frame: number): boolean {
    const f = this.f;
    const st = this.partitionOf(frame);
    if (st === undefined) {
      f.state[frame] = f.state[frame]! & ~(ST_CP | ST_HOLD); // a dropped generation: nothing to keep
      return true;
    }
    let ref: number;
    const slot = this.#buffer.take();
    if (slot >= 0) {
      this.#buffer.buf(slot).set(f.bufOf(frame).subarray(f.off(frame), f.off(frame) + f.pageSize), this.#buffer.off(slot));
      ref = slot;
    } else if (this.store.spillWrite !== undefined) {
      const spill = this.spills.takeDetached();
      this.store.spillWrite(spill, f.bufOf(frame), f.off(frame));
      ref = -2 - spill;
      this.#copiedToSpill++;
    } else return false;
    st.copies.set(f.index[frame]!, ref);
    f.state[frame] = f.state[frame]! & ~(ST_CP | ST_HOLD);
    this.#copied++;
    return true;
  }

  /** Loads the snapshot copy of page `index` into `dst[off..]`; false when it has none. */
  readCopy(st: PartitionPages, index: number, dst: Uint8Array, off: number): boolean {
    const ref = st.copies.get(index);
    if (ref === undefined) return false;
    this.#read(ref, dst, off);
    return true;
  }

  /** The image of entry k of a partition's plan (valid until the next call). */
  image(cp: CheckpointPartition, k: number, st: PartitionPages): { buf: Uint8Array; off: number } {
    const f = this.f;
    const frame = cp.frames[k]!;
    const index = cp.indexes[k]!;
    const out = this.#freedImage;
    if (frame >= 0) {
      const ref = st.copies.get(index);
      if (ref !== undefined) {
        this.#read(ref, out, 0);
        this.#releaseWritten(st, index, ref);
        return { buf: out, off: 0 };
      }
      // No copy: the frame still holds the snapshot image (CP); it is HOLD once written.
      f.state[frame] = (f.state[frame]! & ~ST_CP) | ST_HOLD;
      return { buf: f.bufOf(frame), off: f.off(frame) };
    }
    if (frame <= -2) {
      const ref = st.copies.get(index) ?? frame;
      this.#read(ref, out, 0);
      this.#releaseWritten(st, index, ref);
      return { buf: out, off: 0 };
    }
    out.fill(0);
    const dv = new DataView(out.buffer, out.byteOffset);
    dv.setUint16(PAGE_TYPE_OFFSET, PAGE_TYPE_FREED, true);
    writePageId(dv, PAGE_ID_OFFSET, pageId(FLAG_DATA, cp.partitionId, index));
    dv.setUint32(COMMON_HEADER_END, cp.freedNext[k]!, true);
    return { buf: out, off: 0 };
  }

  /**
   * The partition's checkpoint is committed: CP / HOLD go, copies and the plan's spill slots are given back, and the
   * freed pages it wrote leave the list (unless freed again differently since).
   */
  done(cp: CheckpointPartition, st: PartitionPages | undefined): void {
    if (st !== undefined) {
      for (let k = 0; k < cp.frames.length; k++) {
        if (cp.frames[k] === -1 && st.freed.get(cp.indexes[k]!) === cp.freedNext[k]) st.freed.delete(cp.indexes[k]!);
      }
    }
    this.#release(cp, st, false);
  }

  /**
   * The partition's checkpoint failed: what it took is dirty again for the next one — the page's frame (whichever
   * holds it now) dirty, or, when only the checkpoint's copy holds its newest image, that copy kept as a pending
   * image (read back on a miss, written by the next checkpoint). No I/O, so it cannot fail itself.
   */
  failed(cp: CheckpointPartition, st: PartitionPages | undefined): void {
    this.#release(cp, st, st !== undefined);
    if (st !== undefined) st.changed = true;
  }

  #release(cp: CheckpointPartition, st: PartitionPages | undefined, redirty: boolean): void {
    const f = this.f;
    for (let k = 0; k < cp.frames.length; k++) {
      const frame = cp.frames[k]!;
      const index = cp.indexes[k]!;
      if (frame >= 0 && st !== undefined && this.#holds(frame, st, index)) f.state[frame] = f.state[frame]! & ~(ST_CP | ST_HOLD);
      const ref = st?.copies.get(index);
      if (ref !== undefined) st!.copies.delete(index);
      if (!redirty || frame === -1) {
        if (ref !== undefined) this.#give(ref);
        continue;
      }
      const current = f.find(st!.groupId, st!.partitionId, index, st!.gen);
      if (current >= 0) {
        f.state[current] = f.state[current]! & ~(ST_CP | ST_HOLD);
        this.markDirty(current);
      }
      if (ref === undefined) continue;
      if (current >= 0 || st!.spilled.has(index) || st!.freed.has(index)) this.#give(ref); // a newer image exists, or the page is free
      else {
        if (!st!.pending.has(index)) this.#pending++;
        st!.pending.set(index, ref);
      }
    }
  }

  /**
   * A copy whose image the checkpoint has just taken is given back at once when a newer image of the page exists (its
   * frame, dirty since; a spill slot; or the page was freed): nothing can ask for that copy again — a miss loads the
   * newer image, and a failed checkpoint keeps the newer one (see #release). So the checkpoint buffer drains while
   * the checkpoint writes, not only at each partition's commit. A copy that is the page's only image (a clean page
   * evicted after its copy) stays until the commit: a miss is served from it.
   */
  #releaseWritten(st: PartitionPages, index: number, ref: number): void {
    const f = this.f;
    const frame = f.find(st.groupId, st.partitionId, index, st.gen);
    // A clean frame is not newer: it was loaded from this copy, and once evicted a miss needs the copy again.
    const newer = (frame >= 0 && (f.state[frame]! & ST_DIRTY) !== 0) || st.spilled.has(index) || st.freed.has(index);
    if (!newer || st.copies.get(index) !== ref) return;
    st.copies.delete(index);
    this.#give(ref);
    this.#released++;
  }

  /** Gives back a pending image: its page was loaded (and is dirty in its frame now) or its partition dropped. */
  releasePending(st: PartitionPages, index: number): void {
    const ref = st.pending.get(index);
    if (ref === undefined) return;
    st.pending.delete(index);
    this.#pending--;
    this.#give(ref);
  }

  /** Loads the pending image of page `index` into `dst[off..]`; false when it has none. */
  readPending(st: PartitionPages, index: number, dst: Uint8Array, off: number): boolean {
    const ref = st.pending.get(index);
    if (ref === undefined) return false;
    this.#read(ref, dst, off);
    return true;
  }

  #holds(frame: number, st: PartitionPages, index: number): boolean {
    const f = this.f;
    return f.isLoaded(frame) && f.index[frame] === index && f.part[frame] === st.partitionId && f.group[frame] === st.groupId && f.gen[frame] === st.gen;
  }

  #give(ref: number): void {
    if (ref >= 0) this.#buffer.give(ref);
    else this.spills.giveDetached(-2 - ref);
  }

  /** Gives back every copy and pending image of a dropped or forgotten partition. */
  dropCopies(st: PartitionPages): void {
    for (const ref of st.copies.values()) this.#give(ref);
    for (const ref of st.pending.values()) this.#give(ref);
    this.#pending -= st.pending.size;
    st.copies.clear();
    st.pending.clear();
  }

  #read(ref: number, dst: Uint8Array, off: number): void {
    if (ref >= 0) dst.set(this.#buffer.buf(ref).subarray(this.#buffer.off(ref), this.#buffer.off(ref) + this.f.pageSize), off);
    else this.store.spillRead!(-2 - ref, dst, off);
  }
}
