/**
 * The standard workload's phases on one MV partition with a sorted primary INT64 index (level 3, the SPI): what the
 * aimem subject (aistorage-subject.ts, `runConsistently` closures) and the tables bench's aipersist level-3 subject
 * (bench/tables/level3-aipersist-subject.ts, `runDurably` closures) both run. Per row: `addWriteCommitted` and
 * `index.put`; one hybrid timestamp per batch of 1,000; reads at the newest timestamp; updates and deletes find the
 * RowId through the index first, as a database does.
 */
import type { MvPartitionStorage, SortedIndexStorage } from '../../src/domain/storage/storage-engine.api';
import { GREATER_OR_EQUAL, LESS_OR_EQUAL } from '../../src/domain/storage/index-descriptors';
import { MAX_VALUE } from '../../src/domain/storage/hybrid-timestamp';
import type { RowId } from '../../src/domain/storage/row-id';
import type { BenchClock } from './bench-clock';
import { BATCH, RANGE_LEN, VALUE_SIZE, updatedValueOf, valueOf, type Workload } from './workload';

const RANGE_FLAGS = GREATER_OR_EQUAL | LESS_OR_EQUAL;

/** The rows of one batch: [from, to) of a phase's key list, written at `ts`. */
export type BatchBody = (from: number, to: number, ts: bigint) => void;

export class SpiPhases {
  constructor(
    readonly part: MvPartitionStorage,
    readonly index: SortedIndexStorage,
    private readonly clock: BenchClock,
    private readonly newRowId: () => RowId,
  ) {}

  /** Runs `body` over the batches of `count` items, each in `run` (runConsistently: synchronous, no await). */
  batches(count: number, run: (closure: () => void) => void, body: BatchBody): void {
    for (let from = 0; from < count; from += BATCH) {
      const to = Math.min(from + BATCH, count);
      const ts = this.clock.now();
      run(() => body(from, to, ts));
    }
  }

  /** `batches` with an awaited `run` (runDurably). */
  async durableBatches(count: number, run: (closure: () => void) => Promise<void>, body: BatchBody): Promise<void> {
    for (let from = 0; from < count; from += BATCH) {
      const to = Math.min(from + BATCH, count);
      const ts = this.clock.now();
      await run(() => body(from, to, ts));
    }
  }

  insertBody(w: Workload): BatchBody {
    const { part, index } = this;
    const order = w.insertOrder;
    return (from, to, ts) => {
      for (let i = from; i < to; i++) {
        const key = order[i]!;
        const rowId = this.newRowId();
        const r = part.addWriteCommitted(rowId, { schemaVersion: 1, bytes: valueOf(w, key) }, ts);
        if (r.status !== 'SUCCESS') throw new Error(`insert of ${key}: ${r.status}`);
        index.put({ key: [BigInt(key)], rowId });
      }
    };
  }

  updateBody(w: Workload): BatchBody {
    const keys = w.updateKeys;
    return (from, to, ts) => {
      for (let i = from; i < to; i++) {
        const rowId = this.find(BigInt(keys[i]!));
        if (rowId === null) throw new Error(`update: key ${keys[i]} not found`);
        this.part.addWriteCommitted(rowId, { schemaVersion: 1, bytes: updatedValueOf(w, keys[i]!) }, ts);
      }
    };
  }

  deleteBody(w: Workload): BatchBody {
    const keys = w.deleteKeys;
    return (from, to, ts) => {
      for (let i = from; i < to; i++) {
        const key = BigInt(keys[i]!);
        const rowId = this.find(key);
        if (rowId === null) throw new Error(`delete: key ${keys[i]} not found`);
        this.part.addWriteCommitted(rowId, null, ts);
        this.index.remove({ key: [key], rowId });
      }
    };
  }

  /** The RowId the primary index holds for `key`, or null. */
  find(key: bigint): RowId | null {
    const c = this.index.get([key]);
    const rowId = c.hasNext() ? c.next() : null;
    c.close();
    return rowId;
  }

  pointReads(w: Workload): number {
    const p = this.part;
    const ts = this.clock.last;
    const order = w.readOrder;
    let found = 0;
    for (let i = 0; i < order.length; i++) {
      const rowId = this.find(BigInt(order[i]!));
      if (rowId !== null && p.read(rowId, ts).binaryRow?.bytes.length === VALUE_SIZE) found++;
    }
    return found;
  }

  /** The index-ordered scan, each row fetched from the partition. */
  fullScan(): number {
    const p = this.part;
    const ts = this.clock.last;
    let rows = 0;
    const c = this.index.scan(null, null, 0);
    while (c.hasNext()) if (p.read(c.next().rowId, ts).binaryRow?.bytes.length === VALUE_SIZE) rows++;
    c.close();
    return rows;
  }

  /** The partition's own scan (RowId order, no index). */
  partitionScan(): number {
    let rows = 0;
    const c = this.part.scan(this.clock.last);
    while (c.hasNext()) if (c.next().binaryRow?.bytes.length === VALUE_SIZE) rows++;
    c.close();
    return rows;
  }

  rangeScans(w: Workload): number {
    const p = this.part;
    const ts = this.clock.last;
    const starts = w.rangeStarts;
    let rows = 0;
    for (let i = 0; i < starts.length; i++) {
      const c = this.index.scan([BigInt(starts[i]!)], [BigInt(starts[i]! + RANGE_LEN - 1)], RANGE_FLAGS);
      while (c.hasNext()) if (p.read(c.next().rowId, ts).binaryRow?.bytes.length === VALUE_SIZE) rows++;
      c.close();
    }
    return rows;
  }

  lookup(key: number): Uint8Array | undefined {
    const rowId = this.find(BigInt(key));
    return rowId === null ? undefined : (this.part.read(rowId, MAX_VALUE).binaryRow?.bytes ?? undefined);
  }
}
