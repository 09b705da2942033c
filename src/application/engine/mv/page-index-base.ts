/**
 * What the page-based sorted and hash index storages share: the partition's lifecycle (ctx.lifecycle), the index's
 * own destruction (destroyIndex), "next RowId to build", key encoding and argument checks, mutation recording, and
 * the PartitionDataOwner protocol of partition-context.ts.
 *
 * Checks (DESIGN §6.1, as the reference engine): an index destroyed alone refuses everything with
 * StorageDestroyedError; then the partition's state — reads, scans, removals and the nextRowIdToBuild accessors
 * need RUNNABLE, put RUNNABLE or REBALANCE (StorageRebalanceError wins over IndexNotBuiltError); then
 * IndexNotBuiltError for get / scan / readOnlyScan while nextRowIdToBuild is not null; then the arguments
 * (InvalidArgumentError from the key codec, RowIds of another partition).
 *
 * Lifetime of the tree: created with the storage; destroyData drops it (pages go back through the free list) and
 * resetData creates a new empty one; between the two, and after close/destroy, every call is refused by the
 * lifecycle before it could touch a page. Cursors belong to the lifecycle epoch they were opened in.
 */
import { IndexNotBuiltError, InvalidArgumentError, StorageDestroyedError } from '../../../domain/shared/errors';
import type { IndexItemTree, IndexTreePages } from '../../../domain/index/index-item-tree';
import type { KeyEncoder } from '../../../domain/index/key-codec';
import { RowId } from '../../../domain/storage/row-id';
import type { Cursor } from '../../../domain/storage/cursor';
import type { IndexRow } from '../../../domain/storage/index-descriptors';
import { PageArrayCursor, type CursorOwner } from './page-cursor';
import type { PartitionContext, PartitionDataOwner } from './partition-context';

/** The entry operations both index trees (sorted, hash) offer on an encoded key. */
export interface KeyedIndexTree {
  put(key: Uint8Array, keyLen: number, rowId: RowId): boolean;
  remove(key: Uint8Array, keyLen: number, rowId: RowId): boolean;
  rowIdsOf(key: Uint8Array, keyLen: number, out: RowId[]): void;
}

export abstract class PageIndexStorageBase<T extends IndexItemTree & KeyedIndexTree> implements PartitionDataOwner, CursorOwner {
  readonly what: string;
  protected readonly ctx: PartitionContext;
  protected readonly encoder: KeyEncoder;
  readonly #indexId: number;
  readonly #primary: boolean;
  readonly #pages: IndexTreePages;
  readonly #newTree: (pages: IndexTreePages) => T;
  #tree: T | null;
  #nextRowIdToBuild: RowId | null;
  /** Lifecycle epoch at which this index alone was destroyed; -1 while it lives. */
  #destroyedAt = -1;

