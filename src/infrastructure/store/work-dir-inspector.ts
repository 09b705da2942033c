/**
 * A read-only picture of a work dir (`aistorage inspect`): aipersist's tables under `<workDir>/db/table-<id>/` with
 * their partitions' main and delta files (page counts from their headers and sizes), index descriptor files, and
 * the write-ahead delta log under `<workDir>/log/` (segments with their first positions, spare segments, and the
 * records a scan finds). Layouts: page-file.layout.ts, log-segments.ts.
 *
 * It reads through the FileIo it is given — the offline tools pass a ReadOnlyFileIo — and never stops at damage:
 * a header it cannot read is reported on its file (`headerProblem`), a log the scan rejects in `log.scanProblem`.
 * Checking every page is the verifier's job (work-dir-verifier.ts), which starts from this picture.
 */
import type { FileIo } from '../../domain/ports/file-io.port';
import { DataCorruptionError } from '../../domain/shared/errors';
import { FREE_NAME, scanSegments, SEGMENT_NAME } from '../log/log-segments';
import { mainPageSlots, readFileHeader } from './page-file-reader';

export interface FileInfo {
  readonly name: string;
  readonly bytes: number;
}

export interface PageFileInfo extends FileInfo {
  readonly path: string;
  /** Main file: page slots after its header page (written pages and holes); delta file: the pages its header lists. */
  readonly pages: number | null;
  readonly pageSize: number | null;
  /** What is wrong with its header (then `pages` and `pageSize` are null for a delta file), or null. */
  readonly headerProblem: string | null;
}

export interface DeltaFileInfo extends PageFileInfo {
  /** The checkpoint number in its name. */
  readonly checkpoint: number;
  /** The partition's page count as of that checkpoint (its header), or null. */
  readonly partitionPages: number | null;
}

export interface PartitionInfo {
  readonly id: number;
  readonly main: PageFileInfo | null;
  /** Ascending by checkpoint; the newest holds the partition's committed state. */
  readonly deltas: DeltaFileInfo[];
  /** The committed page count (the newest delta file's), or null without a readable delta file (empty partition). */
  readonly committedPages: number | null;
  /** A `part-<id>.del` marker: a destruction a crash cut short (the next start deletes the files). */
  readonly destroying: boolean;
  readonly bytes: number;
}

export interface TableInfo {
  readonly id: number;
  readonly path: string;
  readonly partitions: PartitionInfo[];
  /** `indexes.json`: the table's index descriptors, or null. */
  readonly indexFile: FileInfo | null;
  /** Anything else (`.tmp` leftovers of a crash, which the next start deletes; unknown files). */
  readonly otherFiles: FileInfo[];
  /** A `table-<id>.del` marker next to its directory: a destruction a crash cut short. */
  readonly destroying: boolean;
  readonly bytes: number;
}

export interface SegmentInfo extends FileInfo {
  readonly path: string;
  readonly n: number;
  /** The position of its first record, as the scan read it; null if the scan did not reach it. */
  readonly firstPosition: number | null;
}

export interface LogProblem {
  /** The segment named by the problem, or null. */
  readonly segment: string | null;
  /** The byte offset in that segment, when the problem names one. */
  readonly offset: number | null;
  readonly message: string;
}

export interface LogInfo {
  readonly path: string;
  readonly segments: SegmentInfo[];
  /** Spare segments (`free-<k>.bin`), renamed into the next segment when the log rolls over. */
  readonly spares: FileInfo[];
  readonly otherFiles: FileInfo[];
  /** Valid records the scan found (null when the scan failed). */
  readonly records: number | null;
  readonly firstPosition: number | null;
  readonly lastPosition: number | null;
  /** Bytes of the valid records (headers included). */
  readonly recordBytes: number | null;
  /** Why the scan rejected the log (corruption in the middle, a missing segment), or null. */
  readonly scanProblem: LogProblem | null;
  readonly bytes: number;
}

