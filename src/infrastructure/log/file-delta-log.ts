/**
 * The write-ahead delta log on files (layout and recovery rules: log-segments.ts).
 *
 * - `append` is synchronous: the batch is encoded into an in-memory chunk bound for its segment, and gets the next
 *   position. Its `durable` promise depends on the sync mode: `fsync` — the group's promise, resolved by the
 *   fdatasync that covers it; `background` — at once (a timer syncs every backgroundSyncIntervalMillis).
 * - Group commit: one sync round at a time writes every chunk gathered (several segments when the log rolled over),
 *   fdatasyncs the segments it touched, and resolves its group; batches appended meanwhile form the next group,
 *   which starts as soon as the round ends.
 * - Segments: when a record does not fit, the log rolls over to segment n + 1 — a spare segment (zero-filled in the
 *   background, or a recycled one) renamed into place, so that later syncs overwrite allocated blocks in place.
 * - `release(position)`: segments whose records all lie at or below it, and below every recovered batch not yet
 *   replayed, become spares (at most MAX_SPARES kept) or are deleted.
 * - A failed write or sync fails its group and every later one (StorageIoError): the log's state on disk is unknown
 *   until the node reopens.
 */
import type { FileHandle, FileIo } from '../../domain/ports/file-io.port';
import type { AppendedBatch, DeltaLogMetrics, DurableDeltaLog, RecoveredBatch } from '../../domain/ports/delta-log.port';
import type { PartitionMutation } from '../../domain/partition/partition.events';
import { StorageIoError } from '../../domain/shared/errors';
import { decodeBatch, encodeBatch } from './log-record-codec';
import {
  encodeSegmentHeader, FREE_NAME, readPayload, RECORD_HEADER_BYTES, scanSegments, SEGMENT_HEADER_BYTES, segmentName, writeRecord, type RecordRef,
} from './log-segments';

export interface FileDeltaLogOptions {
  readonly syncMode: 'fsync' | 'background';
  readonly backgroundSyncIntervalMillis: number;
  readonly segmentSizeBytes: number;
  readonly now?: () => number;
}

const MAX_SPARES = 2;
const ZEROS = new Uint8Array(1024 * 1024);
const LATENCIES = 1024;

interface Segment {
  readonly n: number;
  readonly firstPosition: number;
  readonly size: number;
  handle: FileHandle | null;
}

interface Chunk {
  readonly segment: Segment;
  readonly offset: number;
  buf: Uint8Array;
  used: number;
}

interface Group {
  readonly promise: Promise<void>;
  resolve(): void;
  reject(e: unknown): void;
}

export class FileDeltaLog implements DurableDeltaLog {
  readonly wantsRecords = true;
  readonly #segments: Segment[] = [];
  #chunks: Chunk[] = [];
  /** Next write offset in the newest segment (appended or pending). */
  #offset = SEGMENT_HEADER_BYTES;
  #last = 0;
  #group: Group | null = null;
  #round: Promise<void> | null = null;
  #failure: StorageIoError | null = null;
  #timer: NodeJS.Timeout | null = null;
  #spares: string[] = [];
  #spareMaking: Promise<void> | null = null;
  readonly #recovered = new Map<string, { tableId: number; partitionId: number; refs: RecordRef[] }>();
  readonly #now: () => number;
  readonly #stats = { records: 0, bytes: 0, syncs: 0, synced: 0, recovered: 0, replayed: 0, replayMs: 0 };
  readonly #latencies = new Float64Array(LATENCIES);
  #latencyCount = 0;
  #closed = false;

  constructor(private readonly io: FileIo, readonly dir: string, private readonly opts: FileDeltaLogOptions) {
    this.#now = opts.now ?? (() => performance.now());
  }

  /** Recovery (see log-segments.ts) and the newest segment opened for appends; a new log gets its first segment. */
  open(): void {
    const io = this.io;
    if (!io.exists(this.dir)) {
      io.mkdir(this.dir);
      io.syncDir(this.dir.slice(0, this.dir.lastIndexOf('/')) || '/');
    }
    for (const f of io.list(this.dir)) {
      if (f.endsWith('.tmp')) io.remove(`${this.dir}/${f}`);
      else if (FREE_NAME.test(f)) this.#spares.push(`${this.dir}/${f}`);
    }
    const scan = scanSegments(io, this.dir, (path) => io.open(path, 'write'));
    for (const s of scan.segments) this.#segments.push({ n: s.n, firstPosition: s.firstPosition, size: s.size, handle: io.open(s.path, 'write') });
    for (const [k, v] of scan.records) this.#recovered.set(k, v);
    this.#stats.recovered = scan.recordCount;
    this.#last = scan.lastPosition;
    if (this.#segments.length === 0) {
      const first = this.#createSegment(1, 1, this.opts.segmentSizeBytes);
      io.syncDir(this.dir);
      this.#segments.push(first);
      this.#offset = SEGMENT_HEADER_BYTES;
    } else {
      this.#offset = scan.endOffset;
      if (scan.dirtyTail) this.#clearTail();
    }
    if (this.opts.syncMode === 'background') this.#arm();
  }

