/**
 * What the page-based sorted and hash index storages share: the partition's lifecycle (ctx.lifecycle), the index's
 * own destruction (destroyIndex), "next RowId to build", key encoding and argument checks, mutation recording, and
 * the PartitionDataOwner protocol of partition-context.ts.
 *
 * Checks (DESIGN §6.1, as the reference engine): an index destroyed alone refuses everything with
 * StorageDestroyedError; then the partition's state — reads, scans, removals and the nextRowIdToBuild accessors
 * need RUNNABLE, put RUNNABLE or REBALANCE (StorageRebalanceError wins over IndexNotBuiltError); then, for put,
 * remove and setNextRowIdToBuild, a running runConsistently closure of the partition (OutsideClosureError); then
 * IndexNotBuiltError for get / scan / readOnlyScan while nextRowIdToBuild is not null; then the arguments
 * (InvalidArgumentError from the key codec, RowIds of another partition).
 *
 * Lifetime of the tree: created with the storage — or opened from the partition's index meta tree when the index
 * exists on the pages (a reopen; its descriptor must match the stored layout) — destroyData drops it (pages go back
 * through the free list) and resetData creates a new empty one; between the two, and after close/destroy, every call
 * is refused by the lifecycle before it could touch a page. Cursors belong to the lifecycle epoch they were opened in.
 * The index meta tree is written whenever the tree, the build state or the pending overflow rows change.
 */