export interface WorkDirInventory {
  readonly workDir: string;
  readonly tables: TableInfo[];
  /** Null when the work dir has no `log` directory. */
  readonly log: LogInfo | null;
  /** Files directly in the work dir (configuration `aistorage.json`, ...). */
  readonly files: FileInfo[];
  readonly totals: {
    readonly tables: number;
    readonly partitions: number;
    readonly pageFiles: number;
    readonly pages: number;
    readonly dbBytes: number;
    readonly logBytes: number;
    readonly bytes: number;
  };
}

const TABLE_DIR = /^table-(-?\d+)$/;
const MAIN_NAME = /^part-(\d+)\.bin$/;
const DELTA_NAME = /^part-(\d+)-delta-(\d+)\.bin$/;
const PART_DEL = /^part-(\d+)\.del$/;
const INDEXES_FILE = 'indexes.json';

/** The picture of `workDir` (an existing directory) read through `io`. */
export function inspectWorkDir(io: FileIo, workDir: string): WorkDirInventory {
  const dbDir = `${workDir}/db`;
  const dbNames = io.list(dbDir);
  const tables = dbNames
    .map((name) => TABLE_DIR.exec(name))
    .filter((m) => m !== null)
    .map((m) => inspectTable(io, `${dbDir}/${m[0]}`, Number(m[1]), dbNames.includes(`${m[0]}.del`)))
    .sort((a, b) => a.id - b.id);
  const log = io.exists(`${workDir}/log`) ? inspectLog(io, `${workDir}/log`) : null;
  const files = io.list(workDir).filter((n) => n !== 'db' && n !== 'log').sort().flatMap((n) => fileInfo(io, `${workDir}/${n}`, n));
  const partitions = tables.flatMap((t) => t.partitions);
  const pageFiles = partitions.flatMap((p) => (p.main === null ? p.deltas : [p.main, ...p.deltas]));
  const dbBytes = tables.reduce((s, t) => s + t.bytes, 0);
  const logBytes = log?.bytes ?? 0;
  return {
    workDir,
    tables,
    log,
    files,
    totals: {
      tables: tables.length,
      partitions: partitions.length,
      pageFiles: pageFiles.length,
      pages: pageFiles.reduce((s, f) => s + (f.pages ?? 0), 0),
      dbBytes,
      logBytes,
      bytes: dbBytes + logBytes + files.reduce((s, f) => s + f.bytes, 0),
    },
  };
}

function inspectTable(io: FileIo, dir: string, id: number, destroying: boolean): TableInfo {
  const names = io.list(dir).sort();
  const ids = new Set<number>();
  for (const name of names) {
    const m = MAIN_NAME.exec(name) ?? DELTA_NAME.exec(name) ?? PART_DEL.exec(name);
    if (m !== null) ids.add(Number(m[1]));
  }
  const partitions = [...ids].sort((a, b) => a - b).map((p) => inspectPartition(io, dir, p, names));
  const known = (n: string): boolean => MAIN_NAME.test(n) || DELTA_NAME.test(n) || PART_DEL.test(n) || n === INDEXES_FILE;
  const indexFile = names.includes(INDEXES_FILE) ? fileInfo(io, `${dir}/${INDEXES_FILE}`, INDEXES_FILE)[0] ?? null : null;
  const otherFiles = names.filter((n) => !known(n)).flatMap((n) => fileInfo(io, `${dir}/${n}`, n));
  const bytes = partitions.reduce((s, p) => s + p.bytes, 0) + (indexFile?.bytes ?? 0) + otherFiles.reduce((s, f) => s + f.bytes, 0);
  return { id, path: dir, partitions, indexFile, otherFiles, destroying, bytes };
}

