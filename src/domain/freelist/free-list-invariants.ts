/**
 * Invariant check of an on-page free list (tests and diagnostics; walks every listed page): links agree both ways,
 * each page names the bucket it is listed in, counts match the lists, data pages in buckets 0..254 are consistent
 * and their room maps to their bucket, and the reuse bucket holds only empty data pages or free pages.
 */
import type { DataPageIo } from '../datapage/data-page-io';
import { PageView, type PageMemory } from '../page-memory/page-memory.port';
import { PAGE_TYPE_OFFSET } from '../page/page-header.layout';
import { pageIdToString, pageIndex } from '../page/page-id';
import { PAGE_TYPE_FREELIST_NODE } from '../page/page-types';
import { DataCorruptionError } from '../shared/errors';
import { BUCKET_COUNT, LIST_BUCKET_OFFSET, LIST_PREV_OFFSET, REUSE_BUCKET } from './free-list.layout';

/** What the check needs of the list. */
export interface CheckedFreeList {
  readonly groupId: number;
  readonly pageCount: number;
  bucketSize(bucket: number): number;
  bucketPages(bucket: number): number[];
  bucketForRoom(room: number): number;
}

export function checkFreeList(list: CheckedFreeList, memory: PageMemory, io: DataPageIo): void {
  const v = new PageView();
  const seen = new Set<number>();
  let total = 0;
  for (let b = 0; b < BUCKET_COUNT; b++) {
    const pages = list.bucketPages(b);
    if (pages.length !== list.bucketSize(b)) fail(`bucket ${b} lists ${pages.length} pages, its count says ${list.bucketSize(b)}`);
    let prev = 0;
    for (const id of pages) {
      if (seen.has(id)) fail(`${pageIdToString(id)} is listed twice`);
      seen.add(id);
      memory.acquireRead(list.groupId, id, v);
      try {
        const problem = checkPage(v, b, prev, list, io);
        if (problem !== null) fail(`${pageIdToString(id)} in bucket ${b}: ${problem}`);
      } finally {
        memory.release(v);
      }
      prev = pageIndex(id);
    }
    total += pages.length;
  }
  if (total !== list.pageCount) fail(`${list.pageCount} pages counted, ${total} listed`);
}

function checkPage(v: PageView, bucket: number, prev: number, list: CheckedFreeList, io: DataPageIo): string | null {
  const dv = v.dv;
  if (dv.getUint16(v.off + LIST_BUCKET_OFFSET, true) !== bucket + 1) return `names bucket ${dv.getUint16(v.off + LIST_BUCKET_OFFSET, true) - 1}`;
  if (dv.getUint32(v.off + LIST_PREV_OFFSET, true) !== prev) return `prev link ${dv.getUint32(v.off + LIST_PREV_OFFSET, true)}, expected ${prev}`;
  const isData = io.isDataPage(v);
  if (bucket === REUSE_BUCKET) {
    if (isData) return io.isEmpty(v) ? null : 'data page with items in the reuse bucket';
    return dv.getUint16(v.off + PAGE_TYPE_OFFSET, true) === PAGE_TYPE_FREELIST_NODE ? null : `page of type ${dv.getUint16(v.off + PAGE_TYPE_OFFSET, true)} in the reuse bucket`;
  }
  if (!isData) return 'not a data page';
  const problem = io.check(v);
  if (problem !== null) return problem;
  const room = io.room(v);
  const expected = list.bucketForRoom(room);
  return expected === bucket ? null : `room ${room} belongs in bucket ${expected}`;
}

function fail(problem: string): never {
  throw new DataCorruptionError(`free list: ${problem}`);
}
