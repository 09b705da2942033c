/**
 * The write-ahead delta log on files (layout and recovery rules: log-segments.ts).
 *
 * - `append` is synchronous: the batch is encoded into an in-memory chunk bound for its segment, and gets the next
 *   position. Its `durable` promise depends on the sync mode: `fsync` — the group's promise, resolved by the
 *   fdatasync that covers it; `background` — at once (a timer syncs every backgroundSyncIntervalMillis). In `fsync`
 *   mode the promise is asked for lazily: a batch whose durability nobody asks for (a runConsistently closure, e.g. a
 *   transaction's write intent) starts no round, and goes with the next one — so a one-row transaction's intent and
 *   commit share one fdatasync.
 * - Group commit: one sync round at a time writes every chunk gathered (several segments when the log rolled over),
 *   fdatasyncs the segments it touched, and resolves its group; batches whose durability was asked for meanwhile form
 *   the next group, which starts as soon as the round ends.
 * - Segments: when a record does not fit, the log rolls over to segment n + 1 — a spare segment (zero-filled in the
 *   background, or a recycled one) renamed into place, so that later syncs overwrite allocated blocks in place.
 * - `release(position)`: segments whose records all lie at or below it, and below every recovered batch not yet
 *   replayed, become spares (at most MAX_SPARES kept) or are deleted.
 * - A failed write or sync (disk full) rejects its group with a typed error (DISK_FULL / STORAGE_IO); its chunks
 *   stay queued and the next round writes them again at the same place, so nothing appended is dropped.
 */
import type { FileIo } from '../../domain/ports/file-io.port';
import type { AppendedBatch, DeltaLogMetrics, DurableDeltaLog, RecoveredBatch } from '../../domain/ports/delta-log.port';
import type { PartitionMutation } from '../../domain/partition/partition.events';
import { StorageIoError } from '../../domain/shared/errors';
import { encodeBatch } from './log-record-codec';
import { readRecovered, RecoveredRecords } from './log-recovery';
import { ChunkBuffers, logError, newGroup, SegmentFiles, SyncLatencies, type Chunk, type Group, type Segment } from './log-segment-files';
import {
  RECORD_HEADER_BYTES, scanSegments, SEGMENT_HEADER_BYTES, segmentName, writeRecord,
} from './log-segments';

export interface FileDeltaLogOptions {
  /** `none`: nothing is appended (durable at checkpoints), but a log left by an earlier run is recovered all the same. */
  readonly syncMode: 'fsync' | 'background' | 'none';
  /** A read-only node: recovery reads, nothing is written. */
  readonly readOnly?: boolean;
  readonly backgroundSyncIntervalMillis: number;
  readonly segmentSizeBytes: number;
  readonly now?: () => number;
  /** Rounds of at most this many records may sync on the event loop (default INLINE_SYNC_RECORDS; 0: never). */
  readonly inlineSyncRecords?: number;
}

/** Chunks up to this size are written synchronously by a sync round. */
const SYNC_WRITE_MAX = 256 * 1024;
/**
 * A round of at most this many records syncs on the event loop while fdatasync takes under INLINE_SYNC_MS on
 * average: one writer waiting on each commit gains the thread-pool round trip (about 40% of its commits/s on this
 * disk), and the loop is held for a fraction of a millisecond. Larger groups (many writers) and slow disks sync on
 * the thread pool, so closures run while the disk works.
 */
const INLINE_SYNC_RECORDS = 4;
const INLINE_SYNC_MS = 1;
/**
 * Unwritten bytes at which an append writes them into their segment at once, without a sync (the OS cache takes
 * them in microseconds; the next round only syncs them): a writer that never yields to the event loop (a bulk load
 * in one synchronous loop) neither gathers its whole log in memory nor waits for an fdatasync.
 */
const WRITE_AHEAD_BYTES = 4 * 1024 * 1024;

export class FileDeltaLog implements DurableDeltaLog {
  readonly wantsRecords: boolean;
  readonly #segments: Segment[] = [];
  #chunks: Chunk[] = [];
  /** Bytes in #chunks. */
  #pendingBytes = 0;
  /** Next write offset in the newest segment (appended or pending). */
  #offset = SEGMENT_HEADER_BYTES;
  #last = 0;
  #group: Group | null = null;
  #round: Promise<void> | null = null;
  #timer: NodeJS.Timeout | null = null;
  readonly #files: SegmentFiles;
  readonly #buffers = new ChunkBuffers();
  readonly #recovered = new RecoveredRecords();
  readonly #now: () => number;
  readonly #stats = { records: 0, bytes: 0, syncs: 0, synced: 0, recovered: 0, replayed: 0, replayMs: 0 };
  readonly #latencies = new SyncLatencies();
  #closed = false;
  /** The highest position a checkpoint released: everything at or below it is on the partitions' pages. */
  #releasedThrough = 0;

