/**
 * RowId = (partition id, 128-bit UUID as two signed 64-bit halves). Order: partition, then msb, then lsb,
 * both signed (as Java longs). On pages a RowId's UUID is stored as 16 bytes: msb then lsb, each big-endian with
 * the sign bit flipped, so that unsigned byte comparison gives the signed order.
 */
import { InvalidArgumentError } from '../shared/errors';

const MIN_LONG = -(1n << 63n);
const MAX_LONG = (1n << 63n) - 1n;

export class RowId {
  readonly partitionId: number;
  readonly mostSignificantBits: bigint;
  readonly leastSignificantBits: bigint;

  constructor(partitionId: number, mostSignificantBits: bigint, leastSignificantBits: bigint) {
    if (!Number.isInteger(partitionId) || partitionId < 0 || partitionId > 0xffff) {
      throw new InvalidArgumentError(`RowId partitionId must be an integer in 0..65535, got ${partitionId}`);
    }
    if (mostSignificantBits < MIN_LONG || mostSignificantBits > MAX_LONG || leastSignificantBits < MIN_LONG || leastSignificantBits > MAX_LONG) {
      throw new InvalidArgumentError('RowId halves must be signed 64-bit bigints');
    }
    this.partitionId = partitionId;
    this.mostSignificantBits = mostSignificantBits;
    this.leastSignificantBits = leastSignificantBits;
  }

  /** A random, time-ordered-enough RowId (UUID v4 bits). */
  static random(partitionId: number): RowId {
    const b = new Uint8Array(16);
    globalThis.crypto.getRandomValues(b);
    b[6] = (b[6]! & 0x0f) | 0x40;
    b[8] = (b[8]! & 0x3f) | 0x80;
    const dv = new DataView(b.buffer);
    return new RowId(partitionId, dv.getBigInt64(0), dv.getBigInt64(8));
  }

  static lowest(partitionId: number): RowId {
    return new RowId(partitionId, MIN_LONG, MIN_LONG);
  }

  static highest(partitionId: number): RowId {
    return new RowId(partitionId, MAX_LONG, MAX_LONG);
  }

  /** The next RowId in order within the partition, or null after the highest. */
  increment(): RowId | null {
    if (this.leastSignificantBits !== MAX_LONG) {
      return new RowId(this.partitionId, this.mostSignificantBits, this.leastSignificantBits + 1n);
    }
    if (this.mostSignificantBits !== MAX_LONG) {
      return new RowId(this.partitionId, this.mostSignificantBits + 1n, MIN_LONG);
    }
    return null;
  }

  compareTo(o: RowId): number {
    if (this.partitionId !== o.partitionId) return this.partitionId < o.partitionId ? -1 : 1;
    if (this.mostSignificantBits !== o.mostSignificantBits) return this.mostSignificantBits < o.mostSignificantBits ? -1 : 1;
    if (this.leastSignificantBits !== o.leastSignificantBits) return this.leastSignificantBits < o.leastSignificantBits ? -1 : 1;
    return 0;
  }

  equals(o: unknown): boolean {
    return o instanceof RowId && this.compareTo(o) === 0;
  }

  /** The UUID form, e.g. for logs. */
  uuid(): string {
    const h = (v: bigint) => BigInt.asUintN(64, v).toString(16).padStart(16, '0');
    const s = h(this.mostSignificantBits) + h(this.leastSignificantBits);
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  }

  toString(): string {
    return `RowId(${this.partitionId}, ${this.uuid()})`;
  }

  /** Writes the 16 order-preserving UUID bytes (see class comment) at `off`. */
  writeUuidBytes(dv: DataView, off: number): void {
    dv.setBigUint64(off, BigInt.asUintN(64, this.mostSignificantBits) ^ (1n << 63n));
    dv.setBigUint64(off + 8, BigInt.asUintN(64, this.leastSignificantBits) ^ (1n << 63n));
  }

  static readUuidBytes(partitionId: number, dv: DataView, off: number): RowId {
    const msb = BigInt.asIntN(64, dv.getBigUint64(off) ^ (1n << 63n));
    const lsb = BigInt.asIntN(64, dv.getBigUint64(off + 8) ^ (1n << 63n));
    return new RowId(partitionId, msb, lsb);
  }
}
