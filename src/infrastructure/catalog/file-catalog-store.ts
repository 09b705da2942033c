/**
 * The catalog's files under `dir` (e.g. `<workDir>/catalog`), through the FileIo port:
 *
 *   catalog.log        header, then one record per entry appended since the snapshot, each fdatasynced on append
 *   catalog.snapshot   header, then one record: the state at a version (replaced whole: temp, sync, rename)
 *   *.tmp              a snapshot or a fresh log being written; a leftover of a crash, deleted at load
 *
 * Header (16 bytes, little-endian): magic "AICATLOG" / "AICATSNP" | format version u16 (1) | reserved u16 |
 * CRC-32 u32 of bytes 0..12. Record: payload length u32 | CRC-32 u32 of the payload | payload = msgpack of a
 * two-key map {v: version, e: entry} (log) or {v: version, s: state} (snapshot), written by ValueWriter (catalog-value-codec.ts)
 * (standard msgpack; bigints are int64 / uint64, beyond 64 bits msgpackr's extension 0x42; undefined is fixext 0)
 * and read by msgpackr.
 *
 * Write order is the recovery protocol. An append writes its record after the last one and fdatasyncs: until the
 * sync returns the record may be lost or torn, and load cuts it. A snapshot goes to `catalog.snapshot.tmp`, is
 * synced, renamed over `catalog.snapshot`, the directory synced (the commit point); then `catalog.log.tmp` with the
 * header alone, synced, renamed over `catalog.log`, directory synced. A crash between the two leaves the old log
 * beside the new snapshot: its entries at or below the snapshot's version are skipped at load.
 *
 * Load decides between a torn tail and corruption by what follows a bad record (short, failing its CRC, or a length
 * of 0): each append is synced before the next is written, so a valid record anywhere after a bad one proves the bad
 * one had been synced — DataCorruptionError naming file and offset, and nothing is changed; with nothing valid after
 * it, it is the unacknowledged tail: truncated and synced (unless the FileIo refuses writes: a read-only load).
 */
import { crc32 } from 'node:zlib';
import {
  checkAppendVersion, checkSnapshotVersion, type CatalogStore, type StoredCatalog,
} from '../../application/catalog/catalog-store.port';
import { parentOf, readWholeFile, writeFileAtomically, type FileHandle, type FileIo } from '../../domain/ports/file-io.port';
import { DataCorruptionError, StorageClosedError, StorageError, StorageIoError } from '../../domain/shared/errors';
import { CATALOG_RECORD_HEADER_BYTES, decodeRecordPayload, ValueWriter } from './catalog-value-codec';

export { CATALOG_RECORD_HEADER_BYTES };

export const CATALOG_LOG_MAGIC = 'AICATLOG';
export const CATALOG_SNAPSHOT_MAGIC = 'AICATSNP';
export const CATALOG_FORMAT_VERSION = 1;
export const CATALOG_HEADER_BYTES = 16;
const [H_VERSION, H_CRC] = [8, 12];
/** The first bytes of every payload: a 2-entry map, then the key "v" (a cheap filter before a CRC). */
const PAYLOAD_START = [0x82, 0xa1, 0x76];

type Entry = { readonly version: number; readonly entry: unknown };

export class FileCatalogStore implements CatalogStore {
  readonly #log: string;
  readonly #snapshot: string;
  /** Caller-owned scratch for encoding records (a view of it is valid until the next encode). */
  readonly #writer = new ValueWriter();
  /** The log, open for appends; null before load, after close, and on a read-only load. */
  #handle: FileHandle | null = null;
  /** Where the next record goes: the end of the last acknowledged one. */
  #end = CATALOG_HEADER_BYTES;
  #last = 0;
  #sinceSnapshot = 0;
  #loaded = false;
  #closed = false;
  /** A failure that left the files in a state this object can no longer vouch for: reopen to recover. */
  #broken: unknown = null;

  constructor(
    private readonly io: FileIo,
    private readonly dir: string,
  ) {
    this.#log = `${dir}/catalog.log`;
    this.#snapshot = `${dir}/catalog.snapshot`;
  }