  constructor(private readonly io: FileIo, readonly dir: string, private readonly opts: FileDeltaLogOptions) {
    this.#now = opts.now ?? (() => performance.now());
    this.wantsRecords = opts.syncMode !== 'none' && opts.readOnly !== true;
    this.#files = new SegmentFiles(io, dir, opts.segmentSizeBytes);
  }

  /**
   * Recovery (see log-segments.ts) and the newest segment opened for appends. Nothing is created here: a node that
   * never appends (no aipersist table, sync mode none) leaves no log directory; the first append's sync creates it.
   */
  open(): void {
    const io = this.io;
    const readOnly = this.opts.readOnly === true;
    if (io.exists(this.dir)) {
      for (const f of io.list(this.dir)) {
        if (f.endsWith('.tmp') && !readOnly) io.remove(`${this.dir}/${f}`);
        else this.#files.found(f);
      }
      const mode = readOnly ? 'read' : 'write';
      const scan = scanSegments(io, this.dir, (path) => io.open(path, mode), readOnly);
      for (const s of scan.segments) this.#segments.push({ n: s.n, firstPosition: s.firstPosition, size: s.size, handle: io.open(s.path, mode), synced: true });
      this.#recovered.add(scan.records);
      this.#stats.recovered = scan.recordCount;
      this.#last = scan.lastPosition;
      this.#offset = scan.endOffset;
      this.#syncedThrough = scan.lastPosition;
      if (!readOnly && this.#segments.length > 0) {
        // What recovery read may sit only in the OS cache (a killed process): synced now, records appended from here
        // on may name it durable-through (log-segments.ts).
        const newest = this.#newest();
        io.sync(newest.handle!);
        // Appends never continue a segment an earlier run wrote to: that run's unsynced records may lie past the end
        // recovery found (a round's sectors written back out of order, or a torn record), and the same positions
        // appended there again would make them read as a continuation. A new segment (a spare, made by the first
        // sync) starts at the next position; recovery stops reading the old one at its end.
        this.#segments.push({ n: newest.n + 1, firstPosition: this.#last + 1, size: this.opts.segmentSizeBytes, handle: null, synced: false });
        this.#offset = SEGMENT_HEADER_BYTES;
      }
    }
    if (this.#segments.length === 0) {
      // Segment 1, created by the first sync.
      this.#segments.push({ n: 1, firstPosition: this.#last + 1, size: this.opts.segmentSizeBytes, handle: null, synced: false });
      this.#offset = SEGMENT_HEADER_BYTES;
    }
    if (this.opts.syncMode === 'background' && this.wantsRecords) this.#arm();
  }

  /** Batches found at open and not yet handed to their partitions, per table id (tests, metrics). */
  pendingRecovered(): number {
    return this.#recovered.pending();
  }

  get lastPosition(): number {
    return this.#last;
  }

