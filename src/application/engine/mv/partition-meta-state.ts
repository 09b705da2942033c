/**
 * The partition's meta values behind the SPI — lastApplied, committed group configuration, lease, estimated size,
 * rebalance flag — kept on the partition meta page (domain/partition/partition-meta-page.ts), with the variable
 * ones (group configuration bytes, the lease's node name) as rows of the partition's row store. Every setter writes
 * through, so a reopen from the meta page finds exactly these values.
 *
 * Lease (as the spec's system): a lease replaces the stored one only when it starts later; replays of older
 * leases change nothing.
 */
import { RowLink } from '../../../domain/datapage/row-link';
import { formatTxId } from '../../../domain/mvcc/tx-id-bytes';
import { MIN_VALUE } from '../../../domain/storage/hybrid-timestamp';
import type { PartitionContext } from './partition-context';

const UTF8 = new TextEncoder();
const FROM_UTF8 = new TextDecoder();
const NO_NODE_ID = new Uint8Array(16);

export class PartitionMetaState {
  readonly #ctx: PartitionContext;
  readonly #link = new RowLink();
  /** Cache of the stored group configuration (undefined: not read yet). */
  #groupConfig: Uint8Array | null | undefined = undefined;
  #leaseName: string | null | undefined = undefined;

  constructor(ctx: PartitionContext) {
    this.#ctx = ctx;
  }

  get lastAppliedIndex(): number {
    return this.#ctx.meta.lastAppliedIndex;
  }

  get lastAppliedTerm(): number {
    return this.#ctx.meta.lastAppliedTerm;
  }

  setLastApplied(index: number, term: number): void {
    this.#ctx.meta.setLastApplied(index, term);
  }

  /** The stored estimated size; written only when it changed (at the end of every outermost closure). */
  syncEstimatedSize(size: number): void {
    if (this.#ctx.meta.estimatedSize !== size) this.#ctx.meta.setEstimatedSize(size);
  }

  /** A copy of the stored group configuration, or null. */
  groupConfig(): Uint8Array | null {
    if (this.#groupConfig === undefined) {
      const { meta, rowStore } = this.#ctx;
      this.#groupConfig = meta.groupConfigPage === 0 ? null : rowStore.readBytes(meta.groupConfigPage, meta.groupConfigItem);
    }
    return this.#groupConfig === null ? null : this.#groupConfig.slice();
  }

  /** Stores (a copy of) the bytes, or none. */
  setGroupConfig(bytes: Uint8Array | null): void {
    const { meta } = this.#ctx;
    const [page, item] = this.#storeRow(meta.groupConfigPage, meta.groupConfigItem, bytes);
    meta.setGroupConfig(page, item);
    this.#groupConfig = bytes === null ? null : bytes.slice();
  }

  /** The lease start time, or MIN_VALUE without a lease. */
  leaseStartTime(): bigint {
    const { startHi, startLo } = this.#ctx.meta.lease;
    return startHi === 0 && startLo === 0 ? MIN_VALUE : (BigInt(startHi) << 32n) | BigInt(startLo);
  }

  leaseNodeId(): string | null {
    return this.#hasLease() ? formatTxId(this.#ctx.meta.lease.nodeId, 0) : null;
  }

  leaseNodeName(): string | null {
    if (this.#leaseName === undefined) {
      const { lease } = this.#ctx.meta;
      this.#leaseName = lease.namePage === 0 ? null : FROM_UTF8.decode(this.#ctx.rowStore.readBytes(lease.namePage, lease.nameItem));
    }
    return this.#leaseName;
  }

  /** Stores the lease when it starts after the stored one; false (nothing changed) otherwise. */
  updateLease(start: bigint, nodeId: Uint8Array, nodeName: string): boolean {
    if (this.#hasLease() && start <= this.leaseStartTime()) return false;
    const { meta } = this.#ctx;
    const [namePage, nameItem] = this.#storeRow(meta.lease.namePage, meta.lease.nameItem, UTF8.encode(nodeName));
    meta.setLease({ startHi: Number(start >> 32n), startLo: Number(start & 0xffff_ffffn), nodeId, namePage, nameItem });
    this.#leaseName = nodeName;
    return true;
  }

  /**
   * After a wipe (clear, rebalance start / abort): the rows the links named went with the data pages, so the
   * links are dropped without removing them; lastApplied 0/0, no configuration, no lease, size 0.
   */
  reset(rebalancing: boolean): void {
    const { meta } = this.#ctx;
    meta.setLastApplied(rebalancing ? -1 : 0, rebalancing ? -1 : 0);
    meta.setGroupConfig(0, 0);
    meta.setLease({ startHi: 0, startLo: 0, nodeId: NO_NODE_ID, namePage: 0, nameItem: 0 });
    meta.setEstimatedSize(0);
    meta.setRebalancing(rebalancing);
    meta.nextGeneration();
    this.#groupConfig = null;
    this.#leaseName = null;
  }

  /** Rebalance finish: the meta the rebalance delivered. */
  finishRebalance(index: number, term: number, groupConfig: Uint8Array): void {
    this.setLastApplied(index, term);
    this.setGroupConfig(groupConfig);
    this.#ctx.meta.setRebalancing(false);
  }

  #hasLease(): boolean {
    const { startHi, startLo } = this.#ctx.meta.lease;
    return startHi !== 0 || startLo !== 0;
  }

  /** Writes `bytes` into the row at (page, item) (0: none yet), or removes it for null; returns the row's link. */
  #storeRow(page: number, item: number, bytes: Uint8Array | null): [number, number] {
    const rows = this.#ctx.rowStore;
    if (bytes === null) {
      if (page !== 0) rows.remove(page, item);
      return [0, 0];
    }
    if (page === 0) {
      rows.insert(bytes, this.#link);
    } else {
      rows.update(page, item, bytes, this.#link);
    }
    return [this.#link.pageId, this.#link.itemId];
  }
}
