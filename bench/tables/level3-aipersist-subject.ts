/**
 * aipersist through the storage engine SPI (level 3), for the level-2 ÷ level-3 ratios: the table bench/aipersist
 * opens (bench/aipersist/open-partition.ts: profile `bench`, cache ≥ 4 × raw, one MV partition plus a sorted primary
 * INT64 index) driven as bench/standard/aistorage-subject.ts drives aimem — time-ordered RowIds (RowId.timeOrdered,
 * as level 2's tables give new rows, so that the ratio measures the layer, not the RowIds), one hybrid timestamp per
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
import { BenchClock } from '../standard/bench-clock';
import type { StoreMemory, Subject } from '../standard/subject';
import type { Workload } from '../standard/workload';
import { SpiPhases } from '../standard/spi-phases';
import { BENCH_PROFILE, openBenchPartition } from '../aipersist/open-partition';
import { aipersistCacheBytes } from './common';

export class Level3AipersistSubject implements Subject {
  readonly ordered = true;
  #workDir: string | null = null;
  #node: StorageNode | null = null;
  #phases!: SpiPhases;
  readonly #api = require('../../src/interfaces/api/index') as typeof import('../../src/interfaces/api/index');

  constructor(readonly label: string) {}

  async open(w: Workload): Promise<void> {
    this.#workDir = mkdtempSync(join(tmpdir(), 'aistorage-bench-tables-l3-'));
    const opened = await openBenchPartition(this.#api, this.#workDir, aipersistCacheBytes(w.n));
    this.#node = opened.node;
    this.#phases = new SpiPhases(opened.part, opened.index, new BenchClock(), () => this.#api.RowId.timeOrdered(0));
  }

  async insert(w: Workload): Promise<void> {
    await this.#phases.durableBatches(w.insertOrder.length, (f) => this.#phases.part.runDurably(f), this.#phases.insertBody(w));
  }

  pointReads(w: Workload): number {
    return this.#phases.pointReads(w);
  }

  /** The index-ordered scan, each row fetched from the partition. */
  fullScan(): number {
    return this.#phases.fullScan();
  }

  rangeScans(w: Workload): number {
    return this.#phases.rangeScans(w);
  }

  async update(w: Workload): Promise<void> {
    await this.#phases.durableBatches(w.updateKeys.length, (f) => this.#phases.part.runDurably(f), this.#phases.updateBody(w));
  }

  async delete(w: Workload): Promise<void> {
    await this.#phases.durableBatches(w.deleteKeys.length, (f) => this.#phases.part.runDurably(f), this.#phases.deleteBody(w));
  }

  lookup(key: number): Uint8Array | undefined {
    return this.#phases.lookup(key);
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
