/**
 * A table of the catalog opened on its storage profile's engine: one MvPartitionStorage per partition of its zone,
 * each with the primary-key index (sorted, index id 0, key → RowId) and the table's secondary indexes (ids from the
 * catalog). Rows are hash-partitioned by the encoded primary key (MurmurHash3 of the hash-key bytes, modulo the zone's
 * partition count), so a key always lands in the same partition across restarts and processes.
 */
import { Subject, type Observable } from 'rxjs';
import { KeyEncoder } from '../../domain/index/key-codec';
import type { KeyColumn } from '../../domain/index/column-values';
import { hashKey, hashKeyPlan } from '../../domain/index/key-hash';
import type { HashIndexStorage, MvPartitionStorage, MvTableStorage, SortedIndexStorage, IndexStorage } from '../../domain/storage/storage-engine.api';
import type { BinaryRow } from '../../domain/storage/binary-row';
import type { SortedIndexColumn } from '../../domain/storage/index-descriptors';
import { DataCorruptionError } from '../../domain/shared/errors';
import { hashKeyColumn, sortedKeyColumn } from '../../domain/table/key-columns';
import { RowCodec, upgradeValues } from '../../domain/table/row-codec';
import type { TableSchema } from '../../domain/table/table-schema';
import type { IndexState, TableState } from '../catalog/catalog-types';

/** The primary-key index's id in every table (catalog index ids start at 1). */
export const PK_INDEX_ID = 0;

/** A committed change of one row, as `table.changes$` emits it (DESIGN.md §9). */
export interface TableChange<Row = Record<string, unknown>> {
  readonly key: Record<string, unknown>;
  readonly oldRow: Row | null;
  readonly newRow: Row | null;
  readonly commitTimestamp: bigint;
}

/** A secondary index open in one partition, with what its key is made of. */
export interface OpenIndex {
  readonly state: IndexState;
  readonly storage: IndexStorage;
  /** The key columns the index storage was created with (sorted: with their order). */
  readonly keyColumns: readonly KeyColumn[];
  /** Positions of the index's columns in the current schema's values. */
  readonly positions: readonly number[];
}

/** One partition of an open table. */
export class TablePartition {
  /** Secondary indexes by catalog id (building ones included: writes keep them current). */
  readonly indexes = new Map<number, OpenIndex>();
  /**
   * Commit timestamps of one-partition commits whose record is not durable yet, with a promise resolved once it is
   * (or failed): a reader meeting such a version waits (tx-engine.ts).
   */
  readonly inflight = new Map<bigint, Promise<void>>();

  constructor(
    readonly table: OpenTable,
    readonly id: number,
    readonly mv: MvPartitionStorage,
    readonly pk: SortedIndexStorage,
  ) {}
}

export class OpenTable {
  readonly partitions: TablePartition[] = [];
  readonly #changes = new Subject<TableChange>();
  /** Committed changes (DESIGN.md §9 `changes$`); completes when the table is dropped or the node closes. */
  readonly changes$: Observable<TableChange> = this.#changes.asObservable();
  #state: TableState;
  #codecs = new Map<number, RowCodec>();
  #keyPositions: number[] = [];
  readonly #hashEncoder: KeyEncoder;
  #dropped = false;
  /** The primary-key index's key columns (ascending, in key order). */
  readonly pkColumns: readonly SortedIndexColumn[];

  constructor(state: TableState, readonly storage: MvTableStorage, readonly durable: boolean) {
    this.#state = state;
    this.#hashEncoder = new KeyEncoder(hashKeyPlan(this.#keyColumns(state.schemas.at(-1)!).map(hashKeyColumn)));
    this.pkColumns = this.#keyColumns(state.schemas.at(-1)!).map((c) => sortedKeyColumn(c, true));
    this.#refresh(state);
  }

  get state(): TableState {
    return this.#state;
  }

  get name(): string {
    return this.#state.name;
  }

  get schema(): TableSchema {
    return this.#state.schemas.at(-1)!;
  }

  get isDropped(): boolean {
    return this.#dropped;
  }

  /** Positions of the primary-key columns in the current schema's values. */
  get keyPositions(): readonly number[] {
    return this.#keyPositions;
  }

  /** The new catalog state of the table (a column added or dropped). */
  update(state: TableState): void {
    this.#state = state;
    this.#refresh(state);
    const columns = this.schema.columns;
    for (const part of this.partitions) {
      for (const [id, open] of part.indexes) {
        const positions = open.state.columns.map((c) => columns.findIndex((s) => s.name === c.name));
        part.indexes.set(id, { ...open, positions });
      }
    }
  }