  protected constructor(
    ctx: PartitionContext, indexId: number, primary: boolean, encoder: KeyEncoder, newTree: (pages: IndexTreePages) => T,
  ) {
    this.ctx = ctx;
    this.encoder = encoder;
    this.#indexId = indexId;
    this.#primary = primary;
    this.what = `index ${indexId} of partition ${ctx.partitionId} of table ${ctx.tableId}`;
    this.#pages = {
      pageMemory: ctx.pageMemory, groupId: ctx.groupId, partitionId: ctx.partitionId, allocator: ctx.freeList, rowStore: ctx.rowStore,
      hints: ctx.hints,
    };
    this.#newTree = newTree;
    this.#tree = newTree(this.#pages);
    this.#nextRowIdToBuild = this.#initialRowIdToBuild();
  }

  getNextRowIdToBuild(): RowId | null {
    this.#checkAlive();
    this.ctx.lifecycle.checkRunnable();
    return this.#nextRowIdToBuild;
  }

  setNextRowIdToBuild(rowId: RowId | null): void {
    this.#checkAlive();
    this.ctx.lifecycle.checkRunnable();
    this.#nextRowIdToBuild = rowId === null ? null : this.checkRowId(rowId);
  }

  // PartitionDataOwner (partition-context.ts) and the other transitions the partition drives.

  destroyData(): void {
    const tree = this.#tree;
    this.#tree = null;
    tree?.destroy(false);
  }

  resetData(): void {
    if (this.#destroyedAt >= 0) return;
    this.#tree = this.#newTree(this.#pages);
    this.#nextRowIdToBuild = this.#initialRowIdToBuild();
  }

  finishRebalance(): void {
    this.#nextRowIdToBuild = this.#initialRowIdToBuild();
  }

  /** destroyIndex: frees the tree and its overflow rows (the partition lives on); idempotent. */
  destroyIndex(): void {
    if (this.#destroyedAt >= 0) return;
    this.#destroyedAt = this.ctx.lifecycle.epoch;
    const tree = this.#tree;
    this.#tree = null;
    tree?.destroy(true);
  }

  /** The current tree (null once destroyed); for tests and diagnostics. */
  get indexTree(): T | null {
    return this.#tree;
  }

  // CursorOwner.

  cursorEpoch(): number {
    return this.ctx.lifecycle.epoch;
  }

  checkCursor(openedAt: number): void {
    if (this.#destroyedAt === openedAt) this.#refuseDestroyed();
    this.ctx.lifecycle.checkCursor(openedAt);
  }

  // For the storages.

  /** The tree; only valid after one of the checks below passed. */
  get(key: readonly unknown[]): Cursor<RowId> {
    this.checkReadable(true);
    const len = this.encodeKey(key);
    const rowIds: RowId[] = [];
    this.tree.rowIdsOf(this.encoder.buffer, len, rowIds);
    return new PageArrayCursor(this, rowIds);
  }

  put(row: IndexRow): void {
    this.checkPut();
    const len = this.encodeKey(row.key);
    const rowId = this.checkRowId(row.rowId);
    if (this.tree.put(this.encoder.buffer, len, rowId)) this.record(true, row.key, rowId);
  }

  remove(row: IndexRow): void {
    this.checkRemove();
    const len = this.encodeKey(row.key);
    const rowId = this.checkRowId(row.rowId);
    if (this.tree.remove(this.encoder.buffer, len, rowId)) this.record(false, row.key, rowId);
  }

  protected get tree(): T {
    return this.#tree!;
  }

  /** get / scan / readOnlyScan (`mustBeBuilt`) and tolerantScan. */
  protected checkReadable(mustBeBuilt: boolean): void {
    this.#checkAlive();
    this.ctx.lifecycle.checkRunnable();
    if (mustBeBuilt && this.#nextRowIdToBuild !== null) {
      throw new IndexNotBuiltError(
        `${this.what} is still being built (next RowId to build: ${this.#nextRowIdToBuild}); read it after the build `
        + 'finishes (setNextRowIdToBuild(null)), or use tolerantScan');
    }
  }

  protected checkPut(): void {
    this.#checkAlive();
    this.ctx.lifecycle.checkWritable();
  }

  protected checkRemove(): void {
    this.#checkAlive();
    this.ctx.lifecycle.checkRunnable();
  }

  protected checkRowId(rowId: RowId): RowId {
    if (!(rowId instanceof RowId)) throw new InvalidArgumentError(`${this.what} expects a RowId, got ${String(rowId)}`);
    if (rowId.partitionId !== this.ctx.partitionId) {
      throw new InvalidArgumentError(`${rowId} belongs to partition ${rowId.partitionId}, not to partition ${this.ctx.partitionId} of ${this.what}`);
    }
    return rowId;
  }

  /** Encodes a whole key into `encoder.buffer`; returns its length. */
  protected encodeKey(key: readonly unknown[]): number {
    if (!Array.isArray(key)) throw new InvalidArgumentError(`A key of ${this.what} must be an array of column values`);
    return this.encoder.encodeFull(key);
  }

  /** Records the mutation for the delta log (only when it keeps records). */
  protected record(put: boolean, key: readonly unknown[], rowId: RowId): void {
    const partition = this.ctx.partition;
    if (!partition.recording) return;
    const copy = key.map((v) => (v instanceof Uint8Array ? v.slice() : v));
    partition.record({ type: put ? 'index.entryPut' : 'index.entryRemoved', indexId: this.#indexId, key: copy, rowId });
  }

  #checkAlive(): void {
    if (this.#destroyedAt >= 0) this.#refuseDestroyed();
  }

  #refuseDestroyed(): never {
    throw new StorageDestroyedError(`${this.what} was destroyed; create it again to use it`);
  }

  #initialRowIdToBuild(): RowId | null {
    return this.#primary ? null : RowId.lowest(this.ctx.partitionId);
  }
}
