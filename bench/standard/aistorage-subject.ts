/**
 * aistorage through the storage engine SPI (level 3): one MV table with one partition whose rows live in an MV
 * partition storage, and a sorted primary index on the BIGINT key. Either the real aimem engine (a node opened
 * with `openNode` and an aimem profile sized for N) or, with `--engine reference`, the naive reference engine of
 * the contract tests (to develop the harness before the real engine works).
 *
 * Per row: a RowId (random = `RowId.random(0)`, or sequential = (0, fixed msb, insertion counter) with
 * `--rowid sequential`), `addWriteCommitted(rowId, { schemaVersion: 1, bytes }, ts)` and `index.put`. One
 * `runConsistently` closure per batch of 1,000 rows, one hybrid timestamp per batch (monotonic). Reads are at the
 * newest timestamp issued. Updates and deletes find the RowId through the primary index first, as a database does.
 */
import type { MvPartitionStorage, SortedIndexStorage, StorageEngine } from '../../src/domain/storage/storage-engine.api';
import { GREATER_OR_EQUAL, LESS_OR_EQUAL } from '../../src/domain/storage/index-descriptors';
import { MAX_VALUE } from '../../src/domain/storage/hybrid-timestamp';
import { BenchClock } from './bench-clock';
import { RowId } from '../../src/domain/storage/row-id';
import { BATCH, KEY_SIZE, RANGE_LEN, VALUE_SIZE, updatedValueOf, valueOf, type Workload } from './workload';
import type { StoreMemory, Subject } from './subject';

export type AistorageEngineKind = 'aimem' | 'reference';
export type RowIdKind = 'random' | 'sequential';

const MiB = 1024 * 1024;
const PROFILE = 'bench';
const RANGE_FLAGS = GREATER_OR_EQUAL | LESS_OR_EQUAL;
/** A fixed msb for sequential RowIds (UUID v4-looking; any value works). */
const SEQUENTIAL_MSB = 0x1234_5678_9abc_4defn;

interface Closable {
  close(): Promise<void>;
}

export class AistorageSubject implements Subject {
  readonly ordered = true;
  readonly label: string;
  #engine!: StorageEngine;
  #owner: Closable | null = null;
  #statsOf: (() => StoreMemory | null) = () => null;
  #partition!: MvPartitionStorage;
  #index!: SortedIndexStorage;
  readonly #clock = new BenchClock();
  #nextLsb = 0n;

  constructor(private readonly kind: AistorageEngineKind, private readonly rowIds: RowIdKind, private readonly pageSize?: number) {
    const engine = kind === 'aimem' ? 'aimem' : 'reference engine';
    this.label = `aistorage ${engine} (${rowIds} RowId)`;
  }

