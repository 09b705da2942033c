/**
 * A naive model of one MV partition: per RowId, the committed versions as a list (oldest first) and at most one
 * write intent. Everything else — visibility, scan results, the GC queue, the estimated size — is derived from
 * these lists on demand, so that the model shares no mechanism with any engine (DESIGN.md §6, §6.1).
 */
import type { BinaryRow } from '../../src/domain/storage/binary-row';
import type {
  AbortResult, AddWriteCommittedResult, AddWriteResult, CommitResult, GcEntry, ReadResult,
} from '../../src/domain/storage/results';
import type { RowId } from '../../src/domain/storage/row-id';

interface ModelIntent {
  readonly row: BinaryRow | null;
  readonly txId: string;
  readonly commitZoneId: number;
  readonly commitPartitionId: number;
}

interface ModelRow {
  readonly rowId: RowId;
  /** Oldest first; commit timestamps increase. */
  committed: Array<{ readonly row: BinaryRow | null; readonly commitTs: bigint }>;
  intent: ModelIntent | null;
}

const copy = (r: BinaryRow | null): BinaryRow | null => (r === null ? null : { schemaVersion: r.schemaVersion, bytes: r.bytes.slice() });

function result(rowId: RowId, fields: Partial<ReadResult>): ReadResult {
  const binaryRow = fields.binaryRow ?? null;
  const transactionId = fields.transactionId ?? null;
  return {
    rowId, binaryRow, transactionId, commitZoneId: fields.commitZoneId ?? null, commitPartitionId: fields.commitPartitionId ?? -1,
    commitTimestamp: fields.commitTimestamp ?? null, newestCommitTimestamp: fields.newestCommitTimestamp ?? null,
    isWriteIntent: transactionId !== null, isEmpty: binaryRow === null,
  };
}

function intentResult(rowId: RowId, i: ModelIntent, newestCommitTimestamp: bigint | null): ReadResult {
  return result(rowId, {
    binaryRow: i.row, transactionId: i.txId, commitZoneId: i.commitZoneId, commitPartitionId: i.commitPartitionId, newestCommitTimestamp,
  });
}

export class MvModel {
  readonly #rows = new Map<string, ModelRow>();

