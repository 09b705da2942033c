/**
 * An offline check of a work dir (`aistorage verify`), starting from its picture (work-dir-inspector.ts): every
 * delta file header (magic, version, CRC, ascending index list, identity, size), every page image of every main and
 * delta file (CRC-32, right place), every table's index descriptor file, and every delta log record (the log's own
 * scan, which the picture ran). It reads through the FileIo it is given (the tools pass a ReadOnlyFileIo): it
 * never repairs anything — a crashed work dir stays as the crash left it.
 *
 * Findings come in two kinds. `problems`: damage the engine would run into — any bad delta file (delta files are
 * written whole, synced and renamed, so a bad byte in one is damage from outside), a bad main file header, a bad
 * main file page the partition uses, a corrupt log. `leftovers`: what a crash legitimately leaves and the engine
 * never reads — a torn main file page beyond the committed page count or shadowed by a delta file (a checkpoint or
 * compaction cut short rewrites it), files of a destruction cut short, `.tmp` files, a log segment whose roll was
 * cut short; the next start, checkpoint or compaction deletes or rewrites them.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { readWholeFile, type FileHandle, type FileIo } from '../../domain/ports/file-io.port';
import { slotOfPage, type FileHeader } from './page-file.layout';
import { checkPageImage, deltaDataStart, mainPageSlots, PAGE_HOLE, PAGE_OK, readFileHeader, readFully } from './page-file-reader';
import type { DeltaFileInfo, LogInfo, PartitionInfo, TableInfo, WorkDirInventory } from './work-dir-inspector';

export interface VerifyFinding {
  readonly file: string;
  /** The page index the finding is about, or null (a whole file, a log record). */
  readonly page: number | null;
  /** The byte offset in a log segment, or null. */
  readonly offset: number | null;
  readonly problem: string;
}

export interface VerifyReport {
  readonly workDir: string;
  /** No problems (leftovers are allowed). */
  readonly ok: boolean;
  readonly checked: {
    readonly pageFiles: number;
    /** Page images whose CRC was checked (holes not counted). */
    readonly pages: number;
    /** All-zero main file pages: never written. */
    readonly holes: number;
    readonly deltaHeaders: number;
    readonly indexFiles: number;
    readonly logSegments: number;
    /** Valid records the log's scan found; null when it rejected the log (see `problems`). */
    readonly logRecords: number | null;
  };
  readonly problems: VerifyFinding[];
  readonly leftovers: VerifyFinding[];
}

/** Called as pages are checked: `done` of `total` page slots (main file slots and delta file entries). */
export type VerifyProgress = (done: number, total: number) => void;

/** Pages read per call. */
const CHUNK_PAGES = 64;
const UNKNOWN = -1;

interface OpenDelta {
  readonly info: DeltaFileInfo;
  readonly h: FileHandle;
  readonly header: FileHeader;
}

class Verification {
  readonly problems: VerifyFinding[] = [];
  readonly leftovers: VerifyFinding[] = [];
  readonly checked: { -readonly [K in keyof VerifyReport['checked']]: VerifyReport['checked'][K] } = {
    pageFiles: 0, pages: 0, holes: 0, deltaHeaders: 0, indexFiles: 0, logSegments: 0, logRecords: 0,
  };
  done = 0;

  constructor(readonly io: FileIo, readonly total: number, private readonly progress: VerifyProgress | undefined) {}

  find(file: string, page: number | null, problem: string, harmless = false, offset: number | null = null): void {
    (harmless ? this.leftovers : this.problems).push({ file, page, offset, problem });
  }

  async advance(pages: number): Promise<void> {
    this.done += pages;
    this.progress?.(this.done, Math.max(this.done, this.total));
    await yieldToLoop(); // lets the progress line out and keeps the process responsive
  }
}

