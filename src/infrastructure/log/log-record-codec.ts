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
import { FAST_KINDS, readBatchFast } from './log-record-reader';

const packr = new Packr({ useRecords: false, moreTypes: false, int64AsType: 'bigint', variableMapSize: true });

/** Kinds, stable in the file format: append new ones, never renumber. */
const KINDS = [
  'row.writeAdded', 'row.writeCommitted', 'row.writeAborted', 'row.committedWriteAdded', 'row.vacuumed', 'index.created',
  'index.destroyed', 'index.entryPut', 'index.entryRemoved', 'index.buildStateSet', 'partition.lastAppliedSet',
  'partition.groupConfigSet', 'partition.leaseUpdated', 'partition.cleared', 'partition.rebalanceStarted',
  'partition.rebalanceAborted', 'partition.rebalanceFinished', 'partition.destroyed',
] as const satisfies ReadonlyArray<PartitionMutation['type']>;
const KIND_OF = new Map<string, number>(KINDS.map((k, i) => [k, i]));
/** The kinds every write produces, as constants (no map lookup per mutation). */
const K_WRITE_ADDED = KINDS.indexOf('row.writeAdded');
const K_WRITE_COMMITTED = KINDS.indexOf('row.writeCommitted');
const K_WRITE_ABORTED = KINDS.indexOf('row.writeAborted');
const K_COMMITTED_WRITE_ADDED = KINDS.indexOf('row.committedWriteAdded');
const K_VACUUMED = KINDS.indexOf('row.vacuumed');
const K_ENTRY_PUT = KINDS.indexOf('index.entryPut');
const K_ENTRY_REMOVED = KINDS.indexOf('index.entryRemoved');
if (
  K_WRITE_ADDED !== FAST_KINDS.writeAdded || K_WRITE_COMMITTED !== FAST_KINDS.writeCommitted || K_WRITE_ABORTED !== FAST_KINDS.writeAborted ||
  K_COMMITTED_WRITE_ADDED !== FAST_KINDS.committedWriteAdded || K_VACUUMED !== FAST_KINDS.vacuumed || K_ENTRY_PUT !== FAST_KINDS.entryPut ||
  K_ENTRY_REMOVED !== FAST_KINDS.entryRemoved
) {
  throw new Error('log-record-reader.ts FAST_KINDS disagree with the record kinds');
}

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

/**
 * The batch as msgpack, written by hand for the kinds every write produces (rows, commits, index entries: no object
 * or array per entry, one reused buffer) and by msgpackr for the rest (index descriptors and other rare kinds) —
 * the same bytes either way for a msgpack reader. Returns a view of the writer's buffer, valid until the next call.
 */
export function encodeBatch(batch: readonly PartitionMutation[]): Uint8Array {
  const w = WRITER;
  w.at = 0;
  w.arrayHeader(batch.length);
  for (let i = 0; i < batch.length; i++) {
    const m = batch[i]!;
    switch (m.type) {
      case 'row.committedWriteAdded':
        w.arrayHeader(4); w.uint(K_COMMITTED_WRITE_ADDED); w.bin(m.rowId); w.row(m.row); w.int64(m.timestamp);
        break;
      case 'row.writeAdded':
        w.arrayHeader(6); w.uint(K_WRITE_ADDED); w.bin(m.rowId); w.row(m.row); w.bin(m.txId); w.int(m.commitZoneId); w.int(m.commitPartitionId);
        break;
      case 'row.writeCommitted':
        w.arrayHeader(4); w.uint(K_WRITE_COMMITTED); w.bin(m.rowId); w.int64(m.timestamp); w.bin(m.txId);
        break;
      case 'row.writeAborted':
        w.arrayHeader(3); w.uint(K_WRITE_ABORTED); w.bin(m.rowId); w.bin(m.txId);
        break;
      case 'row.vacuumed':
        w.arrayHeader(3); w.uint(K_VACUUMED); w.bin(m.rowId); w.int64(m.timestamp);
        break;
      case 'index.entryPut':
        w.arrayHeader(4); w.uint(K_ENTRY_PUT); w.uint(m.indexId); w.bin(m.key); w.bin(m.rowId);
        break;
      case 'index.entryRemoved':
        w.arrayHeader(4); w.uint(K_ENTRY_REMOVED); w.uint(m.indexId); w.bin(m.key); w.bin(m.rowId);
        break;
      default:
        w.raw(packr.pack(entry(m)));
    }
  }
  return w.buf.subarray(0, w.at);
}

/** Byte strings up to this long are copied by a loop (a typed-array `set` costs more for them). */
const SMALL_COPY = 48;

/** A msgpack writer into one growing buffer. */
class MsgpackWriter {
  buf = new Uint8Array(64 * 1024);
  dv = new DataView(this.buf.buffer);
  at = 0;

