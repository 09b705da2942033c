/**
 * A window onto a segment file for the recovery scan (log-segments.ts): `ensure(from, end)` brings bytes
 * [from, end) of the file into one reused buffer and returns where `from` lies in it. The scan reads a segment
 * front to back in WINDOW_BYTES reads; the buffer grows only for a record larger than it. (Reading a whole 64 MiB
 * segment into a buffer grown by doubling cost the scan a page fault per fresh 4 KiB and a copy per doubling:
 * several times the reads themselves.)
 */
import { crc32 } from 'node:zlib';
import type { FileHandle, FileIo } from '../../domain/ports/file-io.port';

const WINDOW_BYTES = 4 * 1024 * 1024;

export class SegmentWindow {
  data: Uint8Array;
  dv: DataView;
  /** The file offset of data[0], and how many bytes from there are read. */
  #base = 0;
  #loaded = 0;
  readonly size: number;

  constructor(private readonly io: FileIo, private readonly h: FileHandle, windowBytes = WINDOW_BYTES) {
    this.size = io.size(h);
    this.data = new Uint8Array(Math.max(1, Math.min(windowBytes, this.size)));
    this.dv = new DataView(this.data.buffer);
  }

  /** Bytes [from, end) of the file (end ≤ size) in `data`; returns the index of `from` in it. */
  ensure(from: number, end: number): number {
    if (from >= this.#base && end <= this.#base + this.#loaded) return from - this.#base;
    const keep = from >= this.#base && from < this.#base + this.#loaded ? this.#base + this.#loaded - from : 0;
    if (end - from > this.data.length) {
      const grown = new Uint8Array(end - from);
      grown.set(this.data.subarray(from - this.#base, from - this.#base + keep));
      this.data = grown;
      this.dv = new DataView(grown.buffer);
    } else if (keep > 0) {
      this.data.copyWithin(0, from - this.#base, from - this.#base + keep);
    }
    this.#base = from;
    this.#loaded = keep;
    const want = Math.min(this.data.length, this.size - from);
    while (this.#loaded < want) {
      const got = this.io.read(this.h, this.data, this.#loaded, want - this.#loaded, from + this.#loaded);
      if (got === 0) break;
      this.#loaded += got;
    }
    return 0;
  }
}

/** CRC-32 (IEEE, as zlib's) tables, slice-by-8. */
const T = new Int32Array(256 * 8);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  T[n] = c;
}
for (let n = 0; n < 256; n++) for (let k = 1, c = T[n]!; k < 8; k++) T[k * 256 + n] = c = T[c & 255]! ^ (c >>> 8);

/** Below this length a JS loop beats a call into zlib (which wins on longer inputs). */
const JS_CRC_MAX = 384;

/** zlib's crc32 of b[from..to), without a subarray for short inputs (one per log record). */
export function crc32Of(b: Uint8Array, from: number, to: number): number {
  if (to - from > JS_CRC_MAX) return crc32(b.subarray(from, to));
  let c = -1;
  let i = from;
  for (; i + 8 <= to; i += 8) {
    const a = c ^ (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24));
    c = T[1792 + (a & 255)]! ^ T[1536 + ((a >>> 8) & 255)]! ^ T[1280 + ((a >>> 16) & 255)]! ^ T[1024 + (a >>> 24)]!
      ^ T[768 + b[i + 4]!]! ^ T[512 + b[i + 5]!]! ^ T[256 + b[i + 6]!]! ^ T[b[i + 7]!]!;
  }
  for (; i < to; i++) c = T[(c ^ b[i]!) & 255]! ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}
