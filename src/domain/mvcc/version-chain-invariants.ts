/**
 * Invariant check of a partition's MVCC pages (for tests and diagnostics; allocates freely, walks everything):
 * - both trees pass their own checks;
 * - every chain item names a live anchor (not a dead stub); a redirect names a version row;
 * - only the head may be a write intent, with a commit partition id ≥ 0; version flags are known ones;
 * - commit timestamps strictly decrease from newest to oldest; the oldest version is never a committed tombstone;
 * - the GC queue holds exactly (ts, RowId) of every committed version that is not the oldest of its chain;
 * - the estimated size is the number of chains whose newest commit is a row.
 * The hint references an anchor counts are checked against the indexes by the partition (they own the hints).
 */
import type { BTree } from '../btree/btree';
import { partitionLinkItem, partitionLinkPage } from '../datapage/partition-link';
import { DataCorruptionError } from '../shared/errors';
import type { GcQueue } from './gc-queue';
import { compareTs } from './hybrid-ts-bytes';
import type { RowVersions } from './row-versions';
import { CHAIN_ANCHOR_OFFSET, ROW_ID_BYTES } from './version-chain.layout';

const hex = (buf: Uint8Array, off: number, len: number): string => Array.from(buf.subarray(off, off + len), (b) => b.toString(16).padStart(2, '0')).join('');

function fail(rowId: string, problem: string): never {
  throw new DataCorruptionError(`version chain ${rowId}: ${problem}`);
}

/** What a passed check saw. */
export interface VersionChainsShape {
  readonly chains: number;
  readonly gcEntries: number;
  /** Pages of both trees, meta pages included (data pages are the free list's). */
  readonly treePages: number;
  /** Anchor link ("page:item") → the hint references it counts, for every live anchor. */
  readonly anchorRefs: ReadonlyMap<string, number>;
}

export function checkVersionChains(
  tree: BTree, gc: GcQueue, versions: RowVersions, estimatedSize: number, partitionId: number,
): VersionChainsShape {
  const chainShape = tree.checkInvariants();
  const gcShape = gc.tree.checkInvariants();
  const expectedGc = new Set<string>();
  const anchorRefs = new Map<string, number>();
  let live = 0;
  const cursor = tree.cursor(null, true, null, true);
  while (cursor.next()) {
    const b = cursor.itemBuf;
    const id = hex(b, cursor.itemOff, ROW_ID_BYTES);
    const page = partitionLinkPage(b, cursor.itemOff + CHAIN_ANCHOR_OFFSET, partitionId);
    const item = partitionLinkItem(b, cursor.itemOff + CHAIN_ANCHOR_OFFSET);
    if (page === 0) fail(id, 'no anchor');
    try {
      versions.readAnchor(page, item);
    } catch (e) {
      fail(id, `unreadable anchor: ${(e as Error).message}`);
    }
    if (versions.anchorDead) fail(id, 'the anchor is a dead stub');
    anchorRefs.set(`${page}:${item}`, versions.anchorRefs);
    if (checkChain(id, versions, expectedGc)) live++;
  }
  let queued = 0;
  gc.forEach((hi, lo, buf, off) => {
    const key = `${hi}:${lo}:${hex(buf, off, ROW_ID_BYTES)}`;
    if (!expectedGc.has(key)) throw new DataCorruptionError(`GC queue entry ${key} names no committed version with an older one`);
    queued++;
  });
  if (queued !== expectedGc.size) throw new DataCorruptionError(`GC queue holds ${queued} entries, chains need ${expectedGc.size}`);
  if (live !== estimatedSize) throw new DataCorruptionError(`estimatedSize is ${estimatedSize}, live rows are ${live}`);
  const pages = (shape: { leafPages: number; innerPages: number }) => 1 + shape.leafPages + shape.innerPages;
  return { chains: tree.size(), gcEntries: queued, treePages: pages(chainShape) + pages(gcShape), anchorRefs };
}

/** Checks one chain whose head `versions` holds; adds its GC keys; returns whether its newest commit is a row. */
function checkChain(id: string, versions: RowVersions, expectedGc: Set<string>): boolean {
  checkVersion(id, versions);
  if (versions.isWriteIntent) {
    if (!versions.hasNext) return false;
    next(id, versions);
    if (versions.isWriteIntent) fail(id, 'a write intent below the head');
  }
  const newestIsRow = !versions.isTombstone;
  let prevHi = -1;
  let prevLo = -1;
  for (;;) {
    const { commitHi: hi, commitLo: lo } = versions;
    if (prevHi >= 0 && compareTs(hi, lo, prevHi, prevLo) >= 0) fail(id, 'commit timestamps do not decrease from newest to oldest');
    if (!versions.hasNext) {
      if (versions.isTombstone) fail(id, 'the oldest version is a committed tombstone');
      return newestIsRow;
    }
    expectedGc.add(`${hi}:${lo}:${id}`);
    prevHi = hi;
    prevLo = lo;
    next(id, versions);
    if (versions.isWriteIntent) fail(id, 'a write intent below the head');
  }
}

function next(id: string, versions: RowVersions): void {
  try {
    versions.readVersion(versions.nextPage, versions.nextItem);
  } catch (e) {
    fail(id, `unreadable version: ${(e as Error).message}`);
  }
  checkVersion(id, versions);
}

function checkVersion(id: string, versions: RowVersions): void {
  if (versions.isWriteIntent && versions.commitPartitionId < 0) fail(id, `write intent with commit partition ${versions.commitPartitionId}`);
  if (versions.isTombstone && versions.valueLength !== 0) fail(id, 'a tombstone with a value');
  if (!versions.isWriteIntent && versions.commitHi === 0 && versions.commitLo === 0) fail(id, 'a committed version at timestamp 0');
}
