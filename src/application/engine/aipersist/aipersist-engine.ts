/**
 * The aipersist engine (spec: aipersist.md): one persistent region — a page cache of the profile's `sizeBytes` —
 * per aipersist storage profile, over the partition and delta files under `<workDir>/db` (file-page-store.ts), and
 * MV tables on the same page structures as aimem, so every SPI call behaves the same. Durable at checkpoints
 * (checkpointer.ts): after a crash each partition is at its last completed checkpoint; `flush()`, `node.checkpoint()`
 * and a clean stop write one.
 *
 * Reopening: a table's page group is its table id; `createMvTable` with an id whose files exist opens it, and
 * `createMvPartition(p)` of a partition with committed pages opens it from its meta page (page 1 of its file).
 * `start()` finishes destructions and deletes temporary files a crash left. A node without a work dir cannot use
 * this engine (EngineNotAvailableError says so); a read-only node reads the files and never writes them.
 */
import { Subject, type Observable } from 'rxjs';
import type { ConfigService } from '../../config/config-service';
import { DEFAULT_PROFILE_NAME, type StorageProfileConfig } from '../../config/config.model';
import { FLAG_AUX, pageId } from '../../../domain/page/page-id';
import type { DurablePageStore, DurablePageStoreFactory, IndexDescriptorEntry } from '../../../domain/ports/page-store.port';
import { DISCARDING_DELTA_LOG, type DurableDeltaLog, type DurableDeltaLogFactory } from '../../../domain/ports/delta-log.port';
import { PersistentRegion } from '../../../domain/region/persistent-region';
import type { Region } from '../../../domain/region/region';
import type { RegionStats } from '../../../domain/region/data-region.events';
import { EngineNotAvailableError, InvalidArgumentError, StorageError, StorageIoError, TableExistsError } from '../../../domain/shared/errors';
import type { MvTableStorage, StorageEngine } from '../../../domain/storage/storage-engine.api';
import { EngineLifecycle } from '../engine-lifecycle';
import { regionStatsOf, tableMetricsOf, tablesUsing } from '../engine-tables';
import { checkTableDescriptor, checkTableId } from '../mv/mv-arguments';
import { PageMvTableStorage } from '../mv/page-mv-table-storage';
import type { DurabilityMetrics, TableMetrics } from '../node-metrics';
import type { EngineEvent, ProfileEngine } from '../profile-engine';
import { WriteCounter, SYSTEM_THROTTLE_CLOCK } from '../../../domain/throttling/write-gate';
import type { ThrottleClock } from '../../../domain/throttling/write-gate';
import { WriteThrottle } from './write-throttle';
import { durabilityMetricsOf } from './durability-metrics';
import { Checkpointer, type CheckpointTotals } from './checkpointer';
import type { PagePartitionSlot } from '../mv/page-partition-slot';
import { replayBatch } from '../mv/partition-replay';
import { recoverLog, type LogRecoveryResult } from './log-recovery-run';

/** A long replay reports its progress (`log.replayProgress`) at most this often. */
const PROGRESS_EVERY_MS = 250;

export interface AipersistEngineOptions {
  readonly config: ConfigService;
  /** The node's work dir; null: the engine is not available. */
  readonly workDir: string | null;
  readonly readOnly: boolean;
  readonly storeFactory: DurablePageStoreFactory;
  /** The write-ahead delta log of `<workDir>/log` (always opened: a log an earlier run left is recovered in any sync mode). */
  readonly logFactory: DurableDeltaLogFactory;
  /** Tests: every region's cache size instead of its profile's sizeBytes (a cache far smaller than the data). */
  readonly cacheSizeBytes?: number;
  /** Tests: every region's checkpoint buffer instead of DESIGN §3's size (a small one overflows into the spill area). */
  readonly checkpointBufferBytes?: number;
  /** Tests: the clock and timers of write throttling (a manual clock); default the system's. */
  readonly throttleClock?: ThrottleClock;
}

