import type { PartitionStreams } from '../../domain/partition/partition';
import { InvalidArgumentError } from '../../domain/shared/errors';
import type { MvPartitionStorage } from '../../domain/storage/storage-engine.api';

/**
 * The event streams of a partition storage of this package's engines: `events$` (partition.created / cleared /
 * rebalanceStarted / rebalanceAborted / rebalanceFinished / closed / destroyed) and `changes$` (committed rows).
 * Both are hot (subscribe before the work) and complete when the partition is closed or destroyed.
 * @throws InvalidArgumentError (INVALID_ARGUMENT) for a storage that has no streams (not made by an aistorage engine).
 */
export function streamsOf(storage: MvPartitionStorage): PartitionStreams {
  const s = storage as Partial<PartitionStreams> | null;
  if (s === null || typeof s !== 'object' || s.events$ === undefined || s.changes$ === undefined) {
    throw new InvalidArgumentError('this partition storage has no event streams: it was not created by an aistorage engine');
  }
  return s as PartitionStreams;
}
