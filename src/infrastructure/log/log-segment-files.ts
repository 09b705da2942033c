/**
 * The delta log's segment files (file-delta-log.ts, layout in log-segments.ts): a segment's file made on first use —
 * a spare renamed into place, or a new one — with its header durable before any record goes in; spare segments
 * zero-filled in the background; released segments kept as spares (at most MAX_SPARES) or deleted. And the chunks
 * that carry appended records to their segment, with their buffers pooled.
 */
import type { FileHandle, FileIo } from '../../domain/ports/file-io.port';
import { StorageIoError } from '../../domain/shared/errors';
import { encodeSegmentHeader, FREE_NAME, segmentName } from './log-segments';

const MAX_SPARES = 2;
const ZEROS = new Uint8Array(1024 * 1024);

export interface Segment {
  readonly n: number;
  readonly firstPosition: number;
  readonly size: number;
  handle: FileHandle | null;
  /** Its header and directory entry are durable (a sync round or recovery saw it whole). */
  synced: boolean;
}

/** Records appended for one segment, written by a sync round (or ahead of it) at `offset`. */
export interface Chunk {
  readonly segment: Segment;
  readonly offset: number;
  buf: Uint8Array;
  used: number;
  /** Written into its segment ahead of its round (not synced); appends no longer go into it. */
  written: boolean;
}

/** A chunk's buffer (one of its own for a larger record), and how many written ones are kept for reuse. */
const CHUNK_BYTES = 1024 * 1024;
const FREE_BUFFERS = 8;

/** Written chunks' buffers of the usual size, for the next chunks (one writer commits without a 1 MiB allocation each). */
export class ChunkBuffers {
  readonly #free: Uint8Array[] = [];

  take(length: number): Uint8Array {
    if (length <= CHUNK_BYTES) return this.#free.pop() ?? new Uint8Array(CHUNK_BYTES);
    return new Uint8Array(length);
  }

  recycle(chunks: readonly Chunk[]): void {
    for (const c of chunks) if (c.buf.length === CHUNK_BYTES && this.#free.length < FREE_BUFFERS) this.#free.push(c.buf);
  }
}

export class SegmentFiles {
  readonly #spares: string[] = [];
  #making: Promise<void> | null = null;
  #closed = false;

  constructor(private readonly io: FileIo, readonly dir: string, private readonly segmentSizeBytes: number) {}

  /** The spares an earlier run left (`free-<k>.bin`), found at open. */
  found(file: string): void {
    if (FREE_NAME.test(file)) this.#spares.push(`${this.dir}/${file}`);
  }

  /** The segment's file, created (or a spare renamed) on first use, its name durable before any record in it is acknowledged. */
  opened(segment: Segment): void {
    if (segment.handle !== null) return;
    segment.handle = this.#materialize(segment);
    this.io.syncDir(this.dir);
  }

  /** A spare exists or is being made. */
  get spareReady(): boolean {
    return this.#spares.length > 0 || this.#making !== null;
  }

  /** A zero-filled spare segment for segment `n`, written in the background (`.tmp`, then renamed once synced). */
  makeSpare(n: number): void {
    const size = this.segmentSizeBytes;
    const tmp = `${this.dir}/free-${n}.bin.tmp`;
    this.#making = (async () => {
      const h = this.io.open(tmp, 'create');
      try {
        for (let at = 0; at < size; at += ZEROS.length) await this.io.writeAsync(h, ZEROS, 0, Math.min(ZEROS.length, size - at), at);
        await this.io.syncAsync(h);
      } finally {
        this.io.close(h);
      }
      if (this.#closed) return this.io.remove(tmp);
      const name = tmp.slice(0, -4);
      this.io.rename(tmp, name);
      this.io.syncDir(this.dir);
      this.#spares.push(name);
    })()
      .catch(() => undefined) // no spare: the roll creates the segment itself
      .finally(() => {
        this.#making = null;
      });
  }

  /** A segment every record of which a checkpoint covers: its file becomes a spare, or goes. */
  retire(old: Segment): void {
    this.io.close(old.handle!);
    const path = `${this.dir}/${segmentName(old.n)}`;
    if (old.size === this.segmentSizeBytes && this.#spares.length < MAX_SPARES) {
      const spare = `${this.dir}/free-${old.n}.bin`;
      this.io.rename(path, spare);
      this.#spares.push(spare);
    } else this.io.remove(path);
    this.io.syncDir(this.dir);
  }

  /** Waits for a spare being made; none is kept after this. */
  async close(): Promise<void> {
    await this.#making;
    this.#closed = true;
  }

  /** The file of a segment the log rolled over to: a spare renamed into place, or a new (sparse) file. */
  #materialize(segment: Segment): FileHandle {
    const path = `${this.dir}/${segmentName(segment.n)}`;
    const spare = segment.size === this.segmentSizeBytes ? this.#spares.shift() : undefined;
    if (spare === undefined) return this.#create(segment.n, segment.firstPosition, segment.size);
    this.io.rename(spare, path);
    const h = this.io.open(path, 'write');
    const header = encodeSegmentHeader(segment.n, segment.firstPosition, segment.size);
    this.io.write(h, header, 0, header.length, 0);
    // Durable before any record goes in: a header torn by a power loss then never has this segment's records after it.
    this.io.sync(h);
    return h;
  }

  #create(n: number, firstPosition: number, size: number): FileHandle {
    if (!this.io.exists(this.dir)) {
      this.io.mkdir(this.dir);
      this.io.syncDir(this.dir.slice(0, this.dir.lastIndexOf('/')) || '/');
    }
    const h = this.io.open(`${this.dir}/${segmentName(n)}`, 'create');
    this.io.truncate(h, size);
    const header = encodeSegmentHeader(n, firstPosition, size);
    this.io.write(h, header, 0, header.length, 0);
    this.io.sync(h);
    return h;
  }
}

/** Latencies of the last LATENCIES sync rounds, ms, and their percentiles (metrics). */
const LATENCIES = 1024;

export class SyncLatencies {
  readonly #ms = new Float64Array(LATENCIES);
  #count = 0;

  add(ms: number): void {
    this.#ms[this.#count++ % LATENCIES] = ms;
  }

  /** A function giving the p-quantile (0..1) of the kept latencies (0 when there are none). */
  percentiles(): (p: number) => number {
    const n = Math.min(this.#count, LATENCIES);
    const sorted = Array.from(this.#ms.subarray(0, n)).sort((a, b) => a - b);
    return (p) => (n === 0 ? 0 : sorted[Math.min(n - 1, Math.floor(p * n))]!);
  }
}

/** A failed log write or sync as a typed error: DISK_FULL for ENOSPC / EDQUOT, else STORAGE_IO. */
export function logError(e: unknown): StorageIoError {
  if (e instanceof StorageIoError) return e;
  const code = (e as { code?: unknown }).code;
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new StorageIoError(
      `The delta log could not be written: the disk is full (${code}). Nothing is lost — the changes stay in memory and in the ` +
        'log buffer, and are written when there is room: free disk space, then call flush() or node.checkpoint()', 'DISK_FULL', e);
  }
  return new StorageIoError(`The delta log could not be written (${typeof code === 'string' ? code : String(e)}); the changes stay in memory and the next sync retries`, 'STORAGE_IO', e);
}

/** The records of one sync round, and the promise their writers wait on. */
export interface Group {
  readonly promise: Promise<void>;
  resolve(): void;
  reject(e: unknown): void;
}

export function newGroup(): Group {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined); // a group nobody awaits must not be an unhandled rejection
  return { promise, resolve, reject };
}