/** Checks the work dir the inventory describes (see the file comment). */
export async function verifyWorkDir(io: FileIo, inv: WorkDirInventory, progress?: VerifyProgress): Promise<VerifyReport> {
  const v = new Verification(io, inv.totals.pages, progress);
  progress?.(0, inv.totals.pages);
  for (const table of inv.tables) {
    if (table.indexFile !== null) checkIndexFile(v, `${table.path}/${table.indexFile.name}`);
    for (const f of table.otherFiles) {
      if (f.name.endsWith('.tmp')) v.find(`${table.path}/${f.name}`, null, 'a file write cut short by a crash (the next start deletes it)', true);
    }
    for (const part of table.partitions) await verifyPartition(v, table, part);
  }
  if (inv.log !== null) verifyLog(v, inv.log);
  const end = Math.max(v.done, inv.totals.pages); // pages of files whose header failed were not read
  progress?.(end, end);
  return { workDir: inv.workDir, ok: v.problems.length === 0, checked: v.checked, problems: v.problems, leftovers: v.leftovers };
}

async function verifyPartition(v: Verification, table: TableInfo, part: PartitionInfo): Promise<void> {
  const destroyed = table.destroying || part.destroying;
  if (destroyed) v.find(`${table.path}/part-${part.id}`, null, 'a destruction cut short by a crash: the next start deletes the partition\'s files', true);
  const deltas: OpenDelta[] = [];
  try {
    for (const info of part.deltas) {
      const d = openDelta(v, table, part, info, destroyed);
      if (d !== null) deltas.push(d);
    }
    const newestReadable = deltas.length > 0 && deltas[deltas.length - 1]!.info === part.deltas[part.deltas.length - 1];
    // Without a delta file the partition is empty; with an unreadable newest one its page count is unknown.
    const committed = part.deltas.length === 0 ? 0 : newestReadable ? deltas[deltas.length - 1]!.header.partitionPages : UNKNOWN;
    for (const d of deltas) await checkDeltaPages(v, d, destroyed);
    const pageSize = deltas[0]?.header.pageSize ?? null;
    if (part.main !== null) await checkMainFile(v, table, part, { pageSize, committed, deltas, destroyed });
  } finally {
    for (const d of deltas) v.io.close(d.h);
  }
}

function openDelta(v: Verification, table: TableInfo, part: PartitionInfo, info: DeltaFileInfo, harmless: boolean): OpenDelta | null {
  const h = v.io.open(info.path, 'read');
  const { header, problem } = readFileHeader(v.io, h, 'delta');
  v.checked.pageFiles++;
  const bad = (why: string): null => {
    v.io.close(h);
    v.find(info.path, null, `the delta file header is corrupt (${why})`, harmless);
    return null;
  };
  if (header === null) return bad(problem);
  v.checked.deltaHeaders++;
  if (header.tableId !== table.id || header.partitionId !== part.id || header.checkpoint !== info.checkpoint) {
    return bad(`it names table ${header.tableId}, partition ${header.partitionId}, checkpoint ${header.checkpoint}, not those of its name`);
  }
  const size = v.io.size(h);
  const want = deltaDataStart(header) + header.pageIndexes.length * header.pageSize;
  if (size !== want) return bad(`the file has ${size} bytes, its header describes ${want}`);
  return { info, h, header };
}

async function checkDeltaPages(v: Verification, d: OpenDelta, harmless: boolean): Promise<void> {
  const { pageSize, pageIndexes } = d.header;
  const start = deltaDataStart(d.header);
  const buf = new Uint8Array(CHUNK_PAGES * pageSize);
  for (let first = 0; first < pageIndexes.length; first += CHUNK_PAGES) {
    const count = Math.min(CHUNK_PAGES, pageIndexes.length - first);
    const got = readFully(v.io, d.h, buf, 0, count * pageSize, start + first * pageSize);
    for (let k = 0; k < count; k++) {
      const index = pageIndexes[first + k]!;
      const verdict = checkPageImage(buf, k * pageSize, clampLength(got, k, pageSize), pageSize, index);
      if (verdict === PAGE_OK) v.checked.pages++;
      else v.find(d.info.path, index, verdict === PAGE_HOLE ? 'the delta file lists it but its image is all zeros' : verdict, harmless);
    }
    await v.advance(count);
  }
}

interface MainContext {
  /** From the delta files; null: taken from the main file's own header. */
  readonly pageSize: number | null;
  /** The committed page count, or UNKNOWN. */
  readonly committed: number;
  readonly deltas: readonly OpenDelta[];
  readonly destroyed: boolean;
}

