/**
 * A seeded random workload over one partition of an MvTableStorage and its indexes — every kind of state change
 * the SPI has: addWrite / commitWrite / abortWrite / addWriteCommitted / vacuum, index put / remove (long keys
 * included, so overflow rows and their pending lists appear), setNextRowIdToBuild, lastApplied, the committed group
 * configuration, leases, and now and then a clear — and `partitionPicture`, everything the SPI lets a caller read
 * of that partition, for comparing two instances (a reopened or a replayed one against the original).
 */
import type { MvPartitionStorage, MvTableStorage, SortedIndexStorage, HashIndexStorage } from '../../src/domain/storage/storage-engine.api';
import type { HashIndexDescriptor, SortedIndexDescriptor } from '../../src/domain/storage/index-descriptors';
import { MAX_VALUE, MIN_VALUE } from '../../src/domain/storage/hybrid-timestamp';
import type { BinaryRow } from '../../src/domain/storage/binary-row';
import type { ReadResult } from '../../src/domain/storage/results';
import { RowId } from '../../src/domain/storage/row-id';
import type { SeededRandom } from '../contract/support/seeded-random';
import { bigRow, drain, rowPicture } from '../contract/support/rows';

export const WORKLOAD_SORTED: SortedIndexDescriptor = {
  id: 11,
  columns: [{ name: 'name', type: 'STRING', nullable: true, asc: true }, { name: 'n', type: 'INT64', nullable: false, asc: false }],
};
export const WORKLOAD_PRIMARY: SortedIndexDescriptor = {
  id: 12, primary: true, columns: [{ name: 'id', type: 'INT64', nullable: false, asc: true }],
};
export const WORKLOAD_HASH: HashIndexDescriptor = { id: 13, columns: [{ name: 'tag', type: 'STRING', nullable: false }] };

/** The partition's storages as the workload uses them. */
export interface WorkloadTarget {
  readonly table: MvTableStorage;
  readonly partitionId: number;
  readonly mv: MvPartitionStorage;
  readonly sorted: SortedIndexStorage;
  readonly primary: SortedIndexStorage;
  readonly hash: HashIndexStorage;
}

/** Creates (or, on a reopened partition, opens again) the workload's three indexes. */
export function workloadIndexes(table: MvTableStorage, partitionId: number): Pick<WorkloadTarget, 'sorted' | 'primary' | 'hash'> {
  return {
    sorted: table.createSortedIndex(partitionId, WORKLOAD_SORTED),
    primary: table.createSortedIndex(partitionId, WORKLOAD_PRIMARY),
    hash: table.createHashIndex(partitionId, WORKLOAD_HASH),
  };
}

/** What a workload closure throws on purpose after its change. */
export class WorkloadAbort extends Error {}

export class PartitionWorkload {
  readonly rowIds: RowId[];
  readonly #txs: string[];
  /** Index entries believed present (key JSON → entry) so that removes mostly hit. */
  readonly #entries = new Map<string, { index: 'sorted' | 'primary' | 'hash'; key: unknown[]; rowId: RowId }>();
  #clock = 1_000_000n;
  #rows = 0;

  constructor(private readonly rnd: SeededRandom, partitionId: number, rowCount = 120) {
    const edges = [RowId.lowest(partitionId), RowId.highest(partitionId)];
    this.rowIds = [...edges, ...Array.from({ length: rowCount - edges.length }, () => new RowId(partitionId, rnd.long(), rnd.long()))];
    this.#txs = Array.from({ length: 6 }, () => rnd.uuid());
  }

  /** The timestamps the workload used so far lie below this one. */
  get now(): bigint {
    return this.#clock;
  }

  /** Runs `operations` random steps; `allowClear` lets about one step in 300 be a clear. */
  async run(t: WorkloadTarget, operations: number, allowClear = true): Promise<void> {
    for (let i = 0; i < operations; i++) {
      if (allowClear && this.rnd.chance(1 / 300)) {
        await t.table.clearPartition(t.partitionId);
        this.#entries.clear();
        continue;
      }
      try {
        this.step(t, this.rnd.chance(0.03));
      } catch (e) {
        if (!(e instanceof WorkloadAbort)) throw e;
      }
    }
  }

  /** One random change in its own closure; `thenThrow`: the closure throws after it (what it did stays). */
  step(t: WorkloadTarget, thenThrow = false): void {
    const rnd = this.rnd;
    const p = rnd.next();
    t.mv.runConsistently(() => {
      if (p < 0.2) this.#addWrite(t);
      else if (p < 0.32) this.#commit(t);
      else if (p < 0.38) this.#abort(t);
      else if (p < 0.55) t.mv.addWriteCommitted(this.#rowId(), this.#row(0.2), this.#tick());
      else if (p < 0.62) this.#vacuum(t);
      else if (p < 0.82) this.#indexWrite(t);
      else if (p < 0.86) t.mv.lastApplied(rnd.int(1_000_000), rnd.int(50));
      else if (p < 0.89) t.mv.committedGroupConfiguration(bigRow(1 + rnd.int(rnd.chance(0.2) ? 3000 : 40), rnd.int(1e9)).bytes);
      else if (p < 0.92) t.mv.updateLease(this.#clock - BigInt(rnd.int(2000)), rnd.uuid(), `node-${rnd.int(100)}`.repeat(1 + rnd.int(3)));
      else this.#setBuildState(t);
      if (thenThrow) throw new WorkloadAbort();
    });
  }

  #tick(): bigint {
    this.#clock += BigInt(1 + this.rnd.int(5));
    return this.#clock;
  }

  #rowId(): RowId {
    return this.rnd.chance(0.6) ? this.rowIds[2 + this.rnd.int(12)]! : this.rnd.pick(this.rowIds);
  }

