/**
 * A minimal test-only StorageEngine / MvTableStorage over PageMvPartitionStorage on a real VolatilePageMemory —
 * just what the MV partition suites use (createMvTable, createMvPartition, getMvPartition, close). Everything else
 * rejects. The lead's table storage replaces it for the table suites.
 *
 * Closing the environment checks the partitions' invariants, destroys their data, frees their pages and then
 * requires that the page memory is back to zero allocated and zero pinned pages: every contract case doubles as a
 * page-leak test. Optional recording mode: a delta log that wants records and a changes$ subscriber, so that the
 * mutation and publication paths run too.
 */
import { InMemoryDeltaLog } from './in-memory-delta-log';
import type { Subscription } from 'rxjs';
import { PageMvPartitionStorage } from '../../src/application/engine/mv/page-mv-partition-storage';
import { createPartitionContext, destroyPartitionPages, type PartitionContext } from '../../src/application/engine/mv/partition-context';
import { VolatilePageMemory } from '../../src/domain/page-memory/volatile-page-memory';
import { slotSizeOf } from '../../src/domain/page-memory/volatile-page.layout';
import { DISCARDING_DELTA_LOG, type DeltaLog } from '../../src/domain/ports/delta-log.port';
import { StorageError } from '../../src/domain/shared/errors';
import type {
  HashIndexStorage, IndexStorage, MvPartitionStorage, MvTableStorage, SortedIndexStorage, StorageEngine,
} from '../../src/domain/storage/storage-engine.api';
import type { ContractFactory } from '../contract/contract-factory';

export interface PageMvHarnessOptions {
  readonly pageSize: number;
  /** Record mutations (a delta log that wants them) and subscribe to changes$. */
  readonly recording?: boolean;
}

export interface HarnessPartition {
  readonly ctx: PartitionContext;
  readonly storage: PageMvPartitionStorage;
}

const unsupported = (what: string): Promise<never> => Promise.reject(new StorageError(`${what} is not part of the page MV test harness`));

export class PageMvHarnessTable implements MvTableStorage {
  readonly parts = new Map<number, HarnessPartition>();
  readonly #subscriptions: Subscription[] = [];

  constructor(
    readonly tableId: number,
    readonly partitions: number,
    private readonly memory: VolatilePageMemory,
    private readonly log: DeltaLog | null,
  ) {}

  /** The context and storage of a new partition (no table bookkeeping): for unit tests. */
  static newPartition(memory: VolatilePageMemory, tableId: number, partitionId: number, log: DeltaLog = DISCARDING_DELTA_LOG): HarnessPartition {
    const ctx = createPartitionContext({ tableId, groupId: tableId, partitionId, pageMemory: memory, log });
    return { ctx, storage: new PageMvPartitionStorage(ctx) };
  }

  async createMvPartition(partitionId: number): Promise<MvPartitionStorage> {
    if (this.parts.has(partitionId)) throw new StorageError(`Partition ${partitionId} exists`, 'PARTITION_EXISTS');
    const part = PageMvHarnessTable.newPartition(this.memory, this.tableId, partitionId, this.log ?? DISCARDING_DELTA_LOG);
    if (this.log !== null) this.#subscriptions.push(part.ctx.partition.changes$.subscribe(() => undefined));
    this.parts.set(partitionId, part);
    return part.storage;
  }

  getMvPartition(partitionId: number): MvPartitionStorage | null {
    return this.parts.get(partitionId)?.storage ?? null;
  }

  async close(): Promise<void> {
    for (const p of this.parts.values()) p.storage.closeStorage();
  }

  /** Checks and destroys every partition's data and frees its pages. */
  release(): void {
    for (const s of this.#subscriptions) s.unsubscribe();
    for (const { ctx, storage } of this.parts.values()) {
      storage.checkInvariants();
      ctx.freeList.checkInvariants();
      storage.destroyData();
      destroyPartitionPages(ctx);
      ctx.partition.complete();
    }
    this.parts.clear();
  }

  destroyPartition(): Promise<void> { return unsupported('destroyPartition'); }
  clearPartition(): Promise<void> { return unsupported('clearPartition'); }
  createSortedIndex(): SortedIndexStorage { throw new StorageError('indexes are not part of the page MV test harness'); }
  createHashIndex(): HashIndexStorage { throw new StorageError('indexes are not part of the page MV test harness'); }
  getIndex(): IndexStorage | null { return null; }
  destroyIndex(): Promise<void> { return unsupported('destroyIndex'); }
  startRebalancePartition(): Promise<void> { return unsupported('startRebalancePartition'); }
  abortRebalancePartition(): Promise<void> { return unsupported('abortRebalancePartition'); }
  finishRebalancePartition(): Promise<void> { return unsupported('finishRebalancePartition'); }
  destroy(): Promise<void> { return unsupported('destroy'); }
}

/** A volatile page memory for tests: `slots` pages at first, up to 16× that. */
export function testPageMemory(pageSize: number, slots = pageSize <= 1024 ? 4096 : 512): VolatilePageMemory {
  const slot = slotSizeOf(pageSize);
  return new VolatilePageMemory({
    name: 'page-mv-harness', pageSize, initSizeBytes: slots * slot, maxSizeBytes: 16 * slots * slot,
    memory: { allocate: (bytes) => new ArrayBuffer(bytes), release: () => undefined },
  });
}

export class PageMvHarnessEngine implements StorageEngine {
  readonly name = 'aimem' as const;
  readonly isVolatile = true;
  readonly memory: VolatilePageMemory;
  readonly log: InMemoryDeltaLog | null;
  readonly #tables: PageMvHarnessTable[] = [];

  constructor(options: PageMvHarnessOptions) {
    this.memory = testPageMemory(options.pageSize);
    this.log = options.recording === true ? new InMemoryDeltaLog() : null;
  }

  createMvTable(desc: { tableId: number; partitions: number; storageProfile: string }): MvTableStorage {
    const table = new PageMvHarnessTable(desc.tableId, desc.partitions, this.memory, this.log);
    this.#tables.push(table);
    return table;
  }

  destroyMvTable(): Promise<void> {
    return unsupported('destroyMvTable');
  }

  /** Releases every table's pages and requires an empty, unpinned, consistent page memory; then closes it. */
  close(): void {
    for (const t of this.#tables) t.release();
    const { allocatedPages, pinnedPages } = this.memory.stats();
    this.memory.checkInvariants();
    this.memory.close();
    if (allocatedPages !== 0 || pinnedPages !== 0) {
      throw new Error(`page leak: ${allocatedPages} pages still allocated, ${pinnedPages} pinned after every partition was destroyed`);
    }
  }
}

export function pageMvFactory(options: PageMvHarnessOptions): ContractFactory {
  return {
    async create() {
      const engine = new PageMvHarnessEngine(options);
      return { engine, close: async () => engine.close() };
    },
  };
}
