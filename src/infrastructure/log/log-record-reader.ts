/**
 * The replay fast path of log-record-codec.ts: reads a batch whose entries are all of the kinds every write produces
 * (rows, commits, aborts, vacuums, index entries) straight from the payload's bytes — the mutations come out with
 * their byte fields as views of the payload, without msgpackr's intermediate arrays. It accepts every msgpack form
 * a field may take (any integer width, bin8/16/32), so records written by msgpackr read the same. Anything else — a
 * rare kind, an unexpected type, a short payload — makes it give up (null), and the codec decodes the payload with
 * msgpackr, which also words the errors.
 */
import type { PartitionMutation } from '../../domain/partition/partition.events';
import type { BinaryRow } from '../../domain/storage/binary-row';

/** Record kinds (log-record-codec.ts KINDS) read here. */
export const FAST_KINDS = {
  writeAdded: 0, writeCommitted: 1, writeAborted: 2, committedWriteAdded: 3, vacuumed: 4, entryPut: 7, entryRemoved: 8,
} as const;

/** Thrown inside the reader when the payload leaves the fast path; never escapes readBatchFast. */
const GIVE_UP = new Error('not on the fast path');

class PayloadReader {
  buf: Uint8Array = new Uint8Array(0);
  dv: DataView = new DataView(new ArrayBuffer(0));
  at = 0;
  end = 0;

  /** Reads `payload`; the views of its buffer are made again only when the buffer changes (records of one run share it). */
  reset(data: Uint8Array, start: number, end: number): void {
    if (data.buffer !== this.buf.buffer) {
      this.buf = new Uint8Array(data.buffer);
      this.dv = new DataView(data.buffer);
    }
    this.at = data.byteOffset + start;
    this.end = data.byteOffset + end;
  }

  #need(n: number): void {
    if (this.at + n > this.end) throw GIVE_UP;
  }

  arrayLength(): number {
    this.#need(1);
    const b = this.buf[this.at]!;
    if ((b & 0xf0) === 0x90) {
      this.at++;
      return b & 0x0f;
    }
    if (b === 0xdc) {
      this.#need(3);
      const n = this.dv.getUint16(this.at + 1);
      this.at += 3;
      return n;
    }
    if (b === 0xdd) {
      this.#need(5);
      const n = this.dv.getUint32(this.at + 1);
      this.at += 5;
      return n;
    }
    throw GIVE_UP;
  }

  /** An integer within the safe range, in any msgpack integer form (or a float64 holding an integer). */
  int(): number {
    this.#need(1);
    const b = this.buf[this.at]!;
    if (b < 0x80) {
      this.at++;
      return b;
    }
    if (b >= 0xe0) {
      this.at++;
      return b - 0x100;
    }
    const dv = this.dv;
    const at = this.at;
    let v: number;
    let size: number;
    switch (b) {
      case 0xcc: size = 1; this.#need(2); v = this.buf[at + 1]!; break;
      case 0xcd: size = 2; this.#need(3); v = dv.getUint16(at + 1); break;
      case 0xce: size = 4; this.#need(5); v = dv.getUint32(at + 1); break;
      case 0xd0: size = 1; this.#need(2); v = dv.getInt8(at + 1); break;
      case 0xd1: size = 2; this.#need(3); v = dv.getInt16(at + 1); break;
      case 0xd2: size = 4; this.#need(5); v = dv.getInt32(at + 1); break;
      case 0xcf: size = 8; this.#need(9); v = Number(dv.getBigUint64(at + 1)); break;
      case 0xd3: size = 8; this.#need(9); v = Number(dv.getBigInt64(at + 1)); break;
      case 0xcb: size = 8; this.#need(9); v = dv.getFloat64(at + 1); break;
      default: throw GIVE_UP;
    }
    if (!Number.isSafeInteger(v)) throw GIVE_UP;
    this.at += 1 + size;
    return v;
  }

  /** A 64-bit integer as a bigint (timestamps); smaller integer forms too. */
  big(): bigint {
    this.#need(1);
    const b = this.buf[this.at]!;
    if (b === 0xd3) {
      this.#need(9);
      const v = this.dv.getBigInt64(this.at + 1);
      this.at += 9;
      return v;
    }
    if (b === 0xcf) {
      this.#need(9);
      const v = this.dv.getBigUint64(this.at + 1);
      this.at += 9;
      return v;
    }
    return BigInt(this.int());
  }

  /** A bin field as a view of the payload. */
  bytes(): Uint8Array {
    this.#need(2);
    const b = this.buf[this.at]!;
    let n: number;
    let head: number;
    if (b === 0xc4) {
      n = this.buf[this.at + 1]!;
      head = 2;
    } else if (b === 0xc5) {
      this.#need(3);
      n = this.dv.getUint16(this.at + 1);
      head = 3;
    } else if (b === 0xc6) {
      this.#need(5);
      n = this.dv.getUint32(this.at + 1);
      head = 5;
    } else throw GIVE_UP;
    this.at += head;
    this.#need(n);
    const v = this.buf.subarray(this.at, this.at + n);
    this.at += n;
    return v;
  }

  /** nil, or [schemaVersion, bytes]. */
  row(): BinaryRow | null {
    this.#need(1);
    if (this.buf[this.at] === 0xc0) {
      this.at++;
      return null;
    }
    if (this.arrayLength() !== 2) throw GIVE_UP;
    const schemaVersion = this.int();
    return { schemaVersion, bytes: this.bytes() };
  }
}

const READER = new PayloadReader();

/**
 * The batch in `data[start..end)` (default: all of it), or null when some entry is off the fast path (the caller then
 * decodes the payload in full).
 */
export function readBatchFast(data: Uint8Array, start = 0, end = data.length): PartitionMutation[] | null {
  const r = READER;
  try {
    r.reset(data, start, end);
    const n = r.arrayLength();
    const out: PartitionMutation[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = entry(r);
    return r.at === r.end ? out : null;
  } catch (e) {
    if (e === GIVE_UP) return null;
    throw e;
  }
}

/** Drops the reader's hold on the last payload's buffer (the end of a recovery). */
export function releaseReader(): void {
  READER.reset(new Uint8Array(0), 0, 0);
}

function entry(r: PayloadReader): PartitionMutation {
  const fields = r.arrayLength();
  const kind = r.int();
  switch (kind) {
    case FAST_KINDS.committedWriteAdded:
      if (fields !== 4) break;
      return { type: 'row.committedWriteAdded', rowId: r.bytes(), row: r.row(), timestamp: r.big() };
    case FAST_KINDS.writeAdded:
      if (fields !== 6) break;
      return { type: 'row.writeAdded', rowId: r.bytes(), row: r.row(), txId: r.bytes(), commitZoneId: r.int(), commitPartitionId: r.int() };
    case FAST_KINDS.writeCommitted:
      if (fields !== 4) break;
      return { type: 'row.writeCommitted', rowId: r.bytes(), timestamp: r.big(), txId: r.bytes() };
    case FAST_KINDS.writeAborted:
      if (fields !== 3) break;
      return { type: 'row.writeAborted', rowId: r.bytes(), txId: r.bytes() };
    case FAST_KINDS.vacuumed:
      if (fields !== 3) break;
      return { type: 'row.vacuumed', rowId: r.bytes(), timestamp: r.big() };
    case FAST_KINDS.entryPut:
    case FAST_KINDS.entryRemoved:
      if (fields !== 4) break;
      return { type: kind === FAST_KINDS.entryPut ? 'index.entryPut' : 'index.entryRemoved', indexId: r.int(), key: r.bytes(), rowId: r.bytes() };
  }
  throw GIVE_UP;
}
