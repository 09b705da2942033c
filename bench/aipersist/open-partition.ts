/**
 * The aipersist benches' one table: a node on `workDir` with the `bench` profile, table 1, its partition 0 and a
 * sorted primary index on INT64 `id` — opened step by step with the hrtime (ns) after each of openNode,
 * createMvTable, createMvPartition and createSortedIndex (new or existing files alike). Shared by
 * bench/aipersist/child.ts and bench/delta-log/aipersist-subject.ts.
 */
import type { StorageConfigInput } from '../../src/interfaces/api/index';
import type { StorageNode } from '../../src/interfaces/api/storage-node';
import type { MvPartitionStorage, SortedIndexStorage } from '../../src/domain/storage/storage-engine.api';

export const BENCH_PROFILE = 'bench';
const TABLE_ID = 1;
const PK = { id: 1, columns: [{ name: 'id', type: 'INT64', nullable: false, asc: true }], primary: true } as const;

export interface OpenedPartition {
  readonly node: StorageNode;
  readonly part: MvPartitionStorage;
  readonly index: SortedIndexStorage;
  /** hrtime (ns) after each of the four steps. */
  readonly marks: bigint[];
}

/** `engines`: the aipersist engine keys (checkpoint, deltaLog, ...); the profile is `bench` of `sizeBytes`. */
export async function openBenchPartition(
  api: typeof import('../../src/interfaces/api/index'), workDir: string, sizeBytes: number,
  engines?: NonNullable<NonNullable<NonNullable<StorageConfigInput['ignite']>['storage']>['engines']>,
): Promise<OpenedPartition> {
  const marks: bigint[] = [];
  const profiles = [{ engine: 'aipersist' as const, name: BENCH_PROFILE, sizeBytes }];
  const node = await api.openNode({ workDir, config: { ignite: { storage: { ...(engines === undefined ? {} : { engines }), profiles } } } });
  marks.push(process.hrtime.bigint());
  const table = node.engine('aipersist').createMvTable({ tableId: TABLE_ID, partitions: 1, storageProfile: BENCH_PROFILE });
  marks.push(process.hrtime.bigint());
  const part = await table.createMvPartition(0);
  marks.push(process.hrtime.bigint());
  const index = table.createSortedIndex(0, PK);
  marks.push(process.hrtime.bigint());
  return { node, part, index, marks };
}