async function checkMainFile(v: Verification, table: TableInfo, part: PartitionInfo, ctx: MainContext): Promise<void> {
  const path = part.main!.path;
  const h = v.io.open(path, 'read');
  try {
    v.checked.pageFiles++;
    const { header, problem } = readFileHeader(v.io, h, 'main');
    if (header === null) v.find(path, null, `the file header is corrupt (${problem})`, ctx.destroyed);
    else if (header.tableId !== table.id || header.partitionId !== part.id || (ctx.pageSize !== null && header.pageSize !== ctx.pageSize)) {
      v.find(path, null, `its header names table ${header.tableId}, partition ${header.partitionId} with ${header.pageSize}-byte pages, ` +
        `not table ${table.id}, partition ${part.id}${ctx.pageSize === null ? '' : ` with ${ctx.pageSize}-byte pages`}`, ctx.destroyed);
    }
    const pageSize = ctx.pageSize ?? header?.pageSize ?? null;
    if (pageSize === null) return; // no page size known: its pages cannot be told apart
    const inUse = (index: number): boolean =>
      !ctx.destroyed && (ctx.committed === UNKNOWN || (index < ctx.committed && !ctx.deltas.some((d) => slotOfPage(d.header, index) >= 0)));
    await checkMainPages(v, h, path, pageSize, inUse);
  } finally {
    v.io.close(h);
  }
}

async function checkMainPages(v: Verification, h: FileHandle, path: string, pageSize: number, inUse: (index: number) => boolean): Promise<void> {
  const slots = mainPageSlots(v.io.size(h), pageSize);
  const buf = new Uint8Array(CHUNK_PAGES * pageSize);
  for (let first = 0; first < slots; first += CHUNK_PAGES) {
    const count = Math.min(CHUNK_PAGES, slots - first);
    const got = readFully(v.io, h, buf, 0, count * pageSize, (first + 1) * pageSize);
    for (let k = 0; k < count; k++) {
      const index = first + k;
      const verdict = checkPageImage(buf, k * pageSize, clampLength(got, k, pageSize), pageSize, index);
      if (verdict === PAGE_OK) v.checked.pages++;
      else if (verdict === PAGE_HOLE) v.checked.holes++;
      else if (inUse(index)) v.find(path, index, verdict);
      else v.find(path, index, `${verdict}; not in use (beyond the committed pages or held by a delta file): torn by a crash, rewritten by the next checkpoint or compaction`, true);
    }
    await v.advance(count);
  }
}

function checkIndexFile(v: Verification, path: string): void {
  v.checked.indexFiles++;
  const bytes = readWholeFile(v.io, path);
  if (bytes === null) return; // removed meanwhile
  try {
    const entries = JSON.parse(Buffer.from(bytes).toString('utf8')) as unknown;
    if (!Array.isArray(entries) || entries.some((e) => typeof e !== 'object' || e === null)) throw new TypeError('not a list of index descriptors');
  } catch (e) {
    v.find(path, null, `the table's index descriptors cannot be read (${(e as Error).message})`);
  }
}

function verifyLog(v: Verification, log: LogInfo): void {
  v.checked.logSegments = log.segments.length;
  v.checked.logRecords = log.records;
  for (const f of log.otherFiles) {
    if (f.name.endsWith('.tmp')) v.find(`${log.path}/${f.name}`, null, 'a file write cut short by a crash (the next start deletes it)', true);
  }
  const p = log.scanProblem;
  if (p !== null) {
    const file = p.segment ?? log.path;
    const message = p.message.startsWith(`${file}: `) ? p.message.slice(file.length + 2) : p.message;
    v.find(file, null, message, false, p.offset);
    return;
  }
  for (const s of log.segments) {
    if (s.firstPosition === null) v.find(s.path, null, 'its header is not valid and it holds no record: a roll cut short by a crash (the next start removes it)', true);
  }
}

/** The bytes of the k-th page in a chunk read that returned `got` bytes. */
function clampLength(got: number, k: number, pageSize: number): number {
  return Math.max(0, Math.min(pageSize, got - k * pageSize));
}

