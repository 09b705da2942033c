/**
 * The state the version-chain operations of one partition share (page-version-chains.ts, chain-writes.ts,
 * chain-vacuum.ts): the chain tree (RowId → anchor link, version-chain.layout.ts), the GC queue, the row versions,
 * and the lookup of a RowId's anchor — through the hint a RowId carries (row-id.ts attachHint) when it is still
 * valid, else one tree descent.
 *
 * Hint validity. A hint names an anchor link. Anchors never move while their chain lives; a chain that dies leaves
 * a dead stub while index hints name it, and an anchor's row is removed only when nothing names it — and then the
 * reuse `epoch` moves. So a hint attached at the current epoch names either this RowId's live anchor or its dead
 * stub (then the tree decides). Not reentrant; single-threaded.
 */
import type { BTree } from '../btree/btree';
import { BytePrefixKey } from '../btree/btree-item';
import { partitionLinkItem, partitionLinkPage, writePartitionLink } from '../datapage/partition-link';
import { DataCorruptionError } from '../shared/errors';
import type { RowId } from '../storage/row-id';
import type { GcQueue } from './gc-queue';
import type { RowVersions } from './row-versions';
import { CHAIN_ANCHOR_OFFSET, CHAIN_ITEM_SIZE, ROW_ID_BYTES } from './version-chain.layout';

export class ChainCore {
  /** RowId bytes of the current key at 0, then an anchor link: the item `addChain` puts. */
  readonly item = new Uint8Array(CHAIN_ITEM_SIZE);
  readonly #itemDv = new DataView(this.item.buffer);
  readonly #key = new BytePrefixKey().set(this.item, 0, ROW_ID_BYTES);
  readonly #found = new Uint8Array(CHAIN_ITEM_SIZE);
  #keyRowId: RowId | null = null;
  /** The anchor `locate` found. */
  anchorPage = 0;
  anchorItem = 0;
  /** Moves whenever an anchor's row is removed (its slot may then hold another row): hints of older epochs lapse. */
  epoch = 0;
  /** Rows whose newest commit is a row (maintained by the writes; never below 0). */
  estimatedSize = 0;

  constructor(
    readonly tree: BTree,
    readonly gc: GcQueue,
    readonly versions: RowVersions,
    readonly partitionId: number,
  ) {}

  /**
   * Finds the live anchor of `rowId` (anchorPage/anchorItem) and reads it into `versions`; false when the RowId has
   * no chain. Leaves the key set to the RowId and a fresh hint on it.
   */
  locate(rowId: RowId): boolean {
    this.setKey(rowId);
    const versions = this.versions;
    const hinted = rowId.hintPageFor(this, this.epoch);
    if (hinted !== 0) {
      const item = rowId.hintItem;
      versions.readAnchor(hinted, item);
      if (!versions.anchorDead) {
        this.anchorPage = hinted;
        this.anchorItem = item;
        return true;
      }
    }
    if (!this.tree.findOne(this.#key, this.#found)) return false;
    const page = partitionLinkPage(this.#found, CHAIN_ANCHOR_OFFSET, this.partitionId);
    const item = partitionLinkItem(this.#found, CHAIN_ANCHOR_OFFSET);
    versions.readAnchor(page, item);
    if (versions.anchorDead) throw new DataCorruptionError(`the chain of ${rowId} names a dead anchor`);
    this.anchorPage = page;
    this.anchorItem = item;
    rowId.attachHint(this, page, item, this.epoch);
    return true;
  }

  /** Reads the anchor named by a chain item at `buf[off..]` (scans): sets anchorPage/anchorItem. */
  locateItem(buf: Uint8Array, off: number): void {
    const page = partitionLinkPage(buf, off + CHAIN_ANCHOR_OFFSET, this.partitionId);
    const item = partitionLinkItem(buf, off + CHAIN_ANCHOR_OFFSET);
    this.versions.readAnchor(page, item);
    if (this.versions.anchorDead) throw new DataCorruptionError('a chain item names a dead anchor');
    this.anchorPage = page;
    this.anchorItem = item;
  }

  /** Sets the key (RowId bytes at item[0..16)) to `rowId`. */
  setKey(rowId: RowId): BytePrefixKey {
    // RowIds are immutable: the same object (addWrite, then commitWrite of one row) keeps its encoded bytes.
    if (rowId !== this.#keyRowId) {
      rowId.writeUuidBytes(this.#itemDv, 0);
      this.#keyRowId = rowId;
    }
    return this.#key;
  }

  /** Adds the chain item of the current key with this anchor (the tree may run out of memory: nothing changes then). */
  addChain(rowId: RowId, page: number, item: number): void {
    this.setKey(rowId);
    writePartitionLink(this.item, CHAIN_ANCHOR_OFFSET, page, item);
    this.tree.put(this.item);
    rowId.attachHint(this, page, item, this.epoch);
  }

  /** True when `rowId` carries a hint of this partition's chains (locate then needs no tree search). */
  hinted(rowId: RowId): boolean {
    return rowId.hintPageFor(this, this.epoch) !== 0;
  }

  /**
   * addChain without knowing whether the RowId has a chain (one tree descent): false when it was new; true when it
   * had one — its item was replaced and is in `old`, for `restoreChain` to put back.
   */
  putChain(rowId: RowId, page: number, item: number, old: Uint8Array): boolean {
    this.setKey(rowId);
    writePartitionLink(this.item, CHAIN_ANCHOR_OFFSET, page, item);
    if (this.tree.put(this.item, 0, old)) return true;
    rowId.attachHint(this, page, item, this.epoch);
    return false;
  }

  /** Puts back the item putChain replaced (a replacement in place: it cannot run out of memory). */
  restoreChain(old: Uint8Array): void {
    this.tree.put(old);
  }

  /**
   * Ends the chain of the current key whose anchor `locate` read: removes its item, the row a redirect named, and
   * the anchor (or leaves a dead stub while hints name it).
   */
  killChain(): void {
    const versions = this.versions;
    this.tree.remove(this.#key);
    if (versions.anchorRedirect) versions.remove(versions.page, versions.item);
    if (versions.killAnchor(this.anchorPage, this.anchorItem, versions.anchorRefs)) this.epoch++;
  }

  /** Removes a row that an anchor named (a dead stub whose last hint went): its slot may be reused. */
  anchorRemoved(): void {
    this.epoch++;
  }
}
