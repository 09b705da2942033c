/**
 * aistorage through the storage engine SPI (level 3): one MV table with one partition whose rows live in an MV
 * partition storage, and a sorted primary index on the BIGINT key. Either the real aimem engine (a node opened
 * with `openNode` and an aimem profile sized for N) or, with `--engine reference`, the naive reference engine of
 * the contract tests (to develop the harness before the real engine works).
 *
 * Per row: a RowId (random = `RowId.random(0)`, or sequential = (0, fixed msb, insertion counter) with
 * `--rowid sequential`, or time-ordered = `RowId.timeOrdered(0)` as bench/aipersist's aimem subject uses by default), `addWriteCommitted(rowId, { schemaVersion: 1, bytes }, ts)` and `index.put`. One
 * `runConsistently` closure per batch of 1,000 rows, one hybrid timestamp per batch (monotonic). Reads are at the
 * newest timestamp issued. Updates and deletes find the RowId through the primary index first, as a database does.
 */
import type { StorageEngine } from '../../src/domain/storage/storage-engine.api';
import { BenchClock } from './bench-clock';
import { RowId } from '../../src/domain/storage/row-id';
import { KEY_SIZE, VALUE_SIZE, type Workload } from './workload';
import { SpiPhases } from './spi-phases';
import type { StoreMemory, Subject } from './subject';

export type AistorageEngineKind = 'aimem' | 'reference';
export type RowIdKind = 'random' | 'sequential' | 'time-ordered';

const MiB = 1024 * 1024;
const PROFILE = 'bench';
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
  #phases!: SpiPhases;
  #nextLsb = 0n;

  constructor(private readonly kind: AistorageEngineKind, private readonly rowIds: RowIdKind, private readonly pageSize?: number) {
    const engine = kind === 'aimem' ? 'aimem' : 'reference engine';
    this.label = `aistorage ${engine} (${rowIds} RowId)`;
  }

  async open(w: Workload): Promise<void> {
    if (this.kind === 'aimem') await this.#openAimem(w);
    else await this.#openReference();
    const table = this.#engine.createMvTable({ tableId: 1, partitions: 1, storageProfile: PROFILE });
    const partition = await table.createMvPartition(0);
    const index = table.createSortedIndex(0, {
      id: 1,
      columns: [{ name: 'id', type: 'INT64', nullable: false, asc: true }],
      primary: true,
    });
    this.#phases = new SpiPhases(partition, index, new BenchClock(), () => this.#rowId());
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
    if (this.rowIds === 'time-ordered') return RowId.timeOrdered(0);
    return new RowId(0, SEQUENTIAL_MSB, this.#nextLsb++);
  }

  insert(w: Workload): void {
    this.#phases.batches(w.insertOrder.length, (f) => this.#phases.part.runConsistently(f), this.#phases.insertBody(w));
  }

  pointReads(w: Workload): number {
    return this.#phases.pointReads(w);
  }

  /** The index-ordered scan, each row fetched from the partition. */
  fullScan(): number {
    return this.#phases.fullScan();
  }

  /** The partition's own scan (RowId order, no index). */
  secondScan(): number {
    return this.#phases.partitionScan();
  }

  rangeScans(w: Workload): number {
    return this.#phases.rangeScans(w);
  }

  update(w: Workload): void {
    this.#phases.batches(w.updateKeys.length, (f) => this.#phases.part.runConsistently(f), this.#phases.updateBody(w));
  }

  delete(w: Workload): void {
    this.#phases.batches(w.deleteKeys.length, (f) => this.#phases.part.runConsistently(f), this.#phases.deleteBody(w));
  }

  lookup(key: number): Uint8Array | undefined {
    return this.#phases.lookup(key);
  }

  memory(): StoreMemory | null {
    return this.#statsOf();
  }

  async close(): Promise<void> {
    await this.#owner?.close();
    this.#owner = null;
  }
}
