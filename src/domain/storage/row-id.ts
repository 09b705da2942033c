/**
 * RowId = (partition id, 128-bit UUID as two signed 64-bit halves). Order: partition, then msb, then lsb, both
 * signed (as Java longs).
 *
 * Representation: four unsigned 32-bit "order words" w0..w3 — the UUID's big-endian bytes with the sign bit of each
 * half flipped — so that unsigned word (and byte) comparison gives the signed order. On pages a RowId's UUID is
 * these 16 bytes (writeUuidBytes). The bigint halves of the API are computed on first use only: hot paths (pages,
 * trees, comparisons) never touch bigint.
 */
import { describeValue } from '../shared/describe-value';
import { InvalidArgumentError } from '../shared/errors';

const MIN_LONG = -(1n << 63n);
const MAX_LONG = (1n << 63n) - 1n;
const SIGN = 0x80000000;
const U32 = 0xffffffff;
/** Marks the internal word constructor (fromWords), so that `new RowId(p, 1, 2)` is refused, not misread. */
const FROM_WORDS = Symbol('RowId.fromWords');

/** Random words for RowId.random, drawn in blocks (one crypto call per 256 ids). */
class RandomWords {
  readonly #pool = new Uint32Array(1024);
  #next = this.#pool.length;

  take(): number {
    if (this.#next === this.#pool.length) {
      globalThis.crypto.getRandomValues(this.#pool);
      this.#next = 0;
    }
    return this.#pool[this.#next++]!;
  }
}

/**
 * The id of a row within its partition (DESIGN.md §6.1): immutable; compare with compareTo / equals, not `===`. Every
 * factory and the constructor throw InvalidArgumentError (INVALID_ARGUMENT) for a partition id that is not an integer
 * in 0..65535.
 */
export class RowId {
  static readonly #random = new RandomWords();
  /** The partition the row belongs to (0..65535); storages refuse RowIds of another partition. */
  readonly partitionId: number;
  /** Order words (see the file comment); internal to the storage, stable in value. */
  readonly w0: number;
  /** Order word 1 (see w0). */
  readonly w1: number;
  /** Order word 2 (see w0). */
  readonly w2: number;
  /** Order word 3 (see w0). */
  readonly w3: number;
  #msb: bigint | undefined = undefined;
  #lsb: bigint | undefined = undefined;
  // Internal, not part of the API: where the storage that last resolved this RowId found its chain anchor (a
  // partition link) and that storage's reuse epoch then. Private, so equality checks of RowIds never see it.
  #hintOwner: object | null = null;
  #hintPage = 0;
  #hintItem = 0;
  #hintEpoch = 0;

  /**
   * Throws InvalidArgumentError unless partitionId is an integer in 0..65535 and both halves are bigints in the
   * signed 64-bit range (numbers are refused, not reinterpreted).
   */
  constructor(partitionId: number, mostSignificantBits: bigint, leastSignificantBits: bigint);
  /** Internal (fromWords): the four order words (unsigned 32-bit), no bigint work; `token` is module-private. */
  constructor(partitionId: number, w0: number, w1: number, w2: number, w3: number, token: symbol);
  constructor(partitionId: number, a: bigint | number, b: bigint | number, c?: number, d?: number, token?: symbol) {
    checkPartition(partitionId);
    this.partitionId = partitionId;
    if (token === FROM_WORDS) {
      this.w0 = (a as number) >>> 0;
      this.w1 = (b as number) >>> 0;
      this.w2 = c! >>> 0;
      this.w3 = d! >>> 0;
      return;
    }
    if (!isLong(a) || !isLong(b)) {
      throw new InvalidArgumentError(
        `RowId halves must be signed 64-bit bigints, got ${describeValue(a)} and ${describeValue(b)}; use RowId.random(partitionId) for a new id`);
    }
    const m = BigInt.asUintN(64, a);
    const l = BigInt.asUintN(64, b);
    this.w0 = (Number(m >> 32n) ^ SIGN) >>> 0;
    this.w1 = Number(m & 0xffffffffn);
    this.w2 = (Number(l >> 32n) ^ SIGN) >>> 0;
    this.w3 = Number(l & 0xffffffffn);
    this.#msb = a;
    this.#lsb = b;
  }

  /**
   * Internal (storage engines only): remembers where `owner` found this row's chain anchor at reuse epoch `epoch`.
   * The owner checks owner and epoch before trusting it (page-version-chains.ts), so a stale hint costs only a lookup.
   */
  attachHint(owner: object, page: number, item: number, epoch: number): void {
    this.#hintOwner = owner;
    this.#hintPage = page;
    this.#hintItem = item;
    this.#hintEpoch = epoch;
  }

  /** Internal: the hinted anchor page when `owner` attached the hint at `epoch`, else 0. */
  hintPageFor(owner: object, epoch: number): number {
    return this.#hintOwner === owner && this.#hintEpoch === epoch ? this.#hintPage : 0;
  }

  /** Internal: the hinted anchor item (meaningful only after hintPageFor returned a page). */
  get hintItem(): number {
    return this.#hintItem;
  }

  /** A RowId from its order words (no bigint work). */
  static fromWords(partitionId: number, w0: number, w1: number, w2: number, w3: number): RowId {
    return new RowId(partitionId, w0, w1, w2, w3, FROM_WORDS);
  }

  /** A new random RowId of the partition (a version 4 UUID): what writers use for a new row. */
  static random(partitionId: number): RowId {
    const rnd = RowId.#random;
    const r0 = rnd.take();
    const r1 = ((rnd.take() & 0xffff0fff) | 0x00004000) >>> 0;
    const r2 = ((rnd.take() & 0x3fffffff) | 0x80000000) >>> 0;
    const r3 = rnd.take();
    return RowId.fromWords(partitionId, r0 ^ SIGN, r1, r2 ^ SIGN, r3);
  }