export class AipersistEngine implements ProfileEngine, StorageEngine {
  readonly name = 'aipersist' as const;
  readonly isVolatile = false;
  readonly #events = new Subject<EngineEvent>();
  /** Region events, the checkpointer's (`checkpoint.*`, `compaction.finished`, `log.*`) and throttling's (`throttling.*`). */
  readonly events$: Observable<EngineEvent> = this.#events.asObservable();
  /** Each region's write throttle (none on a read-only node) and write-closure counter. */
  readonly #throttles = new Map<string, WriteThrottle>();
  readonly #writes = new Map<string, WriteCounter>();
  readonly #regions = new Map<string, PersistentRegion>();
  readonly #tables = new Map<number, PageMvTableStorage>();
  readonly #tableProfiles = new WeakMap<PageMvTableStorage, string>();
  /** The profile each table id was opened on in this node (kept after close: its pages may be in that cache). */
  readonly #profileOfTable = new Map<number, string>();
  readonly #lifecycle = new EngineLifecycle('aipersist');
  #store: DurablePageStore | null = null;
  #checkpointer: Checkpointer | null = null;
  #log: DurableDeltaLog | null = null;
  /** Index descriptors per table, as its indexes file keeps them (loaded on first use). */
  readonly #descriptors = new Map<number, Map<number, IndexDescriptorEntry>>();

  constructor(private readonly opts: AipersistEngineOptions) {}

  get pageSize(): number {
    return this.opts.config.atOpen.engines.aipersist.pageSizeBytes;
  }

  /** Counters of the checkpoints and compactions so far. */
  checkpointTotals(): CheckpointTotals | null {
    return this.#checkpointer?.totals ?? null;
  }

  /** Resolves once no compaction runs (benchmarks and tests: the delta files are merged). */
  compactionIdle(): Promise<void> {
    return this.#checkpointer?.compactionIdle() ?? Promise.resolve();
  }

