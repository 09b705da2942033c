/**
 * The MVCC data of one reference partition: a sorted array of version chains plus an explicit GC queue.
 *
 * Invariants (checked by checkInvariants()):
 * - chains are sorted by RowId and none is empty;
 * - in a chain (newest first) only the head may be a write intent; committed timestamps strictly decrease (a
 *   commit at or before the newest committed version throws CommitTimestampOrderError and changes nothing);
 * - the oldest version of a chain is never a committed tombstone (a tombstone that would be alone is dropped);
 * - the GC queue holds (commit ts, RowId) of exactly the committed versions that are not the oldest of their chain,
 *   sorted by timestamp then RowId;
 * - estimatedSize = number of chains whose newest committed version is a row.
 */
import { CommitTimestampOrderError } from '../../../src/domain/shared/errors';
import type { BinaryRow } from '../../../src/domain/storage/binary-row';
import type {
  AbortResult, AddWriteCommittedResult, AddWriteResult, CommitResult, GcEntry, ReadResult,
} from '../../../src/domain/storage/results';
import type { RowId } from '../../../src/domain/storage/row-id';
import {
  abortResult, addWriteCommittedResult, addWriteSuccess, addWriteTxMismatch, commitResult, committedRead, copyRow,
  emptyRead, writeIntentRead,
} from './read-results';
import { firstIndexWhere, indexOfSorted, insertSorted } from './sorted-array';

interface StoredVersion {
  readonly row: BinaryRow | null;
  /** null for the write intent. */
  readonly commitTs: bigint | null;
  readonly txId: string | null;
  readonly commitZoneId: number | null;
  readonly commitPartitionId: number;
}

interface RowChain {
  readonly rowId: RowId;
  /** Newest first. */
  readonly versions: StoredVersion[];
}

const compareGc = (a: GcEntry, b: GcEntry): number =>
  a.timestamp !== b.timestamp ? (a.timestamp < b.timestamp ? -1 : 1) : a.rowId.compareTo(b.rowId);

const isWriteIntent = (v: StoredVersion | undefined): boolean => v !== undefined && v.commitTs === null;

/** Commit timestamps increase per row: a commit at or before the newest committed version is refused, nothing changed. */
function checkOrder(rowId: RowId, ts: bigint, newestCommitted: StoredVersion | undefined): void {
  if (newestCommitted !== undefined && ts <= newestCommitted.commitTs!) {
    throw new CommitTimestampOrderError(rowId.toString(), ts, newestCommitted.commitTs!);
  }
}

export class VersionChains {
  #chains: RowChain[] = [];
  #gcQueue: GcEntry[] = [];
  #estimatedSize = 0;

  get estimatedSize(): number {
    return this.#estimatedSize;
  }

  clear(): void {
    this.#chains = [];
    this.#gcQueue = [];
    this.#estimatedSize = 0;
  }

  read(rowId: RowId, ts: bigint): ReadResult {
    const chain = this.#find(rowId);
    if (chain === undefined) return emptyRead(rowId);
    const [head, ...rest] = chain.versions;
    let committed = chain.versions;
    if (isWriteIntent(head)) {
      const newest = rest[0];
      if (newest === undefined || ts > newest.commitTs!) return writeIntentRead(rowId, asIntent(head!), newest?.commitTs ?? null);
      committed = rest;
    }
    const visible = committed.find((v) => v.commitTs! <= ts);
    return visible === undefined ? emptyRead(rowId) : committedRead(rowId, visible.row, visible.commitTs!);
  }

  /** All versions, newest first (a write intent's newestCommitTimestamp is null here). */
  versions(rowId: RowId): ReadResult[] {
    const chain = this.#find(rowId);
    if (chain === undefined) return [];
    return chain.versions.map((v) =>
      v.commitTs === null ? writeIntentRead(rowId, asIntent(v), null) : committedRead(rowId, v.row, v.commitTs));
  }

