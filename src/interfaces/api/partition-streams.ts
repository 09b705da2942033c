import type { PartitionStreams } from '../../domain/partition/partition';
import { InvalidArgumentError } from '../../domain/shared/errors';
import type { MvPartitionStorage } from '../../domain/storage/storage-engine.api';

/**
 * The event streams of a partition storage of this package's engines: `events$` (partition.created / cleared /
 * rebalanceStarted / rebalanceAborted / rebalanceFinished / closed / destroyed) and `changes$` (committed rows).
 */
export function streamsOf(storage: MvPartitionStorage): PartitionStreams {
  const s = storage as Partial<PartitionStreams>;
  if (s.events$ === undefined || s.changes$ === undefined) {
    throw new InvalidArgumentError('this partition storage has no event streams: it was not created by an aistorage engine');
  }
  return s as PartitionStreams;
}
