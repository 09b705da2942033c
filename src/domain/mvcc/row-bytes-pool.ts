/**
 * Where the row bytes handed out by reads come from. A fresh small Uint8Array costs a separate backing-store
 * allocation each (several hundred ns); rows up to MAX_POOLED_ROW bytes are instead views into a shared 64 KiB
 * chunk — the same trade Node's Buffer pool makes. Each returned view is the caller's for good: the pool never
 * writes into a range it handed out. Consequence for users: `bytes.buffer` may be larger than the row; use
 * `bytes` itself (or byteOffset/byteLength). One pool per RowVersions instance (caller-owned, not module-global).
 */
const CHUNK_BYTES = 64 * 1024;
export const MAX_POOLED_ROW = 4 * 1024;
const EMPTY = new Uint8Array(0);

export class RowBytesPool {
  /** Made at the first read (a partition opened and never read costs nothing). */
  #chunk: Uint8Array = EMPTY;
  #used = CHUNK_BYTES;
  /**
   * While true, take() hands out views of one reused scratch instead, each valid only until the next take: for a
   * scan whose caller is done with a row before it asks for the next (PartitionTimestampCursor.reuseRows) — a large
   * scan then touches no fresh memory per row.
   */
  transient = false;
  #scratch: Uint8Array = EMPTY;

  /** A view of `len` bytes that nothing else will ever write (transient: until the next take), for the caller to fill. */
  take(len: number): Uint8Array {
    if (this.transient) {
      if (this.#scratch.length < len) this.#scratch = new Uint8Array(Math.max(len, MAX_POOLED_ROW));
      return this.#scratch.subarray(0, len);
    }
    if (len > MAX_POOLED_ROW) return new Uint8Array(len);
    if (this.#used + len > CHUNK_BYTES) {
      this.#chunk = new Uint8Array(CHUNK_BYTES);
      this.#used = 0;
    }
    const view = this.#chunk.subarray(this.#used, this.#used + len);
    // 8-byte alignment keeps views usable with wider typed arrays on their own bytes.
    this.#used += (len + 7) & ~7;
    return view;
  }
}