  addWrite(rowId: RowId, row: BinaryRow | null, txId: string, commitZoneId: number, commitPartitionId: number): AddWriteResult {
    const chain = this.#findOrCreate(rowId);
    const head = chain.versions[0];
    const intent: StoredVersion = { row: copyRow(row), commitTs: null, txId, commitZoneId, commitPartitionId };
    if (!isWriteIntent(head)) {
      chain.versions.unshift(intent);
      return addWriteSuccess(null);
    }
    if (head!.txId !== txId) return addWriteTxMismatch(head!.txId!, chain.versions[1]?.commitTs ?? null);
    chain.versions[0] = intent;
    return addWriteSuccess(head!.row);
  }

  commitWrite(rowId: RowId, ts: bigint, txId: string): CommitResult {
    const chain = this.#find(rowId);
    const head = chain?.versions[0];
    if (chain === undefined || !isWriteIntent(head)) return commitResult('NO_WRITE_INTENT');
    if (head!.txId !== txId) return commitResult('TX_MISMATCH', head!.txId);
    checkOrder(rowId, ts, chain.versions[1]);
    chain.versions.shift();
    this.#pushCommitted(chain, head!.row, ts);
    return commitResult('SUCCESS');
  }

  abortWrite(rowId: RowId, txId: string): AbortResult {
    const chain = this.#find(rowId);
    const head = chain?.versions[0];
    if (chain === undefined || !isWriteIntent(head)) return abortResult('NO_WRITE_INTENT');
    if (head!.txId !== txId) return abortResult('TX_MISMATCH', null, head!.txId);
    chain.versions.shift();
    this.#dropIfEmpty(chain);
    return abortResult('SUCCESS', head!.row);
  }

  addWriteCommitted(rowId: RowId, row: BinaryRow | null, ts: bigint): AddWriteCommittedResult {
    const existing = this.#find(rowId);
    const head = existing?.versions[0];
    if (isWriteIntent(head)) {
      return addWriteCommittedResult('WRITE_INTENT_EXISTS', head!.txId, existing!.versions[1]?.commitTs ?? null);
    }
    checkOrder(rowId, ts, head);
    this.#pushCommitted(existing ?? this.#findOrCreate(rowId), copyRow(row), ts);
    return addWriteCommittedResult('SUCCESS');
  }

  closest(lowerInclusive: RowId): RowId | null {
    return this.#chains[firstIndexWhere(this.#chains, (c) => c.rowId.compareTo(lowerInclusive) >= 0)]?.rowId ?? null;
  }

  highest(): RowId | null {
    return this.#chains[this.#chains.length - 1]?.rowId ?? null;
  }

