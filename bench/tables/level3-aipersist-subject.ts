/**
 * aipersist through the storage engine SPI (level 3), for the level-2 ÷ level-3 ratios: the table bench/aipersist
 * opens (bench/aipersist/open-partition.ts: profile `bench`, cache ≥ 4 × raw, one MV partition plus a sorted primary
 * INT64 index) driven as bench/standard/aistorage-subject.ts drives aimem — random RowIds, one hybrid timestamp per
 * batch, reads at the newest timestamp, updates and deletes finding the RowId through the index first.
 *
 * One difference from bench/aipersist's subject: each batch of 1,000 writes is one `runDurably` closure (resolved
 * once the delta log has synced it), not a `runConsistently` closure made durable by one flush at the end — a level-2
 * transaction on aipersist resolves once durable, so the level-3 line pays the same one sync per 1,000 rows.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StorageNode } from '../../src/interfaces/api/storage-node';
import type { MvPartitionStorage, SortedIndexStorage } from '../../src/domain/storage/storage-engine.api';
import type { RowId } from '../../src/domain/storage/row-id';
import { GREATER_OR_EQUAL, LESS_OR_EQUAL } from '../../src/domain/storage/index-descriptors';
import { BenchClock } from '../standard/bench-clock';
import type { StoreMemory, Subject } from '../standard/subject';
import { BATCH, RANGE_LEN, VALUE_SIZE, updatedValueOf, valueOf, type Workload } from '../standard/workload';
import { BENCH_PROFILE, openBenchPartition } from '../aipersist/open-partition';
import { aipersistCacheBytes } from './common';

const RANGE_FLAGS = GREATER_OR_EQUAL | LESS_OR_EQUAL;

export class Level3AipersistSubject implements Subject {
  readonly ordered = true;
  #workDir: string | null = null;
  #node: StorageNode | null = null;
  #part!: MvPartitionStorage;
  #index!: SortedIndexStorage;
  readonly #api = require('../../src/interfaces/api/index') as typeof import('../../src/interfaces/api/index');
  readonly #clock = new BenchClock();

  constructor(readonly label: string) {}

  async open(w: Workload): Promise<void> {
    this.#workDir = mkdtempSync(join(tmpdir(), 'aistorage-bench-tables-l3-'));
    const opened = await openBenchPartition(this.#api, this.#workDir, aipersistCacheBytes(w.n));
    this.#node = opened.node;
    this.#part = opened.part;
    this.#index = opened.index;
  }

  #find(key: bigint): RowId | null {
    const c = this.#index.get([key]);
    const rowId = c.hasNext() ? c.next() : null;
    c.close();
    return rowId;
  }

  async insert(w: Workload): Promise<void> {
    const p = this.#part;
    const index = this.#index;
    const order = w.insertOrder;
    for (let from = 0; from < order.length; from += BATCH) {
      const to = Math.min(from + BATCH, order.length);
      const ts = this.#clock.now();
      await p.runDurably(() => {
        for (let i = from; i < to; i++) {
          const key = order[i]!;
          const rowId = this.#api.RowId.random(0);
          const r = p.addWriteCommitted(rowId, { schemaVersion: 1, bytes: valueOf(w, key) }, ts);
          if (r.status !== 'SUCCESS') throw new Error(`insert of ${key}: ${r.status}`);
          index.put({ key: [BigInt(key)], rowId });
        }
      });
    }
  }

  pointReads(w: Workload): number {
    const p = this.#part;
    const ts = this.#clock.last;
    const order = w.readOrder;
    let found = 0;
    for (let i = 0; i < order.length; i++) {
      const rowId = this.#find(BigInt(order[i]!));
      if (rowId !== null && p.read(rowId, ts).binaryRow?.bytes.length === VALUE_SIZE) found++;
    }
    return found;
  }

  /** The index-ordered scan, each row fetched from the partition. */
  fullScan(): number {
    const p = this.#part;
    const ts = this.#clock.last;
    let rows = 0;
    const c = this.#index.scan(null, null, 0);
    while (c.hasNext()) if (p.read(c.next().rowId, ts).binaryRow?.bytes.length === VALUE_SIZE) rows++;
    c.close();
    return rows;
  }

  rangeScans(w: Workload): number {
    const p = this.#part;
    const ts = this.#clock.last;
    const starts = w.rangeStarts;
    let rows = 0;
    for (let i = 0; i < starts.length; i++) {
      const c = this.#index.scan([BigInt(starts[i]!)], [BigInt(starts[i]! + RANGE_LEN - 1)], RANGE_FLAGS);
      while (c.hasNext()) if (p.read(c.next().rowId, ts).binaryRow?.bytes.length === VALUE_SIZE) rows++;
      c.close();
    }
    return rows;
  }

  async update(w: Workload): Promise<void> {
    const p = this.#part;
    const keys = w.updateKeys;
    for (let from = 0; from < keys.length; from += BATCH) {
      const to = Math.min(from + BATCH, keys.length);
      const ts = this.#clock.now();
      await p.runDurably(() => {
        for (let i = from; i < to; i++) {
          const rowId = this.#find(BigInt(keys[i]!));
          if (rowId === null) throw new Error(`update: key ${keys[i]} not found`);
          p.addWriteCommitted(rowId, { schemaVersion: 1, bytes: updatedValueOf(w, keys[i]!) }, ts);
        }
      });
    }
  }

  async delete(w: Workload): Promise<void> {
    const p = this.#part;
    const index = this.#index;
    const keys = w.deleteKeys;
    for (let from = 0; from < keys.length; from += BATCH) {
      const to = Math.min(from + BATCH, keys.length);
      const ts = this.#clock.now();
      await p.runDurably(() => {
        for (let i = from; i < to; i++) {
          const key = BigInt(keys[i]!);
          const rowId = this.#find(key);
          if (rowId === null) throw new Error(`delete: key ${keys[i]} not found`);
          p.addWriteCommitted(rowId, null, ts);
          index.remove({ key: [key], rowId });
        }
      });
    }
  }

  lookup(key: number): Uint8Array | undefined {
    const rowId = this.#find(BigInt(key));
    return rowId === null ? undefined : (this.#part.read(rowId, this.#api.MAX_VALUE).binaryRow?.bytes ?? undefined);
  }

  memory(): StoreMemory | null {
    const region = this.#node?.profiles().find((p) => p.name === BENCH_PROFILE)?.region;
    return region == null ? null : { allocatedBytes: region.allocatedBytes, totalBytes: region.totalBytes, pageSize: region.pageSize };
  }

  async close(): Promise<void> {
    try {
      await this.#node?.close();
    } finally {
      this.#node = null;
      if (this.#workDir !== null) rmSync(this.#workDir, { recursive: true, force: true });
      this.#workDir = null;
    }
  }
}
