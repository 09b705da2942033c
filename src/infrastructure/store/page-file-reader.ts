/**
 * Tolerant readers of aipersist's partition files (layout: page-file.layout.ts) for the offline tools (`aistorage
 * inspect`, `verify`). Where the engine's PartitionFile / DeltaFile throw at the first problem, these say what is
 * wrong and let the caller go on to the next page or file. They only read: handles are the caller's, opened 'read'.
 */
import { MAX_PAGE_SIZE, MIN_PAGE_SIZE, PAGE_CRC_OFFSET, PAGE_ID_OFFSET } from '../../domain/page/page-header.layout';
import { pageIndex, readPageId } from '../../domain/page/page-id';
import type { FileHandle, FileIo } from '../../domain/ports/file-io.port';
import {
  checkFixedHeader, fixedHeaderField, H_CHECKPOINT, H_CRC, H_FIXED_END, H_FREE_HEAD, H_PAGE_COUNT, H_PAGE_SIZE, H_PARTITION_ID,
  H_PARTITION_PAGES, H_TABLE_ID, headerBytes, headerCrc, isZeroPage, pageCrc, type FileHeader,
} from './page-file.layout';

export type HeaderRead = { readonly header: FileHeader; readonly problem: null } | { readonly header: null; readonly problem: string };

/** Reads and checks a file's header (magic, version, page size, index list, CRC); never throws for bad content. */
export function readFileHeader(io: FileIo, h: FileHandle, kind: 'main' | 'delta'): HeaderRead {
  const bad = (problem: string): HeaderRead => ({ header: null, problem });
  const size = io.size(h);
  const fixed = new Uint8Array(H_FIXED_END);
  const n = readFully(io, h, fixed, 0, H_FIXED_END, 0);
  const problem = checkFixedHeader(fixed.subarray(0, n), kind);
  if (problem !== null) return bad(problem);
  const pageSize = fixedHeaderField(fixed, H_PAGE_SIZE);
  if (pageSize < MIN_PAGE_SIZE || pageSize > MAX_PAGE_SIZE || (pageSize & (pageSize - 1)) !== 0) return bad(`its page size ${pageSize} is not a power of two between ${MIN_PAGE_SIZE} and ${MAX_PAGE_SIZE}`);
  const pageCount = fixedHeaderField(fixed, H_PAGE_COUNT);
  if (kind === 'main' && pageCount !== 0) return bad(`a main file header lists ${pageCount} pages (it lists none)`);
  if (pageCount > size / 4) return bad(`it claims ${pageCount} pages, more than the file can hold`);
  const used = H_FIXED_END + 4 * pageCount;
  const all = new Uint8Array(used);
  all.set(fixed);
  if (readFully(io, h, all, H_FIXED_END, used - H_FIXED_END, H_FIXED_END) < used - H_FIXED_END) return bad('the page index list is truncated');
  const stored = fixedHeaderField(all, H_CRC);
  const actual = headerCrc(all, used);
  if (stored !== actual) return bad(`its CRC-32 is ${hex(actual)}, the header says ${hex(stored)}`);
  const pageIndexes = new Uint32Array(all.buffer.slice(H_FIXED_END, used));
  for (let i = 1; i < pageIndexes.length; i++) {
    if (pageIndexes[i]! <= pageIndexes[i - 1]!) return bad(`its page index list does not ascend (entry ${i}: ${pageIndexes[i]} after ${pageIndexes[i - 1]})`);
  }
  return {
    problem: null,
    header: {
      kind,
      pageSize,
      tableId: fixedHeaderField(all, H_TABLE_ID) | 0,
      partitionId: fixedHeaderField(all, H_PARTITION_ID),
      checkpoint: fixedHeaderField(all, H_CHECKPOINT),
      pageIndexes,
      partitionPages: fixedHeaderField(all, H_PARTITION_PAGES),
      freeHead: fixedHeaderField(all, H_FREE_HEAD),
    },
  };
}

/** Where a delta file's page images start (its header padded to whole pages). */
export function deltaDataStart(header: FileHeader): number {
  return headerBytes(header.pageIndexes.length, header.pageSize);
}

/** Page slots of a main file of `bytes` bytes (page i at (i + 1) × pageSize; a partial last page counts). */
export function mainPageSlots(bytes: number, pageSize: number): number {
  return Math.max(0, Math.ceil(bytes / pageSize) - 1);
}

export const PAGE_OK = 'ok';
export const PAGE_HOLE = 'hole';

/**
 * Checks the page image at `buf[off..off+length)` that should hold page `index`: PAGE_OK, PAGE_HOLE (all zeros: a
 * page never written), or what is wrong with it (truncated, CRC mismatch, another page's image).
 */
export function checkPageImage(buf: Uint8Array, off: number, length: number, pageSize: number, index: number): string {
  if (length < pageSize) return length === 0 ? 'the page is missing (the file ends before it)' : `the page is truncated (${length} of ${pageSize} bytes)`;
  if (isZeroPage(buf, off, pageSize)) return PAGE_HOLE;
  const dv = new DataView(buf.buffer, buf.byteOffset);
  const stored = dv.getUint32(off + PAGE_CRC_OFFSET, true);
  const actual = pageCrc(buf, off, pageSize);
  if (stored !== actual) return `its CRC-32 is ${hex(actual)}, the page says ${hex(stored)}`;
  const id = readPageId(dv, off + PAGE_ID_OFFSET);
  if (id !== 0 && pageIndex(id) !== index) return `it holds page ${pageIndex(id)} (a misplaced write)`;
  return PAGE_OK;
}

/** Reads up to `length` bytes at `position` (several reads if the OS returns fewer); returns the bytes read. */
export function readFully(io: FileIo, h: FileHandle, buf: Uint8Array, off: number, length: number, position: number): number {
  let done = 0;
  while (done < length) {
    const n = io.read(h, buf, off + done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done;
}

export function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}