  addWrite(rowId: RowId, row: BinaryRow | null, txId: string, commitZoneId: number, commitPartitionId: number): AddWriteResult {
    const r = this.#row(rowId);
    if (r.intent !== null && r.intent.txId !== txId) {
      return { status: 'TX_MISMATCH', previousWriteIntent: null, currentWriteIntentTxId: r.intent.txId, latestCommitTimestamp: this.#newestTs(r) };
    }
    const previous = r.intent?.row ?? null;
    r.intent = { row: copy(row), txId, commitZoneId, commitPartitionId };
    return { status: 'SUCCESS', previousWriteIntent: previous, currentWriteIntentTxId: null, latestCommitTimestamp: null };
  }

  commitWrite(rowId: RowId, ts: bigint, txId: string): CommitResult {
    const r = this.#rows.get(rowId.toString());
    if (r?.intent == null) return { status: 'NO_WRITE_INTENT', expectedTxId: null };
    if (r.intent.txId !== txId) return { status: 'TX_MISMATCH', expectedTxId: r.intent.txId };
    const row = r.intent.row;
    r.intent = null;
    this.#commit(r, row, ts);
    return { status: 'SUCCESS', expectedTxId: null };
  }

  abortWrite(rowId: RowId, txId: string): AbortResult {
    const r = this.#rows.get(rowId.toString());
    if (r?.intent == null) return { status: 'NO_WRITE_INTENT', previousWriteIntent: null, expectedTxId: null };
    if (r.intent.txId !== txId) return { status: 'TX_MISMATCH', previousWriteIntent: null, expectedTxId: r.intent.txId };
    const removed = r.intent.row;
    r.intent = null;
    this.#forgetIfEmpty(r);
    return { status: 'SUCCESS', previousWriteIntent: removed, expectedTxId: null };
  }

  addWriteCommitted(rowId: RowId, row: BinaryRow | null, ts: bigint): AddWriteCommittedResult {
    const r = this.#row(rowId);
    if (r.intent !== null) {
      return { status: 'WRITE_INTENT_EXISTS', currentWriteIntentTxId: r.intent.txId, latestCommitTimestamp: this.#newestTs(r) };
    }
    this.#commit(r, copy(row), ts);
    return { status: 'SUCCESS', currentWriteIntentTxId: null, latestCommitTimestamp: null };
  }

  read(rowId: RowId, ts: bigint): ReadResult {
    const r = this.#rows.get(rowId.toString());
    if (r === undefined) return result(rowId, {});
    const newest = this.#newestTs(r);
    if (r.intent !== null && (newest === null || ts > newest)) return intentResult(rowId, r.intent, newest);
    for (let i = r.committed.length - 1; i >= 0; i--) {
      const v = r.committed[i]!;
      if (v.commitTs <= ts) return result(rowId, { binaryRow: v.row, commitTimestamp: v.commitTs });
    }
    return result(rowId, {});
  }

  /** What scan(ts) returns: every row whose read is not empty, or is a write intent, in RowId order. */
  scan(ts: bigint): ReadResult[] {
    return this.rowIds().map((id) => this.read(id, ts)).filter((x) => !x.isEmpty || x.isWriteIntent);
  }

  versions(rowId: RowId): ReadResult[] {
    const r = this.#rows.get(rowId.toString());
    if (r === undefined) return [];
    const committed = [...r.committed].reverse().map((v) => result(rowId, { binaryRow: v.row, commitTimestamp: v.commitTs }));
    return r.intent === null ? committed : [intentResult(rowId, r.intent, null), ...committed];
  }

  rowIds(): RowId[] {
    return [...this.#rows.values()].map((r) => r.rowId).sort((a, b) => a.compareTo(b));
  }

  closestRowId(lowerInclusive: RowId): RowId | null {
    return this.rowIds().find((id) => id.compareTo(lowerInclusive) >= 0) ?? null;
  }

  highestRowId(): RowId | null {
    return this.rowIds().at(-1) ?? null;
  }

  /** Rows whose newest committed version is a row. */
  estimatedSize(): number {
    return [...this.#rows.values()].filter((r) => r.committed.at(-1)?.row != null).length;
  }

  /** Every committed version that is not the oldest of its row, by timestamp then RowId. */
  gcQueue(): GcEntry[] {
    const entries = [...this.#rows.values()].flatMap((r) => r.committed.slice(1).map((v) => ({ rowId: r.rowId, timestamp: v.commitTs })));
    return entries.sort((a, b) => (a.timestamp !== b.timestamp ? (a.timestamp < b.timestamp ? -1 : 1) : a.rowId.compareTo(b.rowId)));
  }

  peek(lowWatermark: bigint, count: number): GcEntry[] {
    return this.gcQueue().filter((e) => e.timestamp <= lowWatermark).slice(0, Math.max(0, count));
  }

  vacuum(entry: GcEntry): BinaryRow | null {
    const r = this.#rows.get(entry.rowId.toString());
    const at = r?.committed.findIndex((v) => v.commitTs === entry.timestamp) ?? -1;
    if (r === undefined || at < 1) return null;
    const removed = r.committed[at - 1]!.row;
    r.committed = r.committed.slice(at);
    if (r.committed[0]!.row === null) r.committed.shift();
    this.#forgetIfEmpty(r);
    return removed;
  }

  #commit(r: ModelRow, row: BinaryRow | null, ts: bigint): void {
    const newest = r.committed.at(-1);
    if (row === null && (newest === undefined || newest.row === null)) {
      this.#forgetIfEmpty(r);
      return;
    }
    r.committed.push({ row, commitTs: ts });
  }

  #newestTs(r: ModelRow): bigint | null {
    return r.committed.at(-1)?.commitTs ?? null;
  }

  #row(rowId: RowId): ModelRow {
    const key = rowId.toString();
    let r = this.#rows.get(key);
    if (r === undefined) {
      r = { rowId, committed: [], intent: null };
      this.#rows.set(key, r);
    }
    return r;
  }

  #forgetIfEmpty(r: ModelRow): void {
    if (r.intent === null && r.committed.length === 0) this.#rows.delete(r.rowId.toString());
  }
}
