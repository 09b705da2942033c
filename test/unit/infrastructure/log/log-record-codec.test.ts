/**
 * The log record codec: every mutation kind goes through encodeBatch and comes back equal from decodeBatch — the
 * hand-written msgpack of the hot kinds and msgpackr's of the rest alike — and the bytes are plain msgpack (msgpackr
 * reads them); a payload that is not a batch is a DataCorruptionError naming where it was.
 */
import { describe, expect, it } from 'vitest';
import { unpack } from 'msgpackr';
import type { PartitionMutation } from '../../../../src/domain/partition/partition.events';
import { DataCorruptionError } from '../../../../src/domain/shared/errors';
import { decodeBatch, encodeBatch } from '../../../../src/infrastructure/log/log-record-codec';

const id = (n: number): Uint8Array => new Uint8Array(16).fill(n);
const big = new Uint8Array(70_000).fill(9);

const ALL: PartitionMutation[] = [
  { type: 'row.writeAdded', rowId: id(1), row: { schemaVersion: 3, bytes: new Uint8Array([1, 2, 3]) }, txId: id(2), commitZoneId: 70_000, commitPartitionId: 300 },
  { type: 'row.writeAdded', rowId: id(1), row: null, txId: id(2), commitZoneId: 0, commitPartitionId: 0 },
  { type: 'row.writeAdded', rowId: id(1), row: { schemaVersion: -1000, bytes: new Uint8Array(1) }, txId: id(2), commitZoneId: -33, commitPartitionId: -2147483648 },
  { type: 'row.writeAdded', rowId: id(1), row: { schemaVersion: -1, bytes: new Uint8Array(1) }, txId: id(2), commitZoneId: -70000, commitPartitionId: 2147483647 },
  { type: 'row.writeCommitted', rowId: id(1), timestamp: (1n << 62n) + 5n, txId: id(2) },
  { type: 'row.writeAborted', rowId: id(3), txId: id(4) },
  { type: 'row.committedWriteAdded', rowId: id(5), row: { schemaVersion: 1, bytes: big }, timestamp: 1n },
  { type: 'row.committedWriteAdded', rowId: id(5), row: { schemaVersion: 200, bytes: new Uint8Array(300) }, timestamp: -1n },
  { type: 'row.vacuumed', rowId: id(6), timestamp: 77n },
  { type: 'index.created', indexId: 9, sorted: { id: 9, columns: [{ name: 'k', type: 'INT64', nullable: false, asc: true }], primary: true } as never, hash: null },
  { type: 'index.created', indexId: 10, sorted: null, hash: { id: 10, columns: [{ name: 'h', type: 'STRING', nullable: true }] } as never },
  { type: 'index.destroyed', indexId: 9 },
  { type: 'index.entryPut', indexId: 2 ** 31 - 1, key: new Uint8Array([0, 1, 2]), rowId: id(7) },
  { type: 'index.entryRemoved', indexId: 200, key: new Uint8Array(0), rowId: id(7) },
  { type: 'index.buildStateSet', indexId: 3, nextRowIdToBuild: id(8) },
  { type: 'index.buildStateSet', indexId: 3, nextRowIdToBuild: null },
  { type: 'partition.lastAppliedSet', index: 2 ** 40, term: 7 },
  { type: 'partition.groupConfigSet', bytes: new Uint8Array([5, 6]) },
  { type: 'partition.leaseUpdated', leaseStartTime: 123456789n, nodeId: id(9), nodeName: 'nöde-1' },
  { type: 'partition.cleared' },
  { type: 'partition.rebalanceStarted' },
  { type: 'partition.rebalanceAborted' },
  { type: 'partition.rebalanceFinished', lastAppliedIndex: 12, lastAppliedTerm: 3, groupConfig: new Uint8Array([1]) },
  { type: 'partition.destroyed' },
];

const plain = (x: unknown): unknown => JSON.parse(JSON.stringify(x, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? [...v] : v)));

describe('log record codec', () => {
  it('every kind comes back equal, and the bytes are plain msgpack', () => {
    const bytes = encodeBatch(ALL).slice();
    const back = decodeBatch(bytes, 'test');
    expect(plain(back)).toEqual(plain(ALL));
    const generic = unpack(bytes) as unknown[][];
    expect(generic).toHaveLength(ALL.length);
    expect(generic[0]![0]).toBe(0);
  });

  it('a batch of 2,000 entries (array header beyond 16 bits for the entries count is not needed, 16-bit is)', () => {
    const batch: PartitionMutation[] = Array.from({ length: 2000 }, (_, i) => ({ type: 'index.entryPut', indexId: 1, key: new Uint8Array([i & 0xff]), rowId: id(i & 0xff) }));
    expect(decodeBatch(encodeBatch(batch).slice(), 'x')).toHaveLength(2000);
  });

  it('a payload that is not a batch is DATA_CORRUPTION naming where', () => {
    expect(() => decodeBatch(new Uint8Array([0xc1]), 'segment-1 offset 64')).toThrow(DataCorruptionError);
    expect(() => decodeBatch(encodeBatch([{ type: 'partition.cleared' }]).slice().fill(0x7f, 1), 'segment-1 offset 64')).toThrow(/segment-1 offset 64/);
  });
});