  get lastPosition(): number {
    return this.#last;
  }

  append(tableId: number, partitionId: number, batch: readonly PartitionMutation[]): AppendedBatch {
    if (this.#closed) throw new StorageIoError('the delta log is closed');
    const payload = encodeBatch(batch);
    const length = RECORD_HEADER_BYTES + payload.length;
    const position = ++this.#last;
    let chunk: Chunk | undefined = this.#chunks[this.#chunks.length - 1];
    const newest = this.#newest();
    if (this.#offset + length > newest.size) {
      // Roll over: the record starts the next segment (one larger than the default if the record needs it).
      const size = Math.max(this.opts.segmentSizeBytes, SEGMENT_HEADER_BYTES + length);
      const segment: Segment = { n: newest.n + 1, firstPosition: position, size, handle: null };
      this.#segments.push(segment);
      this.#offset = SEGMENT_HEADER_BYTES;
      chunk = undefined;
    }
    if (chunk === undefined || chunk.segment !== this.#newest()) {
      chunk = { segment: this.#newest(), offset: this.#offset, buf: new Uint8Array(Math.max(64 * 1024, length)), used: 0 };
      this.#chunks.push(chunk);
    }
    if (chunk.used + length > chunk.buf.length) {
      const grown = new Uint8Array(Math.max(chunk.buf.length * 2, chunk.used + length));
      grown.set(chunk.buf.subarray(0, chunk.used));
      chunk.buf = grown;
    }
    writeRecord(chunk.buf, chunk.used, position, tableId, partitionId, payload);
    chunk.used += length;
    this.#offset += length;
    this.#stats.records++;
    this.#stats.bytes += length;
    if (!this.#spareReady() && this.#offset > newest.size / 2) this.#makeSpare();
    if (this.opts.syncMode === 'background') return { position, durable: this.#failure === null ? RESOLVED : Promise.reject(this.#failure) };
    return { position, durable: this.#nextGroup() };
  }

  sync(): Promise<void> {
    if (this.#chunks.length === 0) return this.#round ?? (this.#failure === null ? RESOLVED : Promise.reject(this.#failure));
    return this.#nextGroup();
  }

  *recovered(tableId: number, partitionId: number, after: number): Iterable<RecoveredBatch> {
    const key = `${tableId}/${partitionId}`;
    const entry = this.#recovered.get(key);
    if (entry === undefined) return;
    const t0 = this.#now();
    try {
      for (const ref of entry.refs) {
        if (ref.position <= after) continue;
        const segment = this.#segments.find((s) => s.n === ref.segment);
        if (segment?.handle == null) throw new StorageIoError(`delta log segment ${ref.segment} is gone before its records were replayed`);
        const payload = readPayload(this.io, segment.handle, ref);
        this.#stats.replayed++;
        yield { position: ref.position, batch: decodeBatch(payload, `${this.dir}/${segmentName(ref.segment)} offset ${ref.offset - RECORD_HEADER_BYTES}`) };
      }
    } finally {
      this.#recovered.delete(key);
      this.#stats.replayMs += this.#now() - t0;
    }
  }

  dropRecovered(tableId: number): void {
    for (const [k, v] of this.#recovered) if (v.tableId === tableId) this.#recovered.delete(k);
  }

  release(position: number): void {
    let limit = position;
    for (const v of this.#recovered.values()) if (v.refs.length > 0) limit = Math.min(limit, v.refs[0]!.position - 1);
    // Segment i holds positions [first_i, first_{i+1}); never the newest (appends go there).
    while (this.#segments.length > 1 && this.#segments[1]!.firstPosition - 1 <= limit && this.#segments[1]!.handle !== null) {
      const old = this.#segments.shift()!;
      this.io.close(old.handle!);
      const path = `${this.dir}/${segmentName(old.n)}`;
      if (old.size === this.opts.segmentSizeBytes && this.#spares.length < MAX_SPARES) {
        const spare = `${this.dir}/free-${old.n}.bin`;
        this.io.rename(path, spare);
        this.#spares.push(spare);
      } else this.io.remove(path);
      this.io.syncDir(this.dir);
    }
  }

  metrics(): DeltaLogMetrics {
    const n = Math.min(this.#latencyCount, LATENCIES);
    const sorted = Array.from(this.#latencies.subarray(0, n)).sort((a, b) => a - b);
    const pct = (p: number): number => (n === 0 ? 0 : sorted[Math.min(n - 1, Math.floor(p * n))]!);
    const s = this.#stats;
    return {
      recordsAppended: s.records, bytesAppended: s.bytes, syncs: s.syncs, recordsPerSync: s.syncs === 0 ? 0 : s.synced / s.syncs,
      syncP50Ms: pct(0.5), syncP99Ms: pct(0.99), sizeBytes: this.#segments.reduce((t, x) => t + x.size, 0), segments: this.#segments.length,
      recoveredRecords: s.recovered, replayedRecords: s.replayed, replayMillis: s.replayMs,
    };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    try {
      await this.sync();
      await this.#spareMaking;
    } finally {
      this.#closed = true;
      for (const s of this.#segments) if (s.handle !== null) this.io.close(s.handle);
    }
  }

  #newest(): Segment {
    return this.#segments[this.#segments.length - 1]!;
  }

  /** The promise of the group that the next sync round writes; the round starts after the current code. */
  #nextGroup(): Promise<void> {
    if (this.#failure !== null) return Promise.reject(this.#failure);
    if (this.#group === null) {
      let resolve!: () => void;
      let reject!: (e: unknown) => void;
      const promise = new Promise<void>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      promise.catch(() => undefined); // a group nobody awaits (runConsistently) must not be an unhandled rejection
      this.#group = { promise, resolve, reject };
      if (this.#round === null) queueMicrotask(() => this.#startRound());
    }
    return this.#group.promise;
  }

  #startRound(): void {
    if (this.#round !== null || (this.#chunks.length === 0 && this.#group === null)) return;
    const chunks = this.#chunks;
    const group = this.#group;
    this.#chunks = [];
    this.#group = null;
    const t0 = this.#now();
    const records = this.#stats.records;
    this.#round = this.#write(chunks).then(
      () => {
        this.#stats.syncs++;
        this.#stats.synced += records - this.#syncedRecords;
        this.#syncedRecords = records;
        this.#latencies[this.#latencyCount++ % LATENCIES] = this.#now() - t0;
        group?.resolve();
      },
      (e: unknown) => {
        this.#failure ??= e instanceof StorageIoError ? e : new StorageIoError(
          `The delta log could not be written (${(e as { code?: string }).code ?? String(e)}); writes since the last sync are not durable. ` +
            'Fix the disk, then reopen the node: recovery replays what reached the log', (e as { code?: string }).code === 'ENOSPC' ? 'DISK_FULL' : 'STORAGE_IO', e);
        group?.reject(this.#failure);
        this.#group?.reject(this.#failure);
      },
    ).finally(() => {
      this.#round = null;
      if (this.#group !== null || this.#chunks.length > 0) this.#startRound();
    });
  }

  #syncedRecords = 0;

  /**
   * Writes and syncs the chunks in order, one segment at a time: a segment's records reach the disk only after every
   * record before them is durable, so recovery never finds a torn record followed by a later segment's records
   * unless the log is corrupt.
   */
  async #write(chunks: Chunk[]): Promise<void> {
    if (this.#failure !== null) throw this.#failure;
    for (const c of chunks) {
      const created = c.segment.handle === null;
      if (created) c.segment.handle = this.#materialize(c.segment);
      await this.io.writeAsync(c.segment.handle!, c.buf, 0, c.used, c.offset);
      await this.io.syncAsync(c.segment.handle!);
      if (created) this.io.syncDir(this.dir);
    }
  }

  /** The file of a segment the log rolled over to: a spare renamed into place, or a new (sparse) file. */
  #materialize(segment: Segment): FileHandle {
    const path = `${this.dir}/${segmentName(segment.n)}`;
    const spare = segment.size === this.opts.segmentSizeBytes ? this.#spares.shift() : undefined;
    if (spare === undefined) {
      const seg = this.#createSegment(segment.n, segment.firstPosition, segment.size);
      return seg.handle!;
    }
    this.io.rename(spare, path);
    const h = this.io.open(path, 'write');
    const header = encodeSegmentHeader(segment.n, segment.firstPosition, segment.size);
    this.io.write(h, header, 0, header.length, 0);
    return h;
  }

  #createSegment(n: number, firstPosition: number, size: number): Segment {
    const path = `${this.dir}/${segmentName(n)}`;
    const h = this.io.open(path, 'create');
    this.io.truncate(h, size);
    const header = encodeSegmentHeader(n, firstPosition, size);
    this.io.write(h, header, 0, header.length, 0);
    this.io.sync(h);
    return { n, firstPosition, size, handle: h };
  }

  #spareReady(): boolean {
    return this.#spares.length > 0 || this.#spareMaking !== null;
  }

  /** A zero-filled spare segment, written in the background (`.tmp`, then renamed once synced). */
  #makeSpare(): void {
    const size = this.opts.segmentSizeBytes;
    const tmp = `${this.dir}/free-${this.#newest().n + 1}.bin.tmp`;
    this.#spareMaking = (async () => {
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
        this.#spareMaking = null;
      });
  }

  /** After a torn tail: zeros from the end of the log to the end of its segment, synced, before any append. */
  #clearTail(): void {
    const s = this.#newest();
    for (let at = this.#offset; at < s.size; at += ZEROS.length) this.io.write(s.handle!, ZEROS, 0, Math.min(ZEROS.length, s.size - at), at);
    this.io.sync(s.handle!);
  }

  #arm(): void {
    if (this.#closed) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      if (this.#chunks.length > 0) void this.#nextGroup().catch(() => undefined);
      this.#arm();
    }, this.opts.backgroundSyncIntervalMillis);
    this.#timer.unref();
  }
}

const RESOLVED: Promise<void> = Promise.resolve();