  /** The first RowId strictly after `rowId` (or the first of all when null). */
  rowIdAfter(rowId: RowId | null): RowId | null {
    const i = rowId === null ? 0 : firstIndexWhere(this.#chains, (c) => c.rowId.compareTo(rowId) > 0);
    return this.#chains[i]?.rowId ?? null;
  }

  peek(lowWatermark: bigint, count: number): GcEntry[] {
    const out: GcEntry[] = [];
    for (const entry of this.#gcQueue) {
      if (out.length >= count || entry.timestamp > lowWatermark) break;
      out.push({ rowId: entry.rowId, timestamp: entry.timestamp });
    }
    return out;
  }

  /**
   * Removes the versions older than the one committed at entry.timestamp (normally exactly one, since entries are
   * vacuumed oldest first) and returns the newest removed row; a tombstone left oldest goes too. Null when the
   * entry is no longer queued.
   */
  vacuum(entry: GcEntry): BinaryRow | null {
    const q = indexOfSorted(this.#gcQueue, entry, compareGc);
    if (q < 0) return null;
    this.#gcQueue.splice(q, 1);
    const chain = this.#find(entry.rowId)!;
    const at = chain.versions.findIndex((v) => v.commitTs === entry.timestamp);
    const removed = chain.versions.splice(at + 1);
    for (const v of removed.slice(0, -1)) this.#removeGcEntry(chain.rowId, v.commitTs!);
    if (chain.versions[at]!.row === null) {
      chain.versions.splice(at, 1);
      const above = chain.versions[at - 1];
      if (above !== undefined && above.commitTs !== null) this.#removeGcEntry(chain.rowId, above.commitTs);
    }
    this.#dropIfEmpty(chain);
    return copyRow(removed[0]!.row);
  }

  checkInvariants(): void {
    let live = 0;
    const expectedGc: GcEntry[] = [];
    this.#chains.forEach((chain, i) => {
      if (chain.versions.length === 0) throw new Error(`empty chain ${chain.rowId}`);
      if (i > 0 && this.#chains[i - 1]!.rowId.compareTo(chain.rowId) >= 0) throw new Error('chains out of order');
      const committed = chain.versions.filter((v) => v.commitTs !== null);
      if (committed.length !== chain.versions.length - (isWriteIntent(chain.versions[0]) ? 1 : 0)) {
        throw new Error(`write intent below the head in ${chain.rowId}`);
      }
      committed.forEach((v, j) => {
        if (j > 0 && committed[j - 1]!.commitTs! <= v.commitTs!) throw new Error(`commit order broken in ${chain.rowId}`);
        if (j < committed.length - 1) expectedGc.push({ rowId: chain.rowId, timestamp: v.commitTs! });
      });
      if (committed.length > 0 && committed[committed.length - 1]!.row === null) throw new Error(`tombstone alone in ${chain.rowId}`);
      if (committed.length > 0 && committed[0]!.row !== null) live++;
    });
    expectedGc.sort(compareGc);
    if (expectedGc.length !== this.#gcQueue.length || expectedGc.some((e, i) => compareGc(e, this.#gcQueue[i]!) !== 0)) {
      throw new Error('GC queue does not match the version chains');
    }
    if (live !== this.#estimatedSize) throw new Error(`estimatedSize ${this.#estimatedSize}, live rows ${live}`);
  }

  /** Adds a committed version on top of the chain's committed versions (the chain has no write intent now). */
  #pushCommitted(chain: RowChain, row: BinaryRow | null, ts: bigint): void {
    const previous = chain.versions[0];
    if (row === null && (previous === undefined || previous.row === null)) {
      this.#dropIfEmpty(chain);
      return;
    }
    if (previous === undefined || previous.row === null) this.#estimatedSize++;
    else if (row === null) this.#estimatedSize--;
    chain.versions.unshift({ row, commitTs: ts, txId: null, commitZoneId: null, commitPartitionId: -1 });
    if (previous !== undefined) insertSorted(this.#gcQueue, { rowId: chain.rowId, timestamp: ts }, compareGc);
  }

  #removeGcEntry(rowId: RowId, timestamp: bigint): void {
    const i = indexOfSorted(this.#gcQueue, { rowId, timestamp }, compareGc);
    if (i >= 0) this.#gcQueue.splice(i, 1);
  }

  #find(rowId: RowId): RowChain | undefined {
    const i = firstIndexWhere(this.#chains, (c) => c.rowId.compareTo(rowId) >= 0);
    const chain = this.#chains[i];
    return chain !== undefined && chain.rowId.compareTo(rowId) === 0 ? chain : undefined;
  }

  #findOrCreate(rowId: RowId): RowChain {
    const found = this.#find(rowId);
    if (found !== undefined) return found;
    const chain: RowChain = { rowId, versions: [] };
    insertSorted(this.#chains, chain, (a, b) => a.rowId.compareTo(b.rowId));
    return chain;
  }

  #dropIfEmpty(chain: RowChain): void {
    if (chain.versions.length > 0) return;
    const i = this.#chains.indexOf(chain);
    if (i >= 0) this.#chains.splice(i, 1);
  }
}

function asIntent(v: StoredVersion): { row: BinaryRow | null; txId: string; commitZoneId: number; commitPartitionId: number } {
  return { row: v.row, txId: v.txId!, commitZoneId: v.commitZoneId!, commitPartitionId: v.commitPartitionId };
}
