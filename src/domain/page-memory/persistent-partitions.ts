/**
 * The partition states of the persistent page memory (persistent-page-memory.ts) and its checkpoint plan: which
 * pages of which partitions a checkpoint writes.
 */
import type { CheckpointPartition } from '../ports/page-store.port';
import { InvalidArgumentError } from '../shared/errors';
import { ST_DIRTY, type PageFrames } from './page-frames';

export interface PersistentPageMemoryCounters {
  readonly hits: number;
  readonly misses: number;
  readonly replacements: number;
  readonly pagesRead: number;
  readonly spillWrites: number;
}

/** The key of (group, partition) in a memory's partition states (exact: group < 2^32, partition < 2^16). */
export function partitionKey(groupId: number, partitionId: number): number {
  return groupId * 0x10000 + partitionId;
}

/**
 * `pageIndex(id)` for an id ≥ 0 (page-id.ts), without its `%`: V8 computes a remainder of doubles with a call to
 * fmod, a visible cost on every page acquire; floor, multiply and subtract are exact here (id < 2^53).
 */
export function pageIndexOf(id: number): number {
  return id - Math.floor(id / 0x1_0000_0000) * 0x1_0000_0000;
}

/** allocatePage's ids: group u32, partition u16, flags 0..15 (InvalidArgumentError otherwise). */
export function checkAllocation(groupId: number, partitionId: number, flags: number): void {
  if (!Number.isInteger(groupId) || groupId < 0 || groupId > 0xffffffff || !Number.isInteger(partitionId) || partitionId < 0 ||
    partitionId > 0xffff || !Number.isInteger(flags) || flags < 0 || flags > 0xf) {
    throw new InvalidArgumentError(`allocatePage(groupId=${groupId}, partitionId=${partitionId}, flags=${flags}): ids out of range`);
  }
}

/** One partition's page-index state in this memory. */
export interface PartitionPages {
  readonly groupId: number;
  readonly partitionId: number;
  gen: number;
  pages: number;
  freeHead: number;
  /**
   * Pages handed out and not freed: exact for what happens in this process; a reopened partition starts at its page
   * count − 1 (index 0 is never used), counting pages freed before the reopen as live (the chain is not walked).
   */
  live: number;
  /** Dirty pages evicted to the store's spill area: index → spill slot (they go into the next checkpoint from there). */
  readonly spilled: Map<number, number>;
  /** Snapshot images of the running checkpoint kept apart from their frames: index → buffer slot, or −2 − spill slot. */
  readonly copies: Map<number, number>;
  /** Newest images a failed checkpoint left only in a copy (same encoding): read back on a miss, in the next plan. */
  readonly pending: Map<number, number>;
  /** Pages freed since the last checkpoint: index → next index of the chain (their frames are given back at once). */
  readonly freed: Map<number, number>;
  /** Changed since the last checkpoint (pages handed out or freed, dropped). */
  changed: boolean;
}

/**
 * Every partition changed since the last checkpoint with the pages to write, by page index: dirty frames of its live
 * generation (frame ≥ 0), pages freed since (frame −1, next index in freedNext), spilled pages (frame −2 − slot).
 * Dirty frames of a dropped generation are made clean: they are never written.
 */
export function planCheckpoint(parts: ReadonlyMap<number, PartitionPages>, f: PageFrames): CheckpointPartition[] {
  const byPart = new Map<PartitionPages, number[]>();
  for (const st of parts.values()) if (st.changed || st.spilled.size > 0 || st.pending.size > 0) byPart.set(st, []);
  for (let fr = 0; fr < f.unused; fr++) {
    if ((f.state[fr]! & ST_DIRTY) === 0) continue;
    const st = parts.get(partitionKey(f.group[fr]!, f.part[fr]!));
    if (st === undefined || st.gen !== f.gen[fr]) {
      f.markClean(fr); // a dropped page: never written
      continue;
    }
    let list = byPart.get(st);
    if (list === undefined) byPart.set(st, (list = []));
    list.push(fr);
  }
  const plan: CheckpointPartition[] = [];
  for (const [st, list] of byPart) {
    // Entries: dirty frames (frame ≥ 0) and freed pages (frame −1, next index in freedNext), by page index.
    const entries: Array<[index: number, frame: number, next: number]> = list.map((fr) => [f.index[fr]!, fr, 0]);
    for (const [index, next] of st.freed) entries.push([index, -1, next]);
    for (const [index, slot] of st.spilled) entries.push([index, -2 - slot, 0]);
  for (const index of st.pending.keys()) entries.push([index, -2, 0]); // begin() makes the pending image the copy
    entries.sort((a, b) => a[0] - b[0]);
    plan.push({
      groupId: st.groupId, partitionId: st.partitionId, gen: st.gen, pages: st.pages, freeHead: st.freeHead,
      indexes: Uint32Array.from(entries, (e) => e[0]), frames: Int32Array.from(entries, (e) => e[1]),
      freedNext: Uint32Array.from(entries, (e) => e[2]),
    });
  }
  return plan;
}

/** The spill slots of one persistent page memory: taken by a spilled page, given back when it returns or is written. */
export class SpillSlots {
  readonly #free: number[] = [];
  #next = 0;
  /** Pages in spill slots now, and spill writes so far. */
  spilled = 0;
  writes = 0;

  /** Gives back the slot of page `index` of `st`, if it has one. */
  release(st: PartitionPages, index: number): void {
    const slot = st.spilled.get(index);
    if (slot === undefined) return;
    st.spilled.delete(index);
    this.#free.push(slot);
    this.spilled--;
  }

  releaseAll(st: PartitionPages): void {
    for (const index of [...st.spilled.keys()]) this.release(st, index);
  }

  /** Records a page as spilled into `slot` (taken with takeDetached and written). */
  record(st: PartitionPages, index: number, slot: number): void {
    st.spilled.set(index, slot);
    this.spilled++;
  }

  /** Takes page `index` of `st` off the spilled pages, keeping its slot (now the caller's): the slot. */
  detach(st: PartitionPages, index: number): number {
    const slot = st.spilled.get(index)!;
    st.spilled.delete(index);
    this.spilled--;
    return slot;
  }

  /** A slot that belongs to no spilled page (a checkpoint's copy). */
  takeDetached(): number {
    this.writes++;
    return this.#free.length > 0 ? this.#free.pop()! : this.#next++;
  }

  giveDetached(slot: number): void {
    this.#free.push(slot);
  }

  /** Makes a detached slot the spilled image of page `index` of `st` again. */
  attach(st: PartitionPages, index: number, slot: number): void {
    st.spilled.set(index, slot);
    this.spilled++;
  }
}
