/**
 * aistorage's public surface: the package's main entry (`aistorage`). What a user of the node needs, and nothing of
 * its inside: page memory, page views and page ids, the DI container, its tokens and the adapter ports are in
 * `./testing` (`aistorage/testing`), the entry for adapter-swap tests and embedders who rebind adapters.
 * test/integration/public-api.test.ts pins what this entry exports; .dependency-cruiser.cjs keeps it from
 * importing those internals.
 */
export { openNode, type OpenNodeOptions } from './open-node';
export { StorageNode, type NodeEvent, type NodeStats, type ProfileInfo, type NodeConfig } from './storage-node';
export { streamsOf } from './partition-streams';
export type { NodeLogger } from './node-logger';
export type { DashboardHandle, DashboardOptions } from '../dashboard/dashboard-server';
export type { PartitionStreams } from '../../domain/partition/partition';
export type { PartitionEvent, CommittedChange } from '../../domain/partition/partition.events';

export * from '../../domain/shared/errors';

export { Table, Transaction, type RowObject, type ScanOptions, type TableChange } from './table-handle';
export type {
  TableChanges, TransactionOptions, IndexInfo, TableInfo, ZoneInfo, CatalogChange, IndexDescriptor, TableDescriptor, ZoneDescriptor,
} from './node-tables';
export type { SqlType, ColumnDefinition } from '../../domain/table/table-schema';
export { TableArgumentError } from '../../domain/table/table-argument-error';
export { SqlEngine, SqlSession, PreparedStatement, type SqlResult, type SqlColumn, type SqlOptions, type SqlParams } from '../sql/sql-api';

export type {
  StorageConfig, StorageProfileConfig, AimemProfile, AipersistProfile, SyncMode, ReplacementMode, StorageConfigInput,
  StorageProfileInput,
} from '../../application/config/config.model';
export type { ConfigUpdateResult } from '../../application/config/config-service';
export type { NodeMetrics, RegionMetrics, TableMetrics } from '../../application/engine/node-metrics';

export type { Region } from '../../domain/region/region';
export type {
  RegionEvent, RegionSegmentAllocatedEvent, RegionOutOfMemoryEvent, RegionPageReplacementStartedEvent, RegionStats,
} from '../../domain/region/data-region.events';
export type {
  CheckpointEvent, CheckpointStartedEvent, CheckpointFinishedEvent, CompactionFinishedEvent, CheckpointReason,
  LogRecoveredEvent, LogReplayProgressEvent,
} from '../../domain/checkpoint/checkpoint.events';
export type { LogRecoveryResult } from '../../application/engine/aipersist/log-recovery-run';
export type { DurabilityMetrics, ThrottlingMetrics } from '../../application/engine/node-metrics';
export type {
  ThrottlingEvent, ThrottlingStartedEvent, ThrottlingStoppedEvent, ThrottlingPolicyName, ThrottlingReason,
} from '../../domain/throttling/throttling.events';
export { metricsText } from '../../application/engine/metrics-text';

export { RowId } from '../../domain/storage/row-id';
export { HybridTimestamp, HybridClock, hybridTimestamp, physicalOf, logicalOf, MIN_VALUE, MAX_VALUE } from '../../domain/storage/hybrid-timestamp';
export type { BinaryRow } from '../../domain/storage/binary-row';
export type { Cursor, PeekCursor } from '../../domain/storage/cursor';
export { ColumnType } from '../../domain/storage/column-type';
export {
  BACKWARDS, GREATER, GREATER_OR_EQUAL, LESS, LESS_OR_EQUAL,
  type SortedIndexDescriptor, type HashIndexDescriptor, type SortedIndexColumn, type HashIndexColumn, type IndexRow,
} from '../../domain/storage/index-descriptors';
export type {
  ReadResult, AddWriteResult, CommitResult, AbortResult, AddWriteCommittedResult, GcEntry,
} from '../../domain/storage/results';
export type {
  StorageEngine, EngineName, MvTableStorage, MvPartitionStorage, PartitionTimestampCursor, Locker, IndexStorage,
  SortedIndexStorage, HashIndexStorage,
} from '../../domain/storage/storage-engine.api';