  #room(n: number): void {
    if (this.at + n <= this.buf.length) return;
    const grown = new Uint8Array(Math.max(this.buf.length * 2, this.at + n));
    grown.set(this.buf.subarray(0, this.at));
    this.buf = grown;
    this.dv = new DataView(grown.buffer);
  }

  arrayHeader(n: number): void {
    this.#room(5);
    if (n < 16) this.buf[this.at++] = 0x90 | n;
    else if (n < 0x10000) {
      this.buf[this.at] = 0xdc;
      this.dv.setUint16(this.at + 1, n);
      this.at += 3;
    } else {
      this.buf[this.at] = 0xdd;
      this.dv.setUint32(this.at + 1, n);
      this.at += 5;
    }
  }

  /** A non-negative integer below 2^32 (larger: float64, as msgpackr writes it). */
  uint(n: number): void {
    this.#room(9);
    if (n < 128) this.buf[this.at++] = n;
    else if (n < 0x100) {
      this.buf[this.at] = 0xcc;
      this.buf[this.at + 1] = n;
      this.at += 2;
    } else if (n < 0x10000) {
      this.buf[this.at] = 0xcd;
      this.dv.setUint16(this.at + 1, n);
      this.at += 3;
    } else if (n <= 0xffffffff) {
      this.buf[this.at] = 0xce;
      this.dv.setUint32(this.at + 1, n);
      this.at += 5;
    } else {
      this.buf[this.at] = 0xcb;
      this.dv.setFloat64(this.at + 1, n);
      this.at += 9;
    }
  }

  /** Any integer: negative ones as msgpack int32 (or float64 beyond it), the rest as uint. */
  int(n: number): void {
    if (n >= 0) return this.uint(n);
    this.#room(9);
    if (n >= -32) this.buf[this.at++] = n & 0xff;
    else if (n >= -0x80000000) {
      this.buf[this.at] = 0xd2;
      this.dv.setInt32(this.at + 1, n);
      this.at += 5;
    } else {
      this.buf[this.at] = 0xcb;
      this.dv.setFloat64(this.at + 1, n);
      this.at += 9;
    }
  }

  /** A bigint as msgpack int64 (decoded as a bigint). */
  int64(v: bigint): void {
    this.#room(9);
    this.buf[this.at] = 0xd3;
    this.dv.setBigInt64(this.at + 1, v);
    this.at += 9;
  }

  bin(b: Uint8Array): void {
    this.#room(5 + b.length);
    const n = b.length;
    if (n < 0x100) {
      this.buf[this.at] = 0xc4;
      this.buf[this.at + 1] = n;
      this.at += 2;
    } else if (n < 0x10000) {
      this.buf[this.at] = 0xc5;
      this.dv.setUint16(this.at + 1, n);
      this.at += 3;
    } else {
      this.buf[this.at] = 0xc6;
      this.dv.setUint32(this.at + 1, n);
      this.at += 5;
    }
    if (n <= SMALL_COPY) {
      const buf = this.buf;
      const at = this.at;
      for (let i = 0; i < n; i++) buf[at + i] = b[i]!;
    } else this.buf.set(b, this.at);
    this.at += n;
  }

  row(r: BinaryRow | null): void {
    if (r === null) {
      this.#room(1);
      this.buf[this.at++] = 0xc0;
      return;
    }
    this.arrayHeader(2);
    this.int(r.schemaVersion);
    this.bin(r.bytes);
  }

  raw(b: Uint8Array): void {
    this.#room(b.length);
    this.buf.set(b, this.at);
    this.at += b.length;
  }
}

const WRITER = new MsgpackWriter();

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

/** The batch of a record's payload; `where` names the segment and offset for the error (a function: built only then). */
export function decodeBatch(payload: Uint8Array, where: string | (() => string)): PartitionMutation[] {
  const fast = readBatchFast(payload);
  if (fast !== null) return fast;
  try {
    const entries = packr.unpack(payload) as unknown;
    if (!Array.isArray(entries)) throw new TypeError('not a list of mutations');
    return entries.map((e) => {
      if (!Array.isArray(e)) throw new TypeError('a mutation is not a list');
      return mutation(e);
    });
  } catch (e) {
    throw new DataCorruptionError(`${typeof where === 'string' ? where : where()}: the record's checksum matches but its content cannot be read (${(e as Error).message}); restore the work dir from a backup`);
  }
}

const DESTROY_KIND = KINDS.indexOf('partition.destroyed');

/**
 * False when the payload at `data[start..end)` surely holds no partition destruction (its entry `[kind]` is two bytes,
 * 0x91 and the kind, that appear nowhere in it); true when it may (recovery then decodes it to know). Lets recovery
 * find a partition's last destruction without decoding every record, and without allocating per record.
 */
export function mayHoldDestroy(data: Uint8Array, start = 0, end = data.length): boolean {
  for (let i = start; i < end - 1; i++) if (data[i] === 0x91 && data[i + 1] === DESTROY_KIND) return true;
  return false;
}