  get entriesSinceSnapshot(): number {
    return this.#sinceSnapshot;
  }

  load(): StoredCatalog {
    if (this.#closed) throw new StorageClosedError('The catalog store is closed: load() refused');
    if (this.#loaded) throw new StorageError('The catalog store is loaded already: load() runs once, at open');
    const snapshotBytes = this.#readFile(this.#snapshot);
    const logBytes = this.#readFile(this.#log);
    const snapshot = snapshotBytes === null ? null : readSnapshot(snapshotBytes, this.#snapshot);
    if (logBytes === null && snapshot !== null) {
      throw corrupt(this.#log, 'the file is missing while catalog.snapshot exists (the entries after the snapshot are lost)');
    }
    const scan = logBytes === null ? { entries: [], end: CATALOG_HEADER_BYTES } : scanLog(logBytes, this.#log, snapshot?.version ?? 0);
    // Nothing is changed on disk before this point: a damaged catalog is reported as it was found.
    this.#prepareFiles(logBytes, scan.end);
    this.#end = scan.end;
    this.#last = scan.entries.at(-1)?.version ?? snapshot?.version ?? 0;
    this.#sinceSnapshot = scan.entries.length;
    this.#loaded = true;
    return { snapshot, entries: scan.entries };
  }

  append(version: number, entry: unknown): void {
    const h = this.#writable('append an entry to');
    checkAppendVersion(version, this.#last);
    const record = this.#writer.record('e', version, entry, 'entry');
    try {
      this.io.write(h, record, 0, record.length, this.#end);
      this.io.sync(h);
    } catch (e) {
      this.#undoAppend(h, version, e);
    }
    this.#end += record.length;
    this.#last = version;
    this.#sinceSnapshot++;
  }

  writeSnapshot(version: number, state: unknown): void {
    const h = this.#writable('write a snapshot beside');
    checkSnapshotVersion(version, this.#last);
    const record = this.#writer.record('s', version, state, 'state');
    const header = encodeHeader(CATALOG_SNAPSHOT_MAGIC);
    try {
      this.io.remove(`${this.#snapshot}.tmp`);
      writeFileAtomically(this.io, this.#snapshot, '', (t) => {
        this.io.write(t, header, 0, header.length, 0);
        this.io.write(t, record, 0, record.length, header.length);
      });
    } catch (e) {
      throw ioError(`write the catalog snapshot ${this.#snapshot}`, e, 'the catalog log still holds every entry');
    }
    this.#last = version;
    this.#restartLog(h);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#handle !== null) this.io.close(this.#handle);
    this.#handle = null;
  }

  /** The log's handle for a write, or the reason why there is none. */
  #writable(what: string): FileHandle {
    if (this.#closed) throw new StorageClosedError(`The catalog store is closed: cannot ${what} ${this.#log}`);
    if (!this.#loaded) throw new StorageError('The catalog store is not loaded: call load() before append or writeSnapshot');
    if (this.#broken !== null) {
      throw new StorageIoError(
        `Cannot ${what} ${this.#log}: an earlier failure (${messageOf(this.#broken)}) left the catalog files in a state ` +
          `only a reload can read. Close the node and open it again.`, 'STORAGE_IO', this.#broken,
      );
    }
    if (this.#handle === null) {
      throw new StorageIoError(`Cannot ${what} ${this.#log}: the catalog was loaded read-only`, 'WORKDIR_READ_ONLY');
    }
    return this.#handle;
  }

  /** A failed append: cut back whatever part of its record reached the file, so the log ends at the last acknowledged one. */
  #undoAppend(h: FileHandle, version: number, cause: unknown): never {
    try {
      this.io.truncate(h, this.#end);
      this.io.sync(h);
    } catch {
      // A partial record may be left after the last good one: load cuts it (nothing valid follows it).
      this.#broken = cause;
    }
    throw ioError(`append catalog entry version ${version} to ${this.#log}`, cause,
      'the entry was not stored and the entries before it are intact');
  }

  /** Starts the log afresh after a snapshot: the old log is usable until the rename, after it only a reload is sure. */
  #restartLog(old: FileHandle): void {
    const tmp = `${this.#log}.tmp`;
    const header = encodeHeader(CATALOG_LOG_MAGIC);
    try {
      this.io.remove(tmp);
      const t = this.io.open(tmp, 'createNew');
      try {
        this.io.write(t, header, 0, header.length, 0);
        this.io.sync(t);
      } finally {
        this.io.close(t);
      }
    } catch (e) {
      try {
        this.io.remove(tmp);
      } catch {
        // The first failure is the one to report; a leftover is deleted at the next load.
      }
      throw ioError(`start a fresh catalog log ${tmp}`, e, 'the snapshot is written and the log goes on as it was');
    }
    try {
      this.io.rename(tmp, this.#log);
      this.io.syncDir(this.dir);
      this.#handle = this.io.open(this.#log, 'write');
    } catch (e) {
      this.#broken = e;
      throw ioError(`replace the catalog log ${this.#log}`, e, 'the snapshot is written; close the node and open it again');
    }
    this.io.close(old);
    this.#end = CATALOG_HEADER_BYTES;
    this.#sinceSnapshot = 0;
  }

  /** Creates the directory and the log, deletes leftover temp files, cuts a torn tail, opens the log for appends. */
  #prepareFiles(logBytes: Uint8Array | null, end: number): void {
    try {
      if (!this.io.exists(this.dir)) {
        this.io.mkdir(this.dir);
        this.io.syncDir(parentOf(this.dir));
      }
      this.#removeLeftovers();
      if (logBytes === null) {
        const header = encodeHeader(CATALOG_LOG_MAGIC);
        writeFileAtomically(this.io, this.#log, '', (t) => this.io.write(t, header, 0, header.length, 0));
      }
      const h = this.io.open(this.#log, 'write');
      this.#handle = h;
      if (logBytes !== null && end < logBytes.length) {
        this.io.truncate(h, end);
        this.io.sync(h);
      }
    } catch (e) {
      // A read-only FileIo refuses before it changes anything: the files stay as found, a torn tail is ignored.
      if (e instanceof StorageIoError && e.code === 'WORKDIR_READ_ONLY') return;
      if (this.#handle !== null) this.io.close(this.#handle);
      this.#handle = null;
      throw ioError(`prepare the catalog files in ${this.dir}`, e, 'nothing stored was changed');
    }
  }

  /** Deletes the temp files a crash left (never read: a temp file is renamed only once it is whole and synced). */
  #removeLeftovers(): void {
    const leftovers = [`${this.#snapshot}.tmp`, `${this.#log}.tmp`].filter((tmp) => this.io.exists(tmp));
    for (const tmp of leftovers) this.io.remove(tmp);
    if (leftovers.length > 0) this.io.syncDir(this.dir);
  }

  #readFile(path: string): Uint8Array | null {
    try {
      return readWholeFile(this.io, path);
    } catch (e) {
      throw ioError(`read ${path}`, e, 'nothing was changed');
    }
  }
}

function encodeHeader(magic: string): Uint8Array {
  const b = new Uint8Array(CATALOG_HEADER_BYTES);
  const dv = new DataView(b.buffer);
  for (let i = 0; i < 8; i++) b[i] = magic.charCodeAt(i);
  dv.setUint16(H_VERSION, CATALOG_FORMAT_VERSION, true);
  dv.setUint32(H_CRC, crc32(b.subarray(0, H_CRC)), true);
  return b;
}

function checkHeader(data: Uint8Array, magic: string, file: string): void {
  if (data.length < CATALOG_HEADER_BYTES) throw corrupt(file, `its ${data.length} bytes are shorter than the header`);
  const dv = new DataView(data.buffer, data.byteOffset, data.length);
  if (String.fromCharCode(...data.subarray(0, 8)) !== magic || dv.getUint32(H_CRC, true) !== crc32(data.subarray(0, H_CRC))) {
    throw corrupt(file, `its header fails its check (magic "${magic}", CRC-32)`);
  }
  const version = dv.getUint16(H_VERSION, true);
  if (version !== CATALOG_FORMAT_VERSION) {
    throw corrupt(file, `its format version is ${version}; this build reads version ${CATALOG_FORMAT_VERSION}`);
  }
}

/** The payload of the record at `at`, or null when it is short, has length 0 or fails its CRC. */
function recordAt(data: Uint8Array, dv: DataView, at: number): Uint8Array | null {
  if (at + CATALOG_RECORD_HEADER_BYTES > data.length) return null;
  const length = dv.getUint32(at, true);
  const start = at + CATALOG_RECORD_HEADER_BYTES;
  if (length === 0 || length > data.length - start) return null;
  const payload = data.subarray(start, start + length);
  return dv.getUint32(at + 4, true) === crc32(payload) ? payload : null;
}

/** Whether a valid record starts anywhere after `bad` (payloads start with PAYLOAD_START, so few offsets get a CRC). */
function validRecordAfter(data: Uint8Array, dv: DataView, bad: number): boolean {
  const p = CATALOG_RECORD_HEADER_BYTES;
  for (let at = bad + 1; at + p + PAYLOAD_START.length <= data.length; at++) {
    if (data[at + p] !== PAYLOAD_START[0] || data[at + p + 1] !== PAYLOAD_START[1] || data[at + p + 2] !== PAYLOAD_START[2]) continue;
    if (recordAt(data, dv, at) !== null) return true;
  }
  return false;
}

/** The log's entries above `after` (the snapshot's version), and where its valid records end. */
function scanLog(data: Uint8Array, file: string, after: number): { entries: Entry[]; end: number } {
  checkHeader(data, CATALOG_LOG_MAGIC, file);
  const dv = new DataView(data.buffer, data.byteOffset, data.length);
  const entries: Entry[] = [];
  let last = after;
  let at = CATALOG_HEADER_BYTES;
  while (at < data.length) {
    const payload = recordAt(data, dv, at);
    if (payload === null) {
      if (validRecordAfter(data, dv, at)) {
        throw corrupt(file, 'a record there is damaged (short or failing its CRC-32) while a valid record follows it', at);
      }
      break; // the tail of an append that never returned: cut
    }
    const r = decodeRecordPayload(payload, 'e');
    if (r === null) throw corrupt(file, 'a record there passes its CRC-32 but is not a catalog entry this build reads', at);
    if (r.version > after) {
      if (r.version !== last + 1) throw corrupt(file, `entry version ${r.version} follows version ${last} (entries are missing)`, at);
      entries.push({ version: r.version, entry: r.value });
      last = r.version;
    }
    at += CATALOG_RECORD_HEADER_BYTES + payload.length;
  }
  return { entries, end: at };
}

function readSnapshot(data: Uint8Array, file: string): { version: number; state: unknown } {
  checkHeader(data, CATALOG_SNAPSHOT_MAGIC, file);
  const dv = new DataView(data.buffer, data.byteOffset, data.length);
  const payload = recordAt(data, dv, CATALOG_HEADER_BYTES);
  if (payload === null || CATALOG_HEADER_BYTES + CATALOG_RECORD_HEADER_BYTES + payload.length !== data.length) {
    throw corrupt(file, 'its record is short, long or fails its CRC-32', CATALOG_HEADER_BYTES);
  }
  const r = decodeRecordPayload(payload, 's');
  if (r === null) throw corrupt(file, 'its record passes its CRC-32 but is not a catalog snapshot this build reads', CATALOG_HEADER_BYTES);
  return { version: r.version, state: r.value };
}

function corrupt(file: string, what: string, offset?: number): DataCorruptionError {
  const where = offset === undefined ? '' : ` at byte offset ${offset}`;
  return new DataCorruptionError(
    `Catalog file ${file} is corrupt${where}: ${what}. Nothing was changed; restore the work dir from a backup ` +
      `(the catalog cannot be opened without it).`,
  );
}

function ioError(what: string, cause: unknown, consequence: string): StorageIoError {
  if (cause instanceof StorageIoError) return cause;
  return new StorageIoError(
    `Cannot ${what} (${messageOf(cause)}); ${consequence}. Free disk space or fix the directory's permissions, then retry.`,
    'STORAGE_IO', cause,
  );
}

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));
