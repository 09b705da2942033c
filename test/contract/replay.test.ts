/**
 * The delta-log seam is complete: every state change reaches the log as a record, with its values as stored. A
 * random workload (every kind of change the SPI has: rows, intents, commits, aborts, vacuum, index entries with long
 * keys, build state, lastApplied, group configuration, leases, clears, closures that throw after a change) runs on
 * an aimem partition whose log keeps its batches; replaying them into a fresh partition must give the same answer to
 * every SPI read. Size: REPLAY_OPS operations (default 1500), seed REPLAY_SEED (default 1).
 */
import { describe, expect, it } from 'vitest';
import { PageMvTableStorage } from '../../src/application/engine/mv/page-mv-table-storage';
import { replayBatch } from '../../src/application/engine/mv/partition-replay';
import { DISCARDING_DELTA_LOG, type DeltaLog } from '../../src/domain/ports/delta-log.port';
import { DataCorruptionError } from '../../src/domain/shared/errors';
import type { VolatilePageMemory } from '../../src/domain/page-memory/volatile-page-memory';
import { InMemoryDeltaLog } from '../support/in-memory-delta-log';
import { testPageMemory } from '../support/page-mv-harness';
import { PartitionWorkload, partitionPicture, workloadIndexes, type WorkloadTarget } from '../support/partition-workload';
import { SeededRandom, envInt } from './support/seeded-random';

const OPS = envInt('REPLAY_OPS', 1500);
const SEED = envInt('REPLAY_SEED', 1);
const TABLE = 5;
const P = 1;

function table(memory: VolatilePageMemory, groupId: number, log: DeltaLog): PageMvTableStorage {
  return new PageMvTableStorage({ tableId: TABLE, partitions: 2, groupId, pageMemory: memory, deltaLog: log, volatile: true, onDestroyed: () => undefined });
}

describe('replay of the recorded delta log', () => {
  it.each([1024, 16384])(`rebuilds a partition that answers every SPI read as the original (%i-byte pages, seed ${SEED}, ${OPS} operations)`, async (pageSize) => {
    const memory = testPageMemory(pageSize);
    const log = new InMemoryDeltaLog();
    const source = table(memory, 1, log);
    const original: WorkloadTarget = { table: source, partitionId: P, mv: await source.createMvPartition(P), ...workloadIndexes(source, P) };
    const workload = new PartitionWorkload(new SeededRandom(SEED * 104729 + pageSize), P);
    await workload.run(original, OPS);
    const batches = log.batchesOf(TABLE, P);
    const types = new Set(batches.flat().map((m) => m.type));
    expect([...types].sort(), 'the workload produced every kind of record but rebalance and destroy').toEqual([
      'index.buildStateSet', 'index.created', 'index.entryPut', 'index.entryRemoved', 'partition.cleared', 'partition.groupConfigSet',
      'partition.lastAppliedSet', 'partition.leaseUpdated', 'row.committedWriteAdded', 'row.vacuumed', 'row.writeAborted', 'row.writeAdded',
      'row.writeCommitted',
    ]);

    const target = table(memory, 2, DISCARDING_DELTA_LOG);
    const mv = await target.createMvPartition(P);
    const slot = target.existingSlots()[0]!;
    for (const batch of batches) replayBatch(slot, batch);
    const replayed: WorkloadTarget = { table: target, partitionId: P, mv, ...workloadIndexes(target, P) };
    expect(partitionPicture(replayed, workload.rowIds, workload.now)).toEqual(partitionPicture(original, workload.rowIds, workload.now));
    slot.mv.checkInvariants();
    await source.destroy();
    await target.destroy();
    expect(memory.stats().allocatedPages).toBe(0);
    memory.close();
  });

  it('a record the partition refuses (a commit older than the row\'s newest) is DATA_CORRUPTION naming the record', async () => {
    const memory = testPageMemory(1024);
    const target = table(memory, 3, DISCARDING_DELTA_LOG);
    await target.createMvPartition(P);
    const slot = target.existingSlots()[0]!;
    const rowId = new Uint8Array(16).fill(7);
    const row = { schemaVersion: 1, bytes: new Uint8Array([1, 2, 3]) };
    const batch = [
      { type: 'row.committedWriteAdded', rowId, row, timestamp: 100n << 16n },
      { type: 'row.committedWriteAdded', rowId, row, timestamp: 50n << 16n },
    ] as const;
    expect(() => replayBatch(slot, batch)).toThrow(DataCorruptionError);
    expect(() => replayBatch(slot, batch.slice(1))).toThrow(/record 0 \(row\.committedWriteAdded\) of a logged batch cannot be applied to partition 1 of table 5: .*the log and the partition's pages disagree/);
    await target.destroy();
    memory.close();
  });

  it('replays rebalance start, finish and abort, index destruction and partition destruction', async () => {
    const memory = testPageMemory(1024);
    const log = new InMemoryDeltaLog();
    const source = table(memory, 1, log);
    const original: WorkloadTarget = { table: source, partitionId: P, mv: await source.createMvPartition(P), ...workloadIndexes(source, P) };
    const workload = new PartitionWorkload(new SeededRandom(77), P);
    await workload.run(original, 200, false);
    await source.startRebalancePartition(P);
    original.mv.runConsistently(() => original.mv.addWriteCommitted(workload.rowIds[3]!, { schemaVersion: 1, bytes: new Uint8Array([1]) }, workload.now + 1n));
    await source.finishRebalancePartition(P, { lastAppliedIndex: 9, lastAppliedTerm: 2, groupConfig: new Uint8Array([5]) });
    await source.startRebalancePartition(P);
    await source.abortRebalancePartition(P);
    await source.destroyIndex(original.hash.descriptor.id);
    await workload.run({ ...original, hash: source.createHashIndex(P, original.hash.descriptor) }, 100, false);

    const target = table(memory, 2, DISCARDING_DELTA_LOG);
    const mv = await target.createMvPartition(P);
    const slot = target.existingSlots()[0]!;
    for (const batch of log.batchesOf(TABLE, P)) replayBatch(slot, batch);
    const replayed: WorkloadTarget = { table: target, partitionId: P, mv, ...workloadIndexes(target, P) };
    const again: WorkloadTarget = { ...original, hash: source.createHashIndex(P, original.hash.descriptor) };
    expect(partitionPicture(replayed, workload.rowIds, workload.now + 5n)).toEqual(partitionPicture(again, workload.rowIds, workload.now + 5n));

    await source.destroyPartition(P);
    const last = log.batchesOf(TABLE, P).at(-1)!;
    expect(last.map((m) => m.type)).toEqual(['partition.destroyed']);
    replayBatch(slot, last);
    expect(slot.lifecycle.state).toBe('DESTROYED');
    await source.destroy();
    await target.destroy();
    memory.close();
  });
});
