/**
 * Base of the version-chain invoke closures (*.closure.ts): read-modify-write of one chain item in one B+ tree
 * descent. `decide` copies the found item into `item` (or starts a fresh item for the key's RowId), `apply` does the
 * data-page work and changes `item`, and the tree then writes `item` back (PUT / IN_PLACE) or removes it.
 *
 * Lock context: the callbacks run while the chain tree's leaf is pinned. They use the row store and the GC queue
 * (other structures, other pages) but never the chain tree itself. Failure atomicity: every apply orders its steps
 * so that an exception (OutOfMemoryError) leaves pages as they were; the tree changes only after apply returned.
 *
 * One instance per operation kind, owned by PageVersionChains and reused: `prepare` sets the arguments, the result
 * fields are valid until the next invoke with the same closure.
 */
import { INVOKE_IN_PLACE, INVOKE_NOOP, INVOKE_PUT, type BTreeInvokeClosure, type InvokeOutcome } from '../btree/btree';
import { RowLink } from '../datapage/row-link';
import type { BinaryRow } from '../storage/binary-row';
import type { GcQueue } from './gc-queue';
import type { RowVersions } from './row-versions';
import { TX_ID_BYTES } from './tx-id-bytes';
import { ChainItem } from './version-chain.layout';

export type ChainStatus = 'SUCCESS' | 'TX_MISMATCH' | 'NO_WRITE_INTENT' | 'WRITE_INTENT_EXISTS';

export abstract class ChainClosure implements BTreeInvokeClosure {
  /** The chain item as found (after a NOOP) or as written back. */
  readonly item = new ChainItem();
  status: ChainStatus = 'SUCCESS';
  /** The row an operation hands back (previous write intent, committed row, vacuumed row); null when none. */
  row: BinaryRow | null = null;
  /** The txId of the chain's write intent after TX_MISMATCH and WRITE_INTENT_EXISTS (from its version header). */
  readonly intentTxId = new Uint8Array(TX_ID_BYTES);
  /** Change of the number of live committed rows. */
  sizeDelta = 0;
  /**
   * The version `apply` inserted for a new chain (PUT): if the tree then fails to insert the item (out of memory
   * during a split), the owner calls `undoPendingPut` so that no orphan version stays in the data pages.
   */
  pendingPut = false;
  protected readonly link = new RowLink();

  constructor(
    protected readonly versions: RowVersions,
    protected readonly gc: GcQueue,
    /** RowId bytes of the current key at offset 0 (the owner's key buffer). */
    protected readonly rowId: Uint8Array,
  ) {}

  decide(found: boolean, itemBuf: Uint8Array, itemOff: number): InvokeOutcome {
    this.status = 'SUCCESS';
    this.row = null;
    this.sizeDelta = 0;
    this.pendingPut = false;
    if (found) this.item.load(itemBuf, itemOff);
    else this.item.reset(this.rowId, 0);
    return this.apply(found);
  }

  writeNewItem(out: Uint8Array, outOff: number): void {
    this.item.store(out, outOff);
  }

  updateInPlace(itemBuf: Uint8Array, itemOff: number): void {
    this.item.store(itemBuf, itemOff);
  }

  /** See `pendingPut`; only for an invoke that threw. */
  undoPendingPut(): void {
    if (!this.pendingPut) return;
    this.pendingPut = false;
    this.versions.remove(this.link.pageId, this.link.itemId);
  }

  protected abstract apply(found: boolean): InvokeOutcome;

  /** Ends with `status` for the intent whose header `versions` read last, keeping its txId in `intentTxId`. */
  protected refuse(status: ChainStatus): InvokeOutcome {
    this.status = status;
    this.versions.copyTxId(this.intentTxId, 0);
    return INVOKE_NOOP;
  }

  /** Returns PUT for a new chain (marking the inserted version pending) or IN_PLACE for an existing one. */
  protected written(found: boolean): InvokeOutcome {
    if (found) return INVOKE_IN_PLACE;
    this.pendingPut = true;
    return INVOKE_PUT;
  }
}

/**
 * Live-row accounting of DESIGN.md §6 (estimatedSize counts rows whose newest commit is a row): the change when a
 * commit of a row (or tombstone) lands on a chain whose newest commit was a row, a tombstone, or absent.
 */
export function liveDelta(hadCommit: boolean, newestWasTombstone: boolean, tombstone: boolean): number {
  const wasLive = hadCommit && !newestWasTombstone;
  if (tombstone) return wasLive ? -1 : 0;
  return wasLive ? 0 : 1;
}
