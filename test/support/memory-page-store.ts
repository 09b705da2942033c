/**
 * An in-memory PageStore for tests of the persistent page memory: committed page images per (group, partition),
 * written by `checkpoint(memory)` exactly as the checkpointer would (the memory's plan, then checkpointDone).
 */
import type { PersistentPageMemory } from '../../src/domain/page-memory/persistent-page-memory';
import type { PageStore, StoredPartitionState } from '../../src/domain/ports/page-store.port';

interface Stored {
  state: StoredPartitionState;
  pages: Map<number, Uint8Array>;
}

export class MemoryPageStore implements PageStore {
  readonly #parts = new Map<string, Stored>();
  reads = 0;
  readonly #spill = new Map<number, Uint8Array>();
  spillWrite?: (slot: number, src: Uint8Array, off: number) => void;
  spillRead?: (slot: number, dst: Uint8Array, off: number) => void;

  /** `spill`: offer a spill area (then the memory never runs out of frames while some page is unpinned). */
  constructor(readonly pageSize: number, spill = false) {
    if (spill) {
      this.spillWrite = (slot, src, off) => void this.#spill.set(slot, src.slice(off, off + this.pageSize));
      this.spillRead = (slot, dst, off) => dst.set(this.#spill.get(slot)!, off);
    }
  }

  get spilledSlots(): number {
    return this.#spill.size;
  }

  partitionState(groupId: number, partitionId: number): StoredPartitionState {
    return this.#parts.get(`${groupId}/${partitionId}`)?.state ?? { pages: 0, freeHead: 0 };
  }

  readPage(groupId: number, partitionId: number, index: number, dst: Uint8Array, off: number): boolean {
    const image = this.#parts.get(`${groupId}/${partitionId}`)?.pages.get(index);
    if (image === undefined) return false;
    dst.set(image, off);
    this.reads++;
    return true;
  }

  /** Writes every dirty page of `memory` and its partition states; returns the pages written. */
  checkpoint(memory: PersistentPageMemory): number {
    const plan = memory.checkpointPlan();
    let n = 0;
    for (const cp of plan) {
      const key = `${cp.groupId}/${cp.partitionId}`;
      let stored = this.#parts.get(key);
      if (stored === undefined) this.#parts.set(key, (stored = { state: { pages: 0, freeHead: 0 }, pages: new Map() }));
      for (let i = 0; i < cp.indexes.length; i++) {
        const { buf, off } = memory.checkpointImage(cp, i);
        stored.pages.set(cp.indexes[i]!, buf.slice(off, off + this.pageSize));
        n++;
      }
      stored.state = { pages: cp.pages, freeHead: cp.freeHead };
    }
    memory.checkpointDone(plan);
    return n;
  }
}