  /** The millisecond and the sequence within it of the last timeOrdered id (see there). */
  static #lastMs = 0;
  static #seq = 0;

  /**
   * A new RowId of the partition whose order follows creation (a version 7 UUID: 48 bits of Unix milliseconds, a
   * 12-bit sequence within the millisecond, 62 random bits): what the tables use for a new row. Ids made one after
   * another by this process ascend (more than 4,096 in a millisecond borrow the next one), so a partition's rows sit
   * in the version chain tree, and in its data pages, in insertion order: inserts append at the tree's right edge and
   * a scan in RowId order reads pages front to back. Ids of different processes stay distinct by their random bits.
   */
  static timeOrdered(partitionId: number): RowId {
    const now = Date.now();
    if (now > RowId.#lastMs) {
      RowId.#lastMs = now;
      RowId.#seq = 0;
    } else if (++RowId.#seq > 0xfff) {
      RowId.#lastMs++;
      RowId.#seq = 0;
    }
    const ms = RowId.#lastMs;
    const rnd = RowId.#random;
    const w1 = (((ms % 0x10000) << 16) | 0x7000 | RowId.#seq) >>> 0;
    const r2 = ((rnd.take() & 0x3fffffff) | 0x80000000) >>> 0;
    return RowId.fromWords(partitionId, Math.floor(ms / 0x10000) ^ SIGN, w1, r2 ^ SIGN, rnd.take());
  }

  /** The smallest RowId of the partition: halves (−2^63, −2^63). */
  static lowest(partitionId: number): RowId {
    return RowId.fromWords(partitionId, 0, 0, 0, 0);
  }

  /** The largest RowId of the partition: halves (2^63−1, 2^63−1). */
  static highest(partitionId: number): RowId {
    return RowId.fromWords(partitionId, U32, U32, U32, U32);
  }

  /** The UUID's upper 64 bits as a signed 64-bit bigint (as a Java long). */
  get mostSignificantBits(): bigint {
    return (this.#msb ??= BigInt.asIntN(64, (BigInt((this.w0 ^ SIGN) >>> 0) << 32n) | BigInt(this.w1)));
  }

  /** The UUID's lower 64 bits as a signed 64-bit bigint (as a Java long). */
  get leastSignificantBits(): bigint {
    return (this.#lsb ??= BigInt.asIntN(64, (BigInt((this.w2 ^ SIGN) >>> 0) << 32n) | BigInt(this.w3)));
  }

  /** The next RowId in order within the partition, or null after the highest. */
  increment(): RowId | null {
    // The order words are a 128-bit unsigned number in RowId order, so +1 on them is the next RowId.
    let { w0, w1, w2, w3 } = this;
    if (w3 !== U32) return RowId.fromWords(this.partitionId, w0, w1, w2, w3 + 1);
    w3 = 0;
    if (w2 !== U32) return RowId.fromWords(this.partitionId, w0, w1, w2 + 1, w3);
    w2 = 0;
    if (w1 !== U32) return RowId.fromWords(this.partitionId, w0, w1 + 1, w2, w3);
    w1 = 0;
    if (w0 !== U32) return RowId.fromWords(this.partitionId, w0 + 1, w1, w2, w3);
    return null;
  }

  /** Order: partition id, then the signed upper half, then the signed lower half; −1, 0 or 1. */
  compareTo(o: RowId): number {
    if (this.partitionId !== o.partitionId) return this.partitionId < o.partitionId ? -1 : 1;
    if (this.w0 !== o.w0) return this.w0 < o.w0 ? -1 : 1;
    if (this.w1 !== o.w1) return this.w1 < o.w1 ? -1 : 1;
    if (this.w2 !== o.w2) return this.w2 < o.w2 ? -1 : 1;
    if (this.w3 !== o.w3) return this.w3 < o.w3 ? -1 : 1;
    return 0;
  }

  /** True when `o` is a RowId of the same partition and UUID. */
  equals(o: unknown): boolean {
    return o instanceof RowId && this.compareTo(o) === 0;
  }

  /** The UUID form, e.g. for logs. */
  uuid(): string {
    const h = (w: number) => (w >>> 0).toString(16).padStart(8, '0');
    const s = h(this.w0 ^ SIGN) + h(this.w1) + h(this.w2 ^ SIGN) + h(this.w3);
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  }

  /** `RowId(partition, uuid)`, for messages and logs. */
  toString(): string {
    return `RowId(${this.partitionId}, ${this.uuid()})`;
  }

  /** Writes the 16 order-preserving UUID bytes (the order words, big-endian) at `off`. */
  writeUuidBytes(dv: DataView, off: number): void {
    dv.setUint32(off, this.w0);
    dv.setUint32(off + 4, this.w1);
    dv.setUint32(off + 8, this.w2);
    dv.setUint32(off + 12, this.w3);
  }

  /** Reads a RowId of `partitionId` from the 16 bytes writeUuidBytes wrote at `off`. */
  static readUuidBytes(partitionId: number, dv: DataView, off: number): RowId {
    return RowId.fromWords(partitionId, dv.getUint32(off), dv.getUint32(off + 4), dv.getUint32(off + 8), dv.getUint32(off + 12));
  }
}

function checkPartition(partitionId: number): void {
  if (!Number.isInteger(partitionId) || partitionId < 0 || partitionId > 0xffff) {
    throw new InvalidArgumentError(`RowId partitionId must be an integer in 0..65535, got ${describeValue(partitionId)}`);
  }
}

function isLong(v: unknown): v is bigint {
  return typeof v === 'bigint' && v >= MIN_LONG && v <= MAX_LONG;
}