import { IndexNotBuiltError, InvalidArgumentError, StorageDestroyedError } from '../../../domain/shared/errors';
import type { KeyColumn } from '../../../domain/index/column-values';
import { storedLayout, type IndexMetaRecord } from '../../../domain/index/index-meta-tree';
import { rowIdBytes, rowIdFromBytes, type PartitionMutation } from '../../../domain/partition/partition.events';
import { IndexItemTree, type IndexTreePages } from '../../../domain/index/index-item-tree';
import type { KeyEncoder } from '../../../domain/index/key-codec';
import { RowId } from '../../../domain/storage/row-id';
import type { Cursor } from '../../../domain/storage/cursor';
import type { IndexRow } from '../../../domain/storage/index-descriptors';
import { checkIndexRow, checkOwnRowId } from './mv-arguments';
import { PageArrayCursor, type CursorOwner } from './page-cursor';
import { guardFirstWrite, wrote, type PartitionContext, type PartitionDataOwner } from './partition-context';

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
  readonly #newTree: NewIndexTree<T>;
  readonly #kind: number;
  readonly #fingerprint: number;
  #tree: T | null;
  #nextRowIdToBuild: RowId | null;
  /** Lifecycle epoch at which this index alone was destroyed; -1 while it lives. */
  #destroyedAt = -1;

  protected constructor(
    ctx: PartitionContext, indexId: number, primary: boolean, encoder: KeyEncoder, kind: number, columns: readonly KeyColumn[],
    newTree: NewIndexTree<T>, stored: IndexMetaRecord | null,
  ) {
    this.ctx = ctx;
    this.encoder = encoder;
    this.#indexId = indexId;
    this.#primary = primary;
    this.#kind = kind;
    this.#fingerprint = columnsFingerprint(columns);
    this.what = `index ${indexId} of partition ${ctx.partitionId} of table ${ctx.tableId}`;
    this.#pages = indexTreePages(ctx);
    this.#newTree = newTree;
    if (stored === null) {
      this.#nextRowIdToBuild = this.#initialRowIdToBuild();
      this.#tree = this.#createTree();
    } else {
      this.#nextRowIdToBuild = stored.nextRowIdToBuild;
      this.#tree = this.#openTree(stored);
    }
  }

  getNextRowIdToBuild(): RowId | null {
    this.#checkAlive();
    this.ctx.lifecycle.checkRunnable();
    return this.#nextRowIdToBuild;
  }

  setNextRowIdToBuild(rowId: RowId | null): void {
    this.#checkAlive();
    this.ctx.lifecycle.checkRunnable();
    this.ctx.partition.requireClosure('setNextRowIdToBuild');
    this.#nextRowIdToBuild = rowId === null ? null : this.checkRowId(rowId);
    this.#writeMeta();
    const partition = this.ctx.partition;
    if (partition.recording) {
      partition.record({ type: 'index.buildStateSet', indexId: this.#indexId, nextRowIdToBuild: rowId === null ? null : rowIdBytes(rowId) });
    }
  }

  // PartitionDataOwner (partition-context.ts) and the other transitions the partition drives.

  destroyData(): void {
    const tree = this.#tree;
    this.#tree = null;
    tree?.destroy(false);
  }

  /** Lets go of the tree without touching a page (the partition's pages are being dropped wholesale). */
  forgetData(): void {
    this.#tree = null;
  }

  resetData(): void {
    if (this.#destroyedAt >= 0) return;
    this.#nextRowIdToBuild = this.#initialRowIdToBuild();
    this.#tree = this.#createTree();
  }

  finishRebalance(): void {
    this.#nextRowIdToBuild = this.#initialRowIdToBuild();
    this.#writeMeta();
  }

  /** destroyIndex: frees the tree and its overflow rows (the partition lives on); idempotent. */
  destroyIndex(): void {
    if (this.#destroyedAt >= 0) return;
    this.#destroyedAt = this.ctx.lifecycle.epoch;
    const tree = this.#tree;
    this.#tree = null;
    tree?.destroy(true);
    this.ctx.indexMeta.remove(this.#indexId);
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
    checkIndexRow(row, 'put', this.what);
    const len = this.encodeKey(row.key);
    const rowId = this.checkRowId(row.rowId);
    const added = this.tree.put(this.encoder.buffer, len, rowId);
    wrote(this.ctx);
    if (added) this.record(true, len, rowId);
  }

  remove(row: IndexRow): void {
    this.checkRemove();
    checkIndexRow(row, 'remove', this.what);
    const len = this.encodeKey(row.key);
    const rowId = this.checkRowId(row.rowId);
    if (this.tree.remove(this.encoder.buffer, len, rowId)) this.record(false, len, rowId);
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
    this.ctx.partition.requireClosure('put');
    guardFirstWrite(this.ctx);
  }

  protected checkRemove(): void {
    this.#checkAlive();
    this.ctx.lifecycle.checkRunnable();
    this.ctx.partition.requireClosure('remove');
  }

  protected checkRowId(rowId: RowId): RowId {
    return checkOwnRowId(rowId, this.ctx.partitionId, this.what);
  }

  /** Encodes a whole key into `encoder.buffer`; returns its length. */
  protected encodeKey(key: readonly unknown[]): number {
    if (!Array.isArray(key)) throw new InvalidArgumentError(`A key of ${this.what} must be an array of column values`);
    return this.encoder.encodeFull(key);
  }

  /** Applies one recorded index mutation (partition-replay.ts) without checks or recording. */
  applyRecorded(m: PartitionMutation): void {
    const rowIdOf = (b: Uint8Array): RowId => rowIdFromBytes(this.ctx.partitionId, b);
    switch (m.type) {
      case 'index.entryPut': this.tree.put(m.key, m.key.length, rowIdOf(m.rowId)); break;
      case 'index.entryRemoved': this.tree.remove(m.key, m.key.length, rowIdOf(m.rowId)); break;
      case 'index.buildStateSet':
        this.#nextRowIdToBuild = m.nextRowIdToBuild === null ? null : rowIdOf(m.nextRowIdToBuild);
        this.#writeMeta();
        break;
      default: throw new InvalidArgumentError(`${this.what} cannot apply a ${m.type} record`);
    }
  }

  /** Records the entry change for the delta log (only when it keeps records): the key as encoded, not as given. */
  protected record(put: boolean, keyLen: number, rowId: RowId): void {
    const partition = this.ctx.partition;
    if (!partition.recording) return;
    const key = this.encoder.buffer.slice(0, keyLen);
    partition.record({ type: put ? 'index.entryPut' : 'index.entryRemoved', indexId: this.#indexId, key, rowId: rowIdBytes(rowId) });
  }

  #checkAlive(): void {
    if (this.#destroyedAt >= 0) this.#refuseDestroyed();
  }

  #refuseDestroyed(): never {
    throw new StorageDestroyedError(`${this.what} was destroyed; create it again to use it`);
  }

  /** A new empty tree, recorded in the index meta tree (out of memory: nothing kept). */
  #createTree(): T {
    const tree = this.#newTree(this.#pages, null, null);
    tree.onPendingStored = () => this.#writeMeta();
    this.#tree = tree;
    try {
      this.#writeMeta();
    } catch (e) {
      this.#tree = null;
      tree.destroy(false);
      throw e;
    }
    return tree;
  }

  /** The stored tree, after checking that this descriptor lays its items out as the stored ones. */
  #openTree(stored: IndexMetaRecord): T {
    const mismatch = (): InvalidArgumentError => new InvalidArgumentError(
      `${this.what} exists on the pages as a ${stored.kind === 1 ? 'sorted' : 'hash'} index with other columns; `
      + 'create it with the descriptor it was created with, or destroy it first');
    if (stored.kind !== this.#kind || stored.fingerprint !== this.#fingerprint) throw mismatch();
    const tree = this.#newTree(this.#pages, stored.treeMetaPageId, { page: stored.pendingPage, item: stored.pendingItem });
    if (stored.itemSize !== tree.layout.itemSize || stored.inlineSize !== tree.layout.inlineSize) throw mismatch();
    tree.onPendingStored = () => this.#writeMeta();
    return tree;
  }

  #writeMeta(): void {
    const tree = this.#tree;
    if (tree === null) return;
    this.ctx.indexMeta.put({
      indexId: this.#indexId, kind: this.#kind, treeMetaPageId: tree.metaPageId, nextRowIdToBuild: this.#nextRowIdToBuild,
      pendingPage: tree.pendingPage, pendingItem: tree.pendingItem, inlineSize: tree.layout.inlineSize, itemSize: tree.layout.itemSize,
      fingerprint: this.#fingerprint, hasOverflow: tree.layout.hasOverflow, hasKeyLength: tree.layout.keyLenOff >= 0,
    });
  }

  #initialRowIdToBuild(): RowId | null {
    return this.#primary ? null : RowId.lowest(this.ctx.partitionId);
  }
}

/** Makes the index's tree: a new one (metaPageId null) or the stored one with its pending overflow rows. */
export type NewIndexTree<T> = (pages: IndexTreePages, metaPageId: number | null, pending: { page: number; item: number } | null) => T;

/** The pages an index tree of this partition lives on. */
function indexTreePages(ctx: PartitionContext): IndexTreePages {
  return {
    pageMemory: ctx.pageMemory, groupId: ctx.groupId, partitionId: ctx.partitionId, allocator: ctx.freeList, rowStore: ctx.rowStore,
    hints: ctx.hints,
  };
}

/**
 * Frees the pages of an index tree known only from its stored meta (an index of a reopened partition that was not
 * created again, destroyed while its partition lives): its row hints and overflow rows go too.
 */
export function destroyStoredIndexTree(ctx: PartitionContext, rec: IndexMetaRecord): void {
  new IndexItemTree(indexTreePages(ctx), storedLayout(rec), rec.treeMetaPageId, { page: rec.pendingPage, item: rec.pendingItem }).destroy(true);
}

/** A 32-bit FNV-1a fingerprint of what decides an index's key encoding and item layout (names excluded). */
function columnsFingerprint(columns: readonly KeyColumn[]): number {
  const text = JSON.stringify(columns.map((c) => [c.type, c.nullable, c.asc ?? true, c.nullsFirst ?? null, c.length ?? null,
    c.precision ?? null, c.scale ?? null]));
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