  async open(w: Workload): Promise<void> {
    if (this.kind === 'aimem') await this.#openAimem(w);
    else await this.#openReference();
    const table = this.#engine.createMvTable({ tableId: 1, partitions: 1, storageProfile: PROFILE });
    this.#partition = await table.createMvPartition(0);
    this.#index = table.createSortedIndex(0, {
      id: 1,
      columns: [{ name: 'id', type: 'INT64', nullable: false, asc: true }],
      primary: true,
    });
  }

  async #openAimem(w: Workload): Promise<void> {
    const { openNode } = require('../../src/interfaces/api/open-node') as typeof import('../../src/interfaces/api/open-node');
    const raw = w.n * (KEY_SIZE + VALUE_SIZE);
    const maxSizeBytes = Math.max(256 * MiB, Math.ceil((4 * raw) / MiB) * MiB);
    const aimem = this.pageSize === undefined ? {} : { pageSizeBytes: this.pageSize };
    const node = await openNode({
      config: {
        ignite: {
          storage: {
            engines: { aimem },
            profiles: [{ engine: 'aimem', name: PROFILE, initSizeBytes: 64 * MiB, maxSizeBytes }],
          },
        },
      },
    });
    this.#owner = node;
    this.#engine = node.engine('aimem');
    this.#statsOf = () => {
      const region = node.profiles().find((p) => p.name === PROFILE)?.region;
      return region ? { allocatedBytes: region.allocatedBytes, totalBytes: region.totalBytes, pageSize: region.pageSize } : null;
    };
  }

  async #openReference(): Promise<void> {
    const { ReferenceStorageEngine } =
      require('../../test/support/reference-engine/reference-storage-engine') as typeof import('../../test/support/reference-engine/reference-storage-engine');
    const engine = new ReferenceStorageEngine();
    this.#engine = engine;
    this.#owner = engine;
  }

  #rowId(): RowId {
    if (this.rowIds === 'random') return RowId.random(0);
    return new RowId(0, SEQUENTIAL_MSB, this.#nextLsb++);
  }

  /** The RowId the primary index holds for `key`, or null. */
  #find(key: bigint): RowId | null {
    const c = this.#index.get([key]);
    const rowId = c.hasNext() ? c.next() : null;
    c.close();
    return rowId;
  }

  insert(w: Workload): void {
    const p = this.#partition;
    const index = this.#index;
    const order = w.insertOrder;
    for (let from = 0; from < order.length; from += BATCH) {
      const to = Math.min(from + BATCH, order.length);
      const ts = this.#clock.now();
      p.runConsistently(() => {
        for (let i = from; i < to; i++) {
          const key = order[i]!;
          const rowId = this.#rowId();
          const r = p.addWriteCommitted(rowId, { schemaVersion: 1, bytes: valueOf(w, key) }, ts);
          if (r.status !== 'SUCCESS') throw new Error(`insert of ${key}: ${r.status}`);
          index.put({ key: [BigInt(key)], rowId });
        }
      });
    }
  }

  pointReads(w: Workload): number {
    const p = this.#partition;
    const ts = this.#clock.last;
    const order = w.readOrder;
    let found = 0;
    for (let i = 0; i < order.length; i++) {
      const rowId = this.#find(BigInt(order[i]!));
      if (rowId !== null && p.read(rowId, ts).binaryRow?.bytes.length === 100) found++;
    }
    return found;
  }

  /** The index-ordered scan, each row fetched from the partition. */
  fullScan(): number {
    const p = this.#partition;
    const ts = this.#clock.last;
    let rows = 0;
    const c = this.#index.scan(null, null, 0);
    while (c.hasNext()) if (p.read(c.next().rowId, ts).binaryRow?.bytes.length === 100) rows++;
    c.close();
    return rows;
  }

  /** The partition's own scan (RowId order, no index). */
  secondScan(): number {
    let rows = 0;
    const c = this.#partition.scan(this.#clock.last);
    while (c.hasNext()) if (c.next().binaryRow?.bytes.length === 100) rows++;
    c.close();
    return rows;
  }

  rangeScans(w: Workload): number {
    const p = this.#partition;
    const ts = this.#clock.last;
    const starts = w.rangeStarts;
    let rows = 0;
    for (let i = 0; i < starts.length; i++) {
      const c = this.#index.scan([BigInt(starts[i]!)], [BigInt(starts[i]! + RANGE_LEN - 1)], RANGE_FLAGS);
      while (c.hasNext()) if (p.read(c.next().rowId, ts).binaryRow?.bytes.length === 100) rows++;
      c.close();
    }
    return rows;
  }

  update(w: Workload): void {
    const p = this.#partition;
    const keys = w.updateKeys;
    for (let from = 0; from < keys.length; from += BATCH) {
      const to = Math.min(from + BATCH, keys.length);
      const ts = this.#clock.now();
      p.runConsistently(() => {
        for (let i = from; i < to; i++) {
          const rowId = this.#find(BigInt(keys[i]!));
          if (rowId === null) throw new Error(`update: key ${keys[i]} not found`);
          p.addWriteCommitted(rowId, { schemaVersion: 1, bytes: updatedValueOf(w, keys[i]!) }, ts);
        }
      });
    }
  }

  delete(w: Workload): void {
    const p = this.#partition;
    const index = this.#index;
    const keys = w.deleteKeys;
    for (let from = 0; from < keys.length; from += BATCH) {
      const to = Math.min(from + BATCH, keys.length);
      const ts = this.#clock.now();
      p.runConsistently(() => {
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
    return rowId === null ? undefined : (this.#partition.read(rowId, MAX_VALUE).binaryRow?.bytes ?? undefined);
  }

  memory(): StoreMemory | null {
    return this.#statsOf();
  }

  async close(): Promise<void> {
    await this.#owner?.close();
    this.#owner = null;
  }
}