  start(): Promise<void> {
    return this.#lifecycle.start(() => {
      const { workDir, readOnly } = this.opts;
      if (workDir === null) return;
      const cpConfig = this.opts.config.atOpen.engines.aipersist.checkpoint;
      const store = this.opts.storeFactory(`${workDir}/db`, this.pageSize, { checkpoint: cpConfig.checkpointThreads, compaction: cpConfig.compactionThreads });
      if (!readOnly) store.recover();
      const log = this.opts.logFactory(`${workDir}/log`, this.opts.config.atOpen.engines.aipersist.deltaLog, readOnly);
      try {
        log.open();
      } catch (e) {
        store.close();
        throw e;
      }
      this.#store = store;
      this.#log = log;
      const checkpointer = new Checkpointer({
        config: cpConfig,
        regions: () => this.#regions.values(),
        store,
        log,
        // A manual throttle clock (tests) times the checkpoints too: their speed is what throttling paces against.
        ...(this.opts.throttleClock === undefined ? {} : { now: () => this.opts.throttleClock!.now() }),
      });
      this.#checkpointer = checkpointer;
      // Forwarding is observation only: nothing waits on these events.
      checkpointer.events$.subscribe((e) => {
        if (this.#events.observed) this.#events.next(e);
      });
      if (!readOnly) checkpointer.start();
    });
  }

  /** Writes a last checkpoint (not on a read-only node), then closes every table, region and file. */
  stop(): Promise<void> {
    return this.#lifecycle.stop(async () => {
      const checkpointer = this.#checkpointer;
      try {
        // Tables first: their partitions refuse writes from now on, so the last checkpoint has every change.
        for (const table of this.#tables.values()) await table.close();
        this.#tables.clear();
        try {
          await checkpointer?.stop(!this.opts.readOnly);
        } catch (e) {
          await checkpointer?.stopCompaction().catch(() => undefined);
          const code = (e as { code?: unknown }).code;
          throw new StorageIoError(
            `The last checkpoint at close could not be written (${typeof code === 'string' ? code : String(e)}): changes made since the last ` +
              'completed checkpoint are lost (the files hold that checkpoint, intact). Free disk space or fix the I/O error before closing; ' +
              'call node.checkpoint() first to see whether it succeeds',
            code === 'DISK_FULL' ? 'DISK_FULL' : 'STORAGE_IO',
            e,
          );
        }
        await checkpointer?.stopCompaction();
        await this.#log?.close();
      } finally {
        for (const region of this.#regions.values()) region.close();
        this.#regions.clear();
        this.#store?.close();
        checkpointer?.complete();
        this.#events.complete();
      }
    });
  }

  /**
   * Runs a checkpoint after the current closure; resolves when it finished. Nothing to do on a read-only node or one
   * without a work dir (no aipersist data can exist there).
   */
  async checkpoint(): Promise<void> {
    this.#lifecycle.check();
    if (this.opts.readOnly || this.#checkpointer === null) return;
    await this.#checkpointer.checkpoint('requested');
  }

  /** Page-cache counters per region, checkpoint and compaction totals, bytes on disk. */
  durabilityMetrics(): DurabilityMetrics {
    this.#lifecycle.check();
    return durabilityMetricsOf({
      regions: [...this.#regions.values()], totals: this.#checkpointer?.totals ?? null, log: this.#log, store: this.#store,
      throttles: [...this.#throttles.values()],
    });
  }

  /**
   * Recovery of one partition as it is created or opened: the log's batches after the position its checkpoint
   * covers, in order — from after the last destruction of the partition, whose earlier batches belong to a
   * partition that is gone. Its meta page then names the last batch replayed, and a checkpoint follows so that the
   * next open need not replay them again.
   */
  #replay(tableId: number, partitionId: number, slot: PagePartitionSlot, pm: PersistentRegion['pageMemory']): void {
    const log = this.#log;
    if (log === null) return;
    try {
      const t0 = performance.now();
      let count = 0;
      let first = 0;
      let last = 0;
      const openIndex = (id: number): void => this.#openLoggedIndex(tableId, slot, id);
      if (this.#progress.startedAt < 0) this.#progress.startedAt = this.#progress.at = t0;
      for (const { position, batch } of log.recovered(tableId, partitionId, slot.ctx.meta.checkpointPosition)) {
        replayBatch(slot, batch, openIndex);
        if (count++ === 0) first = position;
        last = position;
        if ((++this.#progress.tick & 255) === 0 && this.#events.observed) this.#replayProgress(tableId, partitionId, log);
      }
      if (count > 0) {
        log.replayTook(performance.now() - t0);
        slot.ctx.meta.setCheckpointPosition(last);
        if (this.#events.observed) {
          this.#events.next({ type: 'log.recovered', tableId, partitionId, batches: count, fromPosition: first, toPosition: last, millis: performance.now() - t0 });
        }
        if (!this.opts.readOnly) void this.#checkpointer?.checkpoint('recovery').catch(() => undefined);
      }
      log.forgetRecovered(tableId, partitionId);
    } catch (e) {
      // Nothing half-replayed may reach the files: the partition's cached pages go, the log keeps its batches.
      pm.forgetPartition(tableId, partitionId);
      throw e;
    }
  }

  /** When the replays began (first batch), the last progress reported: its time and twentieth of the log. */
  readonly #progress = { tick: 0, startedAt: -1, at: 0, step: 0 };

  /** `log.replayProgress` at each twentieth of the batches the log held at open, and at least every PROGRESS_EVERY_MS. */
  #replayProgress(tableId: number, partitionId: number, log: DurableDeltaLog): void {
    const m = log.metrics();
    const now = performance.now();
    const p = this.#progress;
    const step = Math.floor((m.replayedRecords * 20) / Math.max(1, m.recoveredRecords));
    if (step <= p.step && now - p.at < PROGRESS_EVERY_MS) return;
    p.step = step;
    p.at = now;
    this.#events.next({ type: 'log.replayProgress', tableId, partitionId, replayed: m.replayedRecords, recovered: m.recoveredRecords, millis: now - p.startedAt });
  }

  /**
   * An index a replayed batch writes to that exists on the partition's pages but is not open (its creation is
   * covered by the checkpoint): opened with the descriptor the table's indexes file keeps, as a create with its id
   * would. Nothing happens when the pages do not have it (the replay then reports the record as corrupt).
   */
  #openLoggedIndex(tableId: number, slot: PagePartitionSlot, id: number): void {
    if (slot.indexes.has(id) || slot.ctx.indexMeta.get(id) === null) return;
    const entry = this.#indexDescriptors(tableId).get(id);
    if (entry?.sorted != null) slot.createSortedIndex(entry.sorted);
    else if (entry?.hash != null) slot.createHashIndex(entry.hash);
  }

  #indexDescriptors(tableId: number): Map<number, IndexDescriptorEntry> {
    let known = this.#descriptors.get(tableId);
    if (known === undefined) {
      known = new Map(this.#requireStore().indexDescriptors(tableId).map((e) => [(e.sorted ?? e.hash)!.id, e]));
      this.#descriptors.set(tableId, known);
    }
    return known;
  }

  /**
   * Saves a descriptor the table's indexes file does not have yet, durably, before any batch can name the index. Only
   * a logging node needs them (sync mode none replays nothing; switched to a logging mode, a create saves it then).
   */
  #keepIndexDescriptor(tableId: number, entry: IndexDescriptorEntry): void {
    if (this.opts.readOnly || this.#log?.wantsRecords !== true) return;
    const known = this.#indexDescriptors(tableId);
    const id = (entry.sorted ?? entry.hash)!.id;
    if (JSON.stringify(known.get(id)) === JSON.stringify(entry)) return;
    known.set(id, entry);
    this.#requireStore().saveIndexDescriptors(tableId, [...known.values()]);
  }

  region(profile: StorageProfileConfig): Region {
    this.#lifecycle.check();
    if (profile.engine !== 'aipersist') {
      throw new InvalidArgumentError(`Storage profile '${profile.name}' uses engine '${profile.engine}', not aipersist`);
    }
    let region = this.#regions.get(profile.name);
    if (region === undefined) {
      region = new PersistentRegion({
        name: profile.name,
        pageSize: this.pageSize,
        sizeBytes: this.opts.cacheSizeBytes ?? profile.sizeBytes,
        replacementMode: profile.replacementMode,
        ...(this.opts.checkpointBufferBytes === undefined ? {} : { checkpointBufferBytes: this.opts.checkpointBufferBytes }),
        store: this.#requireStore(`Storage profile '${profile.name}'`),
      });
      const checkpointer = this.#checkpointer;
      if (checkpointer !== null && !this.opts.readOnly) {
        region.pageMemory.onDirtyHigh = () => checkpointer.dirtyPagesHigh();
        this.#throttles.set(profile.name, this.#throttle(profile.name, region, checkpointer));
      }
      this.#writes.set(profile.name, new WriteCounter());
      // Forwarding is observation only: nothing waits on these events.
      region.events$.subscribe((e) => {
        if (this.#events.observed) this.#events.next(e);
      });
      this.#regions.set(profile.name, region);
    }
    return region;
  }

  #throttle(name: string, region: PersistentRegion, checkpointer: Checkpointer): WriteThrottle {
    return new WriteThrottle({
      region: name,
      config: this.opts.config.atOpen.engines.aipersist.throttling,
      memory: region.pageMemory,
      progress: checkpointer.progress,
      closures: () => this.#writes.get(name)?.closures ?? 0,
      clock: this.opts.throttleClock ?? SYSTEM_THROTTLE_CLOCK,
      // Observation only: nothing waits on these events.
      emit: (e) => {
        if (this.#events.observed) this.#events.next(e);
      },
    });
  }

  /** Write closures run on this engine's tables since open (every region). */
  writeClosures(): number {
    let n = 0;
    for (const c of this.#writes.values()) n += c.closures;
    return n;
  }

  /**
   * An MV table in the region of `storageProfile` (an aipersist profile): the table's files if it has any (its
   * partitions open with their data as they are created again), else a new one. An id whose table is open here is
   * refused with TableExistsError.
   */
  createMvTable(desc: { tableId: number; partitions: number; storageProfile: string }): MvTableStorage {
    this.#lifecycle.check();
    checkTableDescriptor(desc);
    const old = this.#tables.get(desc.tableId);
    if (old?.isOpen) throw new TableExistsError(desc.tableId);
    const before = this.#profileOfTable.get(desc.tableId);
    if (before !== undefined && before !== desc.storageProfile) {
      throw new InvalidArgumentError(
        `Table ${desc.tableId} was opened on storage profile '${before}' in this node; open it on '${before}' again (its pages may still be in that profile's cache), or destroy it first`,
      );
    }
    const region = this.region(this.opts.config.profile(desc.storageProfile)) as PersistentRegion;
    this.#profileOfTable.set(desc.tableId, desc.storageProfile);
    const pm = region.pageMemory;
    const store = this.#requireStore();
    const { tableId } = desc;
    const table = new PageMvTableStorage({
      tableId,
      partitions: desc.partitions,
      groupId: tableId,
      pageMemory: pm,
      deltaLog: this.#log ?? DISCARDING_DELTA_LOG,
      volatile: false,
      ...(this.#throttles.has(desc.storageProfile) ? { gate: this.#throttles.get(desc.storageProfile)! } : {}),
      writes: this.#writes.get(desc.storageProfile)!,
      recover: (p, slot) => this.#replay(tableId, p, slot, pm),
      onIndex: (entry) => this.#keepIndexDescriptor(tableId, entry),
      storedMetaPage: (p) => (pm.hasPartition(tableId, p) ? pageId(FLAG_AUX, p, 1) : null),
      flush: () => (this.opts.readOnly ? Promise.resolve() : this.#requireCheckpointer().checkpoint('flush')),
      onPartitionDestroyed: async (p) => {
        pm.forgetPartition(tableId, p);
        if (this.opts.readOnly) return;
        // The destroy record is durable before the files go: a power loss between must not bring the batches back.
        await this.#log?.sync();
        this.#log?.forgetRecovered(tableId, p);
        store.destroyPartition(tableId, p);
      },
      onDestroyed: async (t) => {
        if (this.#tables.get(t.tableId) === t) this.#tables.delete(t.tableId);
        this.#profileOfTable.delete(t.tableId);
        for (let p = 0; p < t.partitions; p++) pm.forgetPartition(tableId, p);
        this.#descriptors.delete(tableId);
        if (!this.opts.readOnly) await this.#destroyLogged(tableId);
      },
    });
    this.#tables.set(tableId, table);
    this.#tableProfiles.set(table, desc.storageProfile);
    return table;
  }

  /**
   * Replays now every batch the delta log holds for tables not open in this node (log-recovery-run.ts), checkpoints,
   * and closes them again. Nothing to do on a read-only node or without a log.
   */
  async recoverLog(): Promise<LogRecoveryResult> {
    this.#lifecycle.check();
    const log = this.#log;
    if (log === null || this.opts.readOnly) return { tables: 0, partitions: 0, batches: 0, millis: 0 };
    return recoverLog({
      log,
      isTableOpen: (id) => this.#tables.get(id)?.isOpen === true,
      openTable: (tableId, partitions) => this.createMvTable({ tableId, partitions, storageProfile: this.#profileOfTable.get(tableId) ?? DEFAULT_PROFILE_NAME }),
      checkpoint: () => this.#requireCheckpointer().checkpoint('recovery'),
      closeTable: async (table, tableId, written) => {
        await table.close();
        if (!written) return;
        if (this.#tables.get(tableId) === table) this.#tables.delete(tableId);
        for (const region of this.#regions.values()) region.pageMemory.forgetGroup(tableId);
        this.#profileOfTable.delete(tableId);
      },
    });
  }

  async destroyMvTable(tableId: number): Promise<void> {
    this.#lifecycle.check();
    checkTableId(tableId);
    const open = this.#tables.get(tableId);
    if (open !== undefined) {
      await open.destroy();
      return;
    }
    this.#profileOfTable.delete(tableId);
    this.#descriptors.delete(tableId);
    if (!this.opts.readOnly && this.#store !== null) {
      for (const region of this.#regions.values()) region.pageMemory.forgetGroup(tableId);
      await this.#destroyLogged(tableId);
    }
  }

  /**
   * A table's files go only after the log says so durably: a destroy record for every partition whose batches the
   * log still holds from an earlier run (open partitions appended theirs when destroyed), synced first — else a
   * power loss after the files went would bring those batches back into a table created again with this id.
   */
  async #destroyLogged(tableId: number): Promise<void> {
    const log = this.#log;
    if (log !== null && log.wantsRecords) {
      for (const p of log.recoveredPartitions(tableId)) log.append(tableId, p, [{ type: 'partition.destroyed' }]);
      await log.sync();
    }
    log?.dropRecovered(tableId);
    this.#requireStore().destroyTable(tableId);
  }

  tablesUsing(profileName: string): readonly number[] {
    this.#lifecycle.check();
    return tablesUsing(this.#tables, (t) => this.#tableProfiles.get(t), profileName);
  }

  /** A region cannot go while a checkpoint writes (its pages may be in it): CHECKPOINT_RUNNING. */
  checkDropRegion(profileName: string): void {
    if (!this.#regions.has(profileName)) return;
    if (this.#checkpointer?.busy === true) {
      throw new StorageError(`Storage profile '${profileName}' cannot be removed while a checkpoint runs; retry when it finished (node.checkpoint())`, 'CHECKPOINT_RUNNING');
    }
    // Its dirty pages are written now, before the profile goes: the tables' files outlive the cache (DISK_FULL here
    // leaves the configuration as it was).
    if (!this.opts.readOnly) this.#checkpointer?.runNow('requested');
  }

  dropRegion(profileName: string): void {
    this.#lifecycle.check();
    const region = this.#regions.get(profileName);
    if (region === undefined) return;
    this.checkDropRegion(profileName);
    this.#regions.delete(profileName);
    region.close();
    for (const [tableId, profile] of this.#profileOfTable) if (profile === profileName) this.#profileOfTable.delete(tableId);
  }

  tableMetrics(): TableMetrics[] {
    this.#lifecycle.check();
    return tableMetricsOf('aipersist', this.#tables, (t) => this.#tableProfiles.get(t), this.#store?.tableDiskBytes() ?? new Map());
  }

  regionStats(): ReadonlyMap<string, RegionStats> {
    this.#lifecycle.check();
    return regionStatsOf(this.#regions);
  }

  /** Bytes of the engine's files on disk (0 without a work dir). */
  diskBytes(): number {
    return this.#store?.diskBytes() ?? 0;
  }

  #requireStore(what = 'aipersist'): DurablePageStore {
    if (this.#store === null) {
      throw new EngineNotAvailableError(
        `${what} needs the node's work dir (aipersist keeps its data there), and this node has none: open it with ` +
          "openNode({ workDir: '<dir>' }), or use an aimem profile for data that need not survive the process",
      );
    }
    return this.#store;
  }

  #requireCheckpointer(): Checkpointer {
    this.#requireStore();
    return this.#checkpointer!;
  }
}