  /** The partition a primary key (normalized values, key order) belongs to. */
  partitionOf(key: readonly unknown[]): TablePartition {
    if (this.partitions.length === 1) return this.partitions[0]!; // nothing to choose: no key hashing
    const len = this.#hashEncoder.encodeFull(key);
    const p = hashKey(this.#hashEncoder.buffer, 0, len) % this.partitions.length;
    return this.partitions[p]!;
  }

  /** The row's bytes under the current schema (valid until the next encode). */
  encode(values: readonly unknown[]): BinaryRow {
    const schema = this.schema;
    return { schemaVersion: schema.version, bytes: this.#codec(schema.version).encode(values) };
  }

  /**
   * A stored row's values under the current schema (rows of older versions are read through it). `row` must be one a
   * storage call handed out (the caller's for good): VARBINARY values are views into its bytes.
   */
  decode(row: BinaryRow): unknown[] {
    return this.#decode(row, true, null);
  }

  /**
   * decode() of a row whose bytes the caller does not keep (a transient scan row): every value is a copy. `wanted`
   * (one byte per column of schema version `wantedVersion`, 0: not wanted) leaves unwanted columns null, undecoded,
   * when the row and the current schema are of that version (any other row is decoded whole).
   */
  decodeCopy(row: BinaryRow, wanted: Uint8Array | null = null, wantedVersion = -1): unknown[] {
    return this.#decode(row, false, row.schemaVersion === wantedVersion ? wanted : null);
  }

  #decode(row: BinaryRow, owned: boolean, wanted: Uint8Array | null): unknown[] {
    const current = this.schema;
    const codec = this.#codec(row.schemaVersion);
    if (wanted !== null && row.schemaVersion === current.version) return codec.decodeSome(row.bytes, wanted, owned);
    const values = owned ? codec.decodeOwned(row.bytes) : codec.decode(row.bytes);
    if (row.schemaVersion === current.version) return values;
    return upgradeValues(this.#schemaOf(row.schemaVersion), current, values);
  }

  /** The key values of a full row (current schema). */
  keyOf(values: readonly unknown[]): unknown[] {
    return this.#keyPositions.map((i) => values[i]);
  }

  /** The values of an index's columns in a full row. */
  indexKeyOf(index: OpenIndex, values: readonly unknown[]): unknown[] {
    return index.positions.map((i) => values[i]);
  }

  /** Opens a secondary index in every partition (creating it when new). */
  openIndex(state: IndexState): void {
    const schema = this.schema;
    const positions = state.columns.map((c) => schema.columns.findIndex((s) => s.name === c.name));
    for (const part of this.partitions) {
      const cols = positions.map((pos) => schema.columns[pos]!);
      const keyColumns = state.type === 'HASH'
        ? cols.map(hashKeyColumn)
        : cols.map((c, i) => sortedKeyColumn(c, state.columns[i]!.order === 'ASC'));
      const storage: IndexStorage = state.type === 'HASH'
        ? this.storage.createHashIndex(part.id, { id: state.id, columns: keyColumns }) as HashIndexStorage
        : this.storage.createSortedIndex(part.id, { id: state.id, columns: keyColumns as SortedIndexColumn[] });
      part.indexes.set(state.id, { state, storage, keyColumns, positions });
    }
  }

  /** The catalog marked an index available (or changed it): every partition's handle gets the new state. */
  indexStateChanged(state: IndexState): void {
    for (const part of this.partitions) {
      const open = part.indexes.get(state.id);
      if (open !== undefined) part.indexes.set(state.id, { ...open, state });
    }
  }

  closeIndex(indexId: number): void {
    for (const part of this.partitions) part.indexes.delete(indexId);
  }

  /** Opens (or creates) every partition with its primary-key index. */
  async openPartitions(count: number): Promise<void> {
    const pkColumns = this.pkColumns;
    for (let p = 0; p < count; p++) {
      const mv = this.storage.getMvPartition(p) ?? (await this.storage.createMvPartition(p));
      const pk = this.storage.createSortedIndex(p, { id: PK_INDEX_ID, columns: pkColumns, primary: true });
      this.partitions.push(new TablePartition(this, p, mv, pk));
    }
  }

  emit(change: TableChange): void {
    if (this.#changes.observed) this.#changes.next(change);
  }

  get hasChangeSubscribers(): boolean {
    return this.#changes.observed;
  }

  /** The table was dropped or the node closes: completes changes$. */
  markDropped(): void {
    this.#dropped = true;
    this.#changes.complete();
  }

  #keyColumns(schema: TableSchema) {
    return schema.primaryKey.map((name) => schema.columns.find((c) => c.name === name)!);
  }

  #refresh(state: TableState): void {
    const schema = state.schemas.at(-1)!;
    this.#keyPositions = schema.primaryKey.map((name) => schema.columns.findIndex((c) => c.name === name));
  }

  #schemaOf(version: number): TableSchema {
    const schema = this.#state.schemas.find((s) => s.version === version);
    if (schema === undefined) {
      throw new DataCorruptionError(
        `Table '${this.name}' holds a row of schema version ${version}, which its catalog does not know (versions 1..${this.schema.version})`);
    }
    return schema;
  }

  #codec(version: number): RowCodec {
    let codec = this.#codecs.get(version);
    if (codec === undefined) {
      codec = new RowCodec(this.#schemaOf(version));
      this.#codecs.set(version, codec);
    }
    return codec;
  }
}
