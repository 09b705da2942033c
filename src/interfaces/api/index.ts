/**
 * aistorage's public surface: the package's only entry point.
 */
export { openNode, type OpenNodeOptions, type OpenNodeHooks } from './open-node';
export { StorageNode, type NodeEvent, type NodeStats, type ProfileInfo, type NodeConfig } from './storage-node';
export { TOKENS } from '../composition/tokens';
export { streamsOf } from './partition-streams';
export type { PartitionStreams } from '../../domain/partition/partition';
export type { PartitionEvent, CommittedChange } from '../../domain/partition/partition.events';

export * from '../../domain/shared/errors';

export type {
  StorageConfig, StorageProfileConfig, AimemProfile, AipersistProfile, SyncMode, ReplacementMode,
} from '../../application/config/config.model';
export type { ConfigUpdateResult } from '../../application/config/config-service';

export type { DataRegion } from '../../domain/region/data-region';
export type { RegionEvent, RegionStats } from '../../domain/region/data-region.events';
export type { PageMemory } from '../../domain/page-memory/page-memory.port';
export { PageView } from '../../domain/page-memory/page-memory.port';
export type { MemoryProvider } from '../../domain/ports/memory-provider.port';
export type { Clock } from '../../domain/ports/clock.port';
export { pageId, pageIndex, partitionIdOf, flagsOf, FLAG_DATA, FLAG_AUX } from '../../domain/page/page-id';

export { RowId } from '../../domain/storage/row-id';
export { HybridTimestamp, HybridClock, hybridTimestamp, physicalOf, logicalOf, MIN_VALUE, MAX_VALUE } from '../../domain/storage/hybrid-timestamp';
export type { BinaryRow } from '../../domain/storage/binary-row';
export type { Cursor, PeekCursor } from '../../domain/storage/cursor';
export { ColumnType } from '../../domain/storage/column-type';
export {
  GREATER, GREATER_OR_EQUAL, LESS, LESS_OR_EQUAL,
  type SortedIndexDescriptor, type HashIndexDescriptor, type SortedIndexColumn, type HashIndexColumn, type IndexRow,
} from '../../domain/storage/index-descriptors';
export type {
  ReadResult, AddWriteResult, CommitResult, AbortResult, AddWriteCommittedResult, GcEntry,
} from '../../domain/storage/results';
export type {
  StorageEngine, EngineName, MvTableStorage, MvPartitionStorage, PartitionTimestampCursor, Locker, IndexStorage,
  SortedIndexStorage, HashIndexStorage,
} from '../../domain/storage/storage-engine.api';