  append(tableId: number, partitionId: number, batch: readonly PartitionMutation[]): AppendedBatch {
    if (this.#closed || !this.wantsRecords) throw new StorageIoError(`the delta log ${this.#closed ? 'is closed' : 'takes no records'}`);
    const payload = encodeBatch(batch);
    const length = RECORD_HEADER_BYTES + payload.length;
    const position = ++this.#last;
    let chunk: Chunk | undefined = this.#chunks[this.#chunks.length - 1];
    const newest = this.#newest();
    if (this.#offset + length > newest.size) {
      // Roll over: the record starts the next segment (one larger than the default if the record needs it).
      const size = Math.max(this.opts.segmentSizeBytes, SEGMENT_HEADER_BYTES + length);
      const segment: Segment = { n: newest.n + 1, firstPosition: position, size, handle: null, synced: false };
      this.#segments.push(segment);
      this.#offset = SEGMENT_HEADER_BYTES;
      chunk = undefined;
    }
    if (chunk === undefined || chunk.segment !== this.#newest() || chunk.written || chunk.used + length > chunk.buf.length) {
      // A record that does not fit starts the next chunk (nothing is copied to grow one).
      chunk = { segment: this.#newest(), offset: this.#offset, buf: this.#buffers.take(length), used: 0, written: false };
      this.#chunks.push(chunk);
    }
    writeRecord(chunk.buf, chunk.used, position, this.#syncedThrough, tableId, partitionId, payload);
    chunk.used += length;
    this.#offset += length;
    this.#stats.records++;
    this.#stats.bytes += length;
    this.#pendingBytes += length;
    if (!this.#files.spareReady && this.#offset > newest.size / 2) this.#files.makeSpare(this.#newest().n + 1);
    if (this.#pendingBytes >= WRITE_AHEAD_BYTES) this.#writeAhead();
    if (this.opts.syncMode === 'background') return { position, durable: RESOLVED };
    const log = this;
    // Asked for lazily: a closure nobody awaits (runConsistently: a transaction's write intent) starts no sync round,
    // so the commit that follows it shares one fdatasync with it instead of waiting behind a round of its own.
    return { position, get durable() { return log.#durableThrough(position); } };
  }

  /** Resolves once the record at `position` is durable: at once, with the round in flight, or with the next one. */
  #durableThrough(position: number): Promise<void> {
    if (position <= this.#syncedThrough) return RESOLVED;
    if (this.#round !== null && position <= this.#roundThrough) return this.#roundGroup!.promise;
    return this.#nextGroup();
  }

  /**
   * Resolves once every record appended before the call is durable; rejects when it cannot be made durable (a failed
   * round leaves its records queued: they count). It waits for the records up to the call, not for a pause: writers
   * that keep appending (each round's end starts the next) never hold it back — a checkpoint waits on it.
   */
  async sync(): Promise<void> {
    const target = this.#last;
    while (this.#syncedThrough < target) {
      if (this.#round !== null) await this.#round;
      else if (this.#chunks.length > 0 || this.#group !== null) await this.#nextGroup();
      else return;
    }
  }

  /**
   * Writes and syncs what is pending, synchronously (a checkpoint that must not wait): false, changing nothing, while
   * a sync round is in flight.
   */
  syncNow(): boolean {
    if (this.#round !== null) return false;
    const through = this.#last;
    const { chunks, group, pending } = this.#take();
    try {
      for (const c of chunks) {
        this.#files.opened(c.segment);
        if (!c.written) this.io.write(c.segment.handle!, c.buf, 0, c.used, c.offset);
        this.io.sync(c.segment.handle!);
        c.segment.synced = true;
      }
    } catch (e) {
      this.#requeue(chunks);
      this.#pendingBytes += pending;
      const error = logError(e);
      group?.reject(error);
      throw error;
    }
    this.#stats.syncs++;
    this.#stats.synced += this.#stats.records - this.#syncedRecords;
    this.#syncedRecords = this.#stats.records;
    this.#syncedThrough = through;
    this.#buffers.recycle(chunks);
    group?.resolve();
    return true;
  }

  recovered(tableId: number, partitionId: number, after: number): Iterable<RecoveredBatch> {
    const refs = this.#recovered.of(tableId, partitionId);
    if (refs === undefined) return [];
    const stats = this.#stats;
    return readRecovered(refs, after, {
      io: this.io,
      handle: (n) => {
        const h = this.#segments.find((s) => s.n === n)?.handle;
        if (h == null) throw new StorageIoError(`delta log segment ${n} is gone before its records were replayed`);
        return h;
      },
      where: (n, offset) => `${this.dir}/${segmentName(n)} offset ${offset - RECORD_HEADER_BYTES}`,
      counted: (records) => {
        stats.replayed += records;
      },
    });
  }

  replayTook(millis: number): void {
    this.#stats.replayMs += millis;
  }

  forgetRecovered(tableId: number, partitionId: number): void {
    this.#recovered.forget(tableId, partitionId);
  }

  recoveredTables(): number[] {
    return this.#recovered.tables();
  }

  recoveredPartitions(tableId: number): number[] {
    return this.#recovered.partitions(tableId);
  }

  dropRecovered(tableId: number): void {
    this.#recovered.drop(tableId);
  }

  holdLimit(position: number): number {
    return this.#recovered.holdLimit(position);
  }

  release(position: number): void {
    this.#releasedThrough = Math.max(this.#releasedThrough, position);
    // Segment i holds positions [first_i, first_{i+1}); never the newest (appends go there), never one whose
    // successor is not durable yet (its header and first records), never one with records still queued.
    while (this.#segments.length > 1 && this.#segments[1]!.firstPosition - 1 <= position && this.#segments[1]!.synced) {
      const old = this.#segments[0]!;
      if (this.#chunks.some((c) => c.segment === old)) break;
      this.#segments.shift();
      this.#files.retire(old);
    }
  }

  metrics(): DeltaLogMetrics {
    const pct = this.#latencies.percentiles();
    const s = this.#stats;
    return {
      recordsAppended: s.records, bytesAppended: s.bytes, syncs: s.syncs, recordsPerSync: s.syncs === 0 ? 0 : s.synced / s.syncs,
      syncP50Ms: pct(0.5), syncP99Ms: pct(0.99), sizeBytes: this.#segments.reduce((t, x) => t + (x.handle === null ? 0 : x.size), 0), segments: this.#segments.filter((x) => x.handle !== null).length,
      recoveredRecords: s.recovered, replayedRecords: s.replayed, replayMillis: s.replayMs,
    };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    try {
      await this.sync();
      await this.#files.close();
      if (this.wantsRecords && this.#releasedThrough >= this.#last && this.#last > 0) this.#startEmpty();
    } finally {
      this.#closed = true;
      for (const s of this.#segments) if (s.handle !== null) this.io.close(s.handle);
    }
  }

  /**
   * A clean close after a checkpoint that covers every batch: the log starts over in a new segment that holds no
   * record — its header keeps the next position, so positions never go back — and the old ones go, so the next
   * open scans 64 bytes instead of a segment of batches the pages already hold.
   */
  #startEmpty(): void {
    const newest = this.#newest();
    // The segment this run would have appended to, if it never did (not created yet), serves as the empty one.
    let next = newest;
    if (newest.handle !== null || newest.firstPosition !== this.#last + 1) {
      next = { n: newest.n + 1, firstPosition: this.#last + 1, size: this.opts.segmentSizeBytes, handle: null, synced: false };
      this.#segments.push(next);
    }
    this.#files.opened(next);
    this.io.sync(next.handle!);
    next.synced = true;
    this.release(this.#last);
  }

  #newest(): Segment {
    return this.#segments[this.#segments.length - 1]!;
  }

  /** The promise of the group that the next sync round writes; the round starts after the current code. */
  #nextGroup(): Promise<void> {
    if (this.#group === null) {
      this.#group = newGroup();
      if (this.#round === null) queueMicrotask(() => this.#startRound());
    }
    return this.#group.promise;
  }

  #startRound(): void {
    if (this.#round !== null || (this.#chunks.length === 0 && this.#group === null)) return;
    const through = this.#last;
    const { chunks, group: asked, pending } = this.#take();
    const group = asked ?? newGroup(); // joined by records of the round whose durability is asked for later
    this.#roundThrough = through;
    this.#roundGroup = group;
    const t0 = this.#now();
    const records = this.#stats.records;
    this.#roundSegment = chunks[0]?.segment ?? null;
    this.#round = this.#write(chunks, records - this.#syncedRecords).then(
      () => {
        this.#stats.syncs++;
        this.#stats.synced += records - this.#syncedRecords;
        this.#syncedRecords = records;
        this.#syncedThrough = through;
        this.#latencies.add(this.#now() - t0);
        this.#buffers.recycle(chunks);
        group.resolve();
      },
      (e: unknown) => {
        // Nothing is dropped: the chunks go back in front and the next round writes them again at the same place.
        this.#requeue(chunks);
        this.#pendingBytes += pending;
        group.reject(logError(e));
      },
    ).finally(() => {
      this.#round = null;
      this.#roundSegment = null;
      // Only a group asked for since (someone waits) starts the next round: records nobody waits for (runConsistently)
      // go with it, a sync() or a checkpoint; and after a failure there is no retry loop on a full disk.
      if (this.#group !== null) this.#startRound();
    });
  }

  #syncedRecords = 0;
  /** The last position and the group of the round in flight. */
  #roundThrough = 0;
  #roundGroup: Group | null = null;
  /** The last position known fdatasynced: each record carries it (durable-through, log-segments.ts). */
  #syncedThrough = 0;

  /**
   * Writes and syncs the chunks in order, one segment at a time: a segment's records reach the disk only after every
   * record before them is durable, so recovery never finds a torn record followed by a later segment's records
   * unless the log is corrupt.
   */
  async #write(chunks: Chunk[], records: number): Promise<void> {
    const inline = records <= (this.opts.inlineSyncRecords ?? INLINE_SYNC_RECORDS) && this.#syncEwmaMs < INLINE_SYNC_MS;
    for (let i = 0; i < chunks.length; ) {
      const segment = chunks[i]!.segment;
      let end = i;
      let unwritten = 0;
      for (; end < chunks.length && chunks[end]!.segment === segment; end++) if (!chunks[end]!.written) unwritten += chunks[end]!.used;
      this.#files.opened(segment);
      const h = segment.handle!;
      if (inline && unwritten <= SYNC_WRITE_MAX) {
        // A small group on a fast disk: write + fdatasync right here, on the event loop. A round trip through the
        // thread pool costs about as much as the fdatasync itself; the sync's latency decides (#syncEwmaMs).
        const t0 = this.#now();
        for (let k = i; k < end; k++) this.#writeChunk(chunks[k]!);
        this.io.sync(h);
        this.#syncTook(this.#now() - t0);
        segment.synced = true;
        // The group resolves from a macrotask, as after a thread-pool sync: a writer awaiting commit after commit
        // must not starve the event loop (timers — the interval checkpoint —, I/O callbacks).
        await new Promise<void>((resolve) => setImmediate(resolve));
      } else {
        // Small chunks go straight into the OS cache (microseconds; one thread-pool hop less per commit), large
        // ones on the thread pool; the fdatasync is off the event loop.
        for (let k = i; k < end; k++) {
          const c = chunks[k]!;
          if (c.written) continue;
          if (c.used <= SYNC_WRITE_MAX) this.#writeChunk(c);
          else await this.io.writeAsync(h, c.buf, 0, c.used, c.offset);
        }
        const t0 = this.#now();
        await this.io.syncAsync(h);
        this.#syncTook(this.#now() - t0);
        segment.synced = true;
      }
      i = end;
    }
  }

  #writeChunk(c: Chunk): void {
    if (!c.written) this.io.write(c.segment.handle!, c.buf, 0, c.used, c.offset);
  }

  /** The first segment of the sync round in flight (null when none): it may hold records not yet synced. */
  #roundSegment: Segment | null = null;

  /**
   * Writes the pending chunks into their segments now, unsynced (see WRITE_AHEAD_BYTES). A later segment's records
   * never reach its file before an earlier segment's are synced (recovery relies on it, log-segments.ts): crossing
   * into the next segment syncs the one before here (once per segment), or stops while a round in flight has it.
   * A failed write stops quietly: the round writes the chunk again and reports the error to its waiters.
   */
  #writeAhead(): void {
    let open: Segment | null = this.#roundSegment;
    for (const c of this.#chunks) {
      if (open !== null && c.segment !== open) {
        if (open === this.#roundSegment) return;
        try {
          this.io.sync(open.handle!);
        } catch {
          return;
        }
      }
      open = c.segment;
      if (c.written) continue;
      try {
        this.#files.opened(c.segment);
        this.io.write(c.segment.handle!, c.buf, 0, c.used, c.offset);
      } catch {
        return;
      }
      c.written = true;
      this.#pendingBytes -= c.used;
    }
    // An fdatasync on the thread pool while the writer goes on (one per 4 MiB written ahead: a loop that never yields
    // could not learn that the last one finished): the disk takes the bytes now, not in the next round or a
    // checkpoint's write phase. Durability still comes from the round's own sync; these only save it work.
    if (open?.handle != null) this.io.syncAsync(open.handle).catch(() => undefined);
  }

  /** A failed sync's chunks go back in front, to be written again (after a failed fdatasync the OS may have dropped them). */
  #requeue(chunks: Chunk[]): void {
    for (const c of chunks) {
      if (c.written) this.#pendingBytes += c.used;
      c.written = false;
    }
    this.#chunks = chunks.concat(this.#chunks);
  }

  /** Moving average of an fdatasync's latency (through the thread pool it includes the round trip). */
  #syncEwmaMs = 0;

  #syncTook(ms: number): void {
    this.#syncEwmaMs += (ms - this.#syncEwmaMs) / 8;
  }

  /** What is pending, taken for a sync (it goes back in front if the sync fails). */
  #take(): { chunks: Chunk[]; group: Group | null; pending: number } {
    const taken = { chunks: this.#chunks, group: this.#group, pending: this.#pendingBytes };
    this.#chunks = [];
    this.#group = null;
    this.#pendingBytes = 0;
    return taken;
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
