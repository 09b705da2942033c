/**
 * Where a persistent page memory (persistent-page-memory.ts) finds the pages it does not hold: the durable store of
 * each partition (aipersist's partition and delta files, or an in-memory fake in tests). Synchronous: a page miss
 * is served inside the call that needed the page (a positional read, off the cache-hit path).
 */
import type { HashIndexDescriptor, SortedIndexDescriptor } from '../storage/index-descriptors';
export interface StoredPartitionState {
  /** Page indexes handed out so far (0 .. pages − 1); a new partition has 0. */
  readonly pages: number;
  /** The first page of the chain of freed page indexes (each freed page holds the next), 0 for none. */
  readonly freeHead: number;
}

export interface PageStore {
  /** The state of (group, partition) as of its last completed checkpoint; { pages: 0, freeHead: 0 } when it has none. */
  partitionState(groupId: number, partitionId: number): StoredPartitionState;
  /**
   * Reads page `index` of (group, partition) as of the last completed checkpoint into `dst[off .. off + pageSize)`;
   * false when it was never written (dst is then unspecified). A damaged page throws DataCorruptionError naming
   * the file and the page.
   */
  readPage(groupId: number, partitionId: number, index: number, dst: Uint8Array, off: number): boolean;
  /**
   * The spill area (optional): scratch room for dirty pages the cache must evict before a checkpoint wrote them.
   * Not durable state — emptied at start. `spillWrite` stores a page image in slot `slot` (0, 1, ...), `spillRead`
   * reads it back.
   */
  spillWrite?(slot: number, src: Uint8Array, off: number): void;
  spillRead?(slot: number, dst: Uint8Array, off: number): void;
}

/**
 * One changed partition of a checkpoint (the page memory's plan): its state, and the pages to write in ascending
 * index order — entry k is page indexes[k], held by frame frames[k], or a page freed since the last checkpoint
 * (frames[k] = −1) whose image is the freed-page record with next index freedNext[k].
 */
export interface CheckpointPartition {
  readonly groupId: number;
  readonly partitionId: number;
  /** The partition's generation at the snapshot (a clear or destroy since makes the entry void). */
  readonly gen: number;
  readonly pages: number;
  readonly freeHead: number;
  readonly indexes: Uint32Array;
  readonly frames: Int32Array;
  readonly freedNext: Uint32Array;
}

export interface CheckpointWrite {
  readonly mainPages: number;
  readonly deltaPages: number;
  readonly bytes: number;
}

/** One partition's checkpoint being written (DurablePageStore.beginCheckpoint). */
export interface CheckpointPartitionWrite {
  /** True once finished or aborted (destroying the partition aborts it). */
  readonly closed: boolean;
  /** False when entry k has to wait for a write buffer (every one is in flight): await `room()`, then ask again. */
  canWrite(k: number): boolean;
  room(): Promise<void>;
  /** Takes entry k's page image (used at once); its write may still be in flight when this returns. */
  write(k: number, buf: Uint8Array, off: number): void;
  /** Waits for every write, syncs, commits: the partition is at this checkpoint once it resolves; null if aborted meanwhile. */
  finish(): Promise<CheckpointWrite | null>;
  abort(): void;
  /** Resolves once none of its writes is in flight (await it after an abort, before the pages are written again). */
  settled(): Promise<void>;
}

/** A sorted or a hash index's descriptor, as the table's indexes file keeps it. */
export interface IndexDescriptorEntry {
  readonly sorted: SortedIndexDescriptor | null;
  readonly hash: HashIndexDescriptor | null;
}

/** The durable store of aipersist (files under `<workDir>/db`): what the engine and its checkpointer use. */
export interface DurablePageStore extends PageStore {
  /** Deletes `.tmp` leftovers and finishes destructions a crash interrupted. */
  recover(): void;
  /** Writes one partition's checkpoint synchronously, crash-safely; `imageOf(k)` gives entry k's page image (used at once). */
  writeCheckpoint(cp: CheckpointPartition, imageOf: (k: number) => { buf: Uint8Array; off: number }): CheckpointWrite;
  /** The same, page by page and several writes at a time: write each entry (any order), then finish (the commit) or abort. */
  beginCheckpoint(cp: CheckpointPartition): CheckpointPartitionWrite;
  /** Partitions with more than one delta file. */
  compactable(): Array<{ tableId: number; partitionId: number }>;
  deltaCount(tableId: number, partitionId: number): number;
  /** Merges the oldest delta file into the main file and deletes it; resolves with the pages merged. */
  compactOldest(tableId: number, partitionId: number): Promise<number>;
  destroyPartition(tableId: number, partitionId: number): void;
  destroyTable(tableId: number): void;
  /** The index descriptors saved for the table (recovery opens the indexes its log names with them). */
  indexDescriptors(tableId: number): IndexDescriptorEntry[];
  /** Saves the table's index descriptors durably (atomic replace, synced). */
  saveIndexDescriptors(tableId: number, entries: readonly IndexDescriptorEntry[]): void;
  /** Bytes of every partition and delta file. */
  diskBytes(): number;
  /** Bytes of each table's partition, delta and index descriptor files, by table id. */
  tableDiskBytes(): ReadonlyMap<number, number>;
  close(): void;
}

/** Builds the durable store of a work dir's `db` directory (the composition root binds the file-based one). */
export type DurablePageStoreFactory = (dbDir: string, pageSize: number, writers: { readonly checkpoint: number; readonly compaction: number }) => DurablePageStore;