  #row(tombstoneChance: number): BinaryRow | null {
    if (this.rnd.chance(tombstoneChance)) return null;
    const n = ++this.#rows;
    return bigRow(this.rnd.chance(0.05) ? 2000 + this.rnd.int(40_000) : this.rnd.int(120), n, n % 7);
  }

  #addWrite(t: WorkloadTarget): void {
    t.mv.addWrite(this.#rowId(), this.#row(0.2), this.rnd.pick(this.#txs), 3, t.partitionId);
  }

  #intentOf(t: WorkloadTarget): { rowId: RowId; tx: string } | null {
    for (let k = 0; k < 6; k++) {
      const rowId = this.#rowId();
      const head = t.mv.read(rowId, MAX_VALUE);
      if (head.isWriteIntent) return { rowId, tx: head.transactionId! };
    }
    return null;
  }

  #commit(t: WorkloadTarget): void {
    const intent = this.#intentOf(t);
    if (intent !== null) t.mv.commitWrite(intent.rowId, this.#tick(), intent.tx);
  }

  #abort(t: WorkloadTarget): void {
    const intent = this.#intentOf(t);
    if (intent !== null) t.mv.abortWrite(intent.rowId, intent.tx);
  }

  #vacuum(t: WorkloadTarget): void {
    const lw = this.rnd.chance(0.5) ? MAX_VALUE : this.#clock - BigInt(this.rnd.int(200));
    for (const entry of t.mv.peek(lw, 1 + this.rnd.int(3))) t.mv.vacuum(entry);
  }

  #indexWrite(t: WorkloadTarget): void {
    const rnd = this.rnd;
    if (rnd.chance(0.35) && this.#entries.size > 0) {
      const [k, e] = [...this.#entries.entries()][rnd.int(this.#entries.size)]!;
      this.#entries.delete(k);
      t[e.index].remove({ key: e.key, rowId: e.rowId });
      return;
    }
    const which = rnd.pick(['sorted', 'primary', 'hash'] as const);
    const key = which === 'primary' ? [BigInt(rnd.int(400))]
      : which === 'hash' ? [`tag-${rnd.int(30)}`]
        : [rnd.chance(0.1) ? null : `name-${rnd.int(50)}`.padEnd(rnd.chance(0.3) ? 500 + rnd.int(3000) : 8, 'x'), BigInt(rnd.int(20) - 10)];
    const rowId = this.#rowId();
    t[which].put({ key, rowId });
    this.#entries.set(JSON.stringify([which, key, rowId.toString()], (_k, v) => (typeof v === 'bigint' ? `${v}n` : v)), { index: which, key, rowId });
  }

  #setBuildState(t: WorkloadTarget): void {
    const index = this.rnd.chance(0.5) ? t.sorted : t.hash;
    const r = this.rnd.next();
    index.setNextRowIdToBuild(r < 0.3 ? null : r < 0.5 ? RowId.lowest(t.partitionId) : this.#rowId());
  }
}

const pictureOf = (r: ReadResult): unknown => ({ ...r, rowId: r.rowId.toString(), binaryRow: rowPicture(r.binaryRow) });

/** Everything the SPI reads of the partition and its indexes (allocates freely; for tests). */
export function partitionPicture(t: WorkloadTarget, rowIds: readonly RowId[], now: bigint): unknown {
  const mv = t.mv;
  const stamps = [MAX_VALUE, now, now - 50n, now - 400n, MIN_VALUE];
  const indexState = (i: SortedIndexStorage | HashIndexStorage) => i.getNextRowIdToBuild()?.toString() ?? null;
  const sortedEntries = (i: SortedIndexStorage) => drain(i.tolerantScan(null, null, 0)).map((e) => [e.key, e.rowId.toString()]);
  return JSON.parse(JSON.stringify({
    versions: rowIds.map((id) => drain(mv.scanVersions(id)).map(pictureOf)),
    reads: rowIds.map((id) => stamps.map((ts) => pictureOf(mv.read(id, ts)))),
    scans: stamps.map((ts) => drain(mv.scan(ts)).map(pictureOf)),
    closest: mv.closestRowId(RowId.lowest(t.partitionId))?.toString() ?? null,
    highest: mv.highestRowId()?.toString() ?? null,
    estimatedSize: mv.estimatedSize(),
    lastApplied: [mv.lastAppliedIndex(), mv.lastAppliedTerm()],
    groupConfig: rowPicture(mv.committedGroupConfiguration() === null ? null : { schemaVersion: 0, bytes: mv.committedGroupConfiguration()! }),
    lease: [mv.leaseStartTime(), mv.primaryReplicaNodeId(), mv.primaryReplicaNodeName()],
    gc: mv.peek(MAX_VALUE, 1_000_000).map((e) => `${e.rowId}@${e.timestamp}`),
    buildState: [indexState(t.sorted), indexState(t.primary), indexState(t.hash)],
    sorted: sortedEntries(t.sorted),
    primary: sortedEntries(t.primary),
    hash: t.hash.getNextRowIdToBuild() !== null ? 'building' : Array.from({ length: 30 }, (_, k) => drain(t.hash.get([`tag-${k}`])).map(String)),
  }, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v)));
}