function inspectPartition(io: FileIo, dir: string, id: number, names: readonly string[]): PartitionInfo {
  const mainName = `part-${id}.bin`;
  const main = names.includes(mainName) ? pageFileInfo(io, dir, mainName, 'main').info : null;
  const deltas = names
    .map((n) => DELTA_NAME.exec(n))
    .filter((m) => m !== null && Number(m[1]) === id)
    .map((m) => Number(m![2]))
    .sort((a, b) => a - b)
    .map((n): DeltaFileInfo => {
      const { info, partitionPages } = pageFileInfo(io, dir, `part-${id}-delta-${n}.bin`, 'delta');
      return { ...info, checkpoint: n, partitionPages };
    });
  return {
    id,
    main,
    deltas,
    committedPages: deltas[deltas.length - 1]?.partitionPages ?? null,
    destroying: names.includes(`part-${id}.del`),
    bytes: (main?.bytes ?? 0) + deltas.reduce((s, d) => s + d.bytes, 0),
  };
}

function pageFileInfo(io: FileIo, dir: string, name: string, kind: 'main' | 'delta'): { info: PageFileInfo; partitionPages: number | null } {
  const path = `${dir}/${name}`;
  const h = io.open(path, 'read');
  try {
    const bytes = io.size(h);
    const { header, problem } = readFileHeader(io, h, kind);
    const pages = header === null ? null : kind === 'main' ? mainPageSlots(bytes, header.pageSize) : header.pageIndexes.length;
    return { info: { name, path, bytes, pages, pageSize: header?.pageSize ?? null, headerProblem: problem }, partitionPages: header?.partitionPages ?? null };
  } finally {
    io.close(h);
  }
}

function inspectLog(io: FileIo, dir: string): LogInfo {
  const names = io.list(dir).sort();
  const segmentFiles = names.filter((n) => SEGMENT_NAME.test(n));
  const spares = names.filter((n) => FREE_NAME.test(n)).flatMap((n) => fileInfo(io, `${dir}/${n}`, n));
  const otherFiles = names.filter((n) => !SEGMENT_NAME.test(n) && !FREE_NAME.test(n)).flatMap((n) => fileInfo(io, `${dir}/${n}`, n));
  let scan: ReturnType<typeof scanSegments> | null = null;
  let scanProblem: LogProblem | null = null;
  try {
    scan = scanSegments(io, dir, (path) => io.open(path, 'read'), true);
  } catch (e) {
    if (!(e instanceof DataCorruptionError)) throw e;
    const segment = segmentFiles.map((n) => `${dir}/${n}`).find((p) => e.message.startsWith(p)) ?? null;
    const offset = /at offset (\d+)/.exec(e.message);
    scanProblem = { segment, offset: offset === null ? null : Number(offset[1]), message: e.message };
  }
  const segments = segmentFiles.flatMap((name): SegmentInfo[] => {
    const n = Number(SEGMENT_NAME.exec(name)![1]);
    const scanned = scan?.segments.find((s) => s.n === n);
    return fileInfo(io, `${dir}/${name}`, name).map((f) => ({ ...f, path: `${dir}/${name}`, n, firstPosition: scanned?.firstPosition ?? null }));
  });
  const first = scan?.segments[0]?.firstPosition ?? null;
  const bytes = [...segments, ...spares, ...otherFiles].reduce((s, f) => s + f.bytes, 0);
  return {
    path: dir,
    segments,
    spares,
    otherFiles,
    records: scan?.recordCount ?? null,
    firstPosition: scan === null || scan.recordCount === 0 ? null : first,
    lastPosition: scan === null || scan.recordCount === 0 ? null : scan.lastPosition,
    recordBytes: scan?.bytes ?? null,
    scanProblem,
    bytes,
  };
}

/** [{name, bytes}] for a regular file; [] for a directory or a name gone meanwhile. */
function fileInfo(io: FileIo, path: string, name: string): FileInfo[] {
  let h;
  try {
    h = io.open(path, 'read');
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (code === 'ENOENT' || code === 'EISDIR') return [];
    throw e;
  }
  try {
    return [{ name, bytes: io.size(h) }];
  } finally {
    io.close(h);
  }
}
