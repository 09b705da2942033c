/**
 * The payload of a delta-log record: one closure's PartitionMutation batch, msgpack-encoded as arrays — a numeric
 * kind, then the fields in a fixed order — so that field names are not repeated in every record. Decoding gives
 * back the mutations as partition-replay.ts applies them. An unknown kind or a malformed entry is a
 * DataCorruptionError (a record whose CRC matched but that this build cannot read).
 */
import { Packr } from 'msgpackr';
import type { PartitionMutation } from '../../domain/partition/partition.events';
import { DataCorruptionError } from '../../domain/shared/errors';
import type { BinaryRow } from '../../domain/storage/binary-row';

const packr = new Packr({ useRecords: false, moreTypes: false, int64AsType: 'bigint', variableMapSize: true });

/** Kinds, stable in the file format: append new ones, never renumber. */
const KINDS = [
  'row.writeAdded', 'row.writeCommitted', 'row.writeAborted', 'row.committedWriteAdded', 'row.vacuumed', 'index.created',
  'index.destroyed', 'index.entryPut', 'index.entryRemoved', 'index.buildStateSet', 'partition.lastAppliedSet',
  'partition.groupConfigSet', 'partition.leaseUpdated', 'partition.cleared', 'partition.rebalanceStarted',
  'partition.rebalanceAborted', 'partition.rebalanceFinished', 'partition.destroyed',
] as const satisfies ReadonlyArray<PartitionMutation['type']>;
const KIND_OF = new Map<string, number>(KINDS.map((k, i) => [k, i]));

const row = (r: BinaryRow | null): unknown => (r === null ? null : [r.schemaVersion, r.bytes]);

function entry(m: PartitionMutation): unknown[] {
  const k = KIND_OF.get(m.type)!;
  switch (m.type) {
    case 'row.writeAdded': return [k, m.rowId, row(m.row), m.txId, m.commitZoneId, m.commitPartitionId];
    case 'row.writeCommitted': return [k, m.rowId, m.timestamp, m.txId];
    case 'row.writeAborted': return [k, m.rowId, m.txId];
    case 'row.committedWriteAdded': return [k, m.rowId, row(m.row), m.timestamp];
    case 'row.vacuumed': return [k, m.rowId, m.timestamp];
    case 'index.created': return [k, m.indexId, m.sorted, m.hash];
    case 'index.destroyed': return [k, m.indexId];
    case 'index.entryPut':
    case 'index.entryRemoved': return [k, m.indexId, m.key, m.rowId];
    case 'index.buildStateSet': return [k, m.indexId, m.nextRowIdToBuild];
    case 'partition.lastAppliedSet': return [k, m.index, m.term];
    case 'partition.groupConfigSet': return [k, m.bytes];
    case 'partition.leaseUpdated': return [k, m.leaseStartTime, m.nodeId, m.nodeName];
    case 'partition.rebalanceFinished': return [k, m.lastAppliedIndex, m.lastAppliedTerm, m.groupConfig];
    case 'partition.cleared':
    case 'partition.rebalanceStarted':
    case 'partition.rebalanceAborted':
    case 'partition.destroyed': return [k];
  }
}

export function encodeBatch(batch: readonly PartitionMutation[]): Uint8Array {
  return packr.pack(batch.map(entry));
}

const bytes = (v: unknown): Uint8Array => {
  if (!(v instanceof Uint8Array)) throw new TypeError('bytes expected');
  return v;
};
const int = (v: unknown): number => {
  if (typeof v === 'bigint') return Number(v);
  if (typeof v !== 'number') throw new TypeError('number expected');
  return v;
};
const big = (v: unknown): bigint => (typeof v === 'bigint' ? v : BigInt(int(v)));
const rowOf = (v: unknown): BinaryRow | null => {
  if (v === null) return null;
  const [schemaVersion, b] = v as [unknown, unknown];
  return { schemaVersion: int(schemaVersion), bytes: bytes(b) };
};

function mutation(e: unknown[]): PartitionMutation {
  const type = KINDS[int(e[0])];
  switch (type) {
    case 'row.writeAdded': return { type, rowId: bytes(e[1]), row: rowOf(e[2]), txId: bytes(e[3]), commitZoneId: int(e[4]), commitPartitionId: int(e[5]) };
    case 'row.writeCommitted': return { type, rowId: bytes(e[1]), timestamp: big(e[2]), txId: bytes(e[3]) };
    case 'row.writeAborted': return { type, rowId: bytes(e[1]), txId: bytes(e[2]) };
    case 'row.committedWriteAdded': return { type, rowId: bytes(e[1]), row: rowOf(e[2]), timestamp: big(e[3]) };
    case 'row.vacuumed': return { type, rowId: bytes(e[1]), timestamp: big(e[2]) };
    case 'index.created': return { type, indexId: int(e[1]), sorted: (e[2] ?? null) as never, hash: (e[3] ?? null) as never };
    case 'index.destroyed': return { type, indexId: int(e[1]) };
    case 'index.entryPut':
    case 'index.entryRemoved': return { type, indexId: int(e[1]), key: bytes(e[2]), rowId: bytes(e[3]) };
    case 'index.buildStateSet': return { type, indexId: int(e[1]), nextRowIdToBuild: e[2] === null ? null : bytes(e[2]) };
    case 'partition.lastAppliedSet': return { type, index: int(e[1]), term: int(e[2]) };
    case 'partition.groupConfigSet': return { type, bytes: bytes(e[1]) };
    case 'partition.leaseUpdated': return { type, leaseStartTime: big(e[1]), nodeId: bytes(e[2]), nodeName: String(e[3]) };
    case 'partition.rebalanceFinished': return { type, lastAppliedIndex: int(e[1]), lastAppliedTerm: int(e[2]), groupConfig: bytes(e[3]) };
    case 'partition.cleared':
    case 'partition.rebalanceStarted':
    case 'partition.rebalanceAborted':
    case 'partition.destroyed': return { type };
    default: throw new TypeError(`unknown record kind ${String(e[0])}`);
  }
}

/** The batch of a record's payload; `where` names the segment and offset for the error. */
export function decodeBatch(payload: Uint8Array, where: string): PartitionMutation[] {
  try {
    const entries = packr.unpack(payload) as unknown;
    if (!Array.isArray(entries)) throw new TypeError('not a list of mutations');
    return entries.map((e) => {
      if (!Array.isArray(e)) throw new TypeError('a mutation is not a list');
      return mutation(e);
    });
  } catch (e) {
    throw new DataCorruptionError(`${where}: the record's checksum matches but its content cannot be read (${(e as Error).message}); restore the work dir from a backup`);
  }
}
