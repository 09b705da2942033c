/**
 * Invariant check of a partition's MVCC pages (for tests and diagnostics; allocates freely, walks everything):
 * - both trees pass their own checks;
 * - every chain item has a head; the intent flag matches the head version (commit ts 0); the newest commit
 *   link/ts/tombstone flag describe the newest committed version;
 * - a version carries intent meta (txId, commit target) exactly when it is a write intent, with a commit partition
 *   id ≥ 0; version flags are known ones;
 * - below the head there is no write intent; commit timestamps strictly decrease; the oldest version is never a
 *   committed tombstone;
 * - the GC queue holds exactly (ts, RowId) of every committed version that is not the oldest of its chain;
 * - the estimated size is the number of chains whose newest commit is a row.
 */
import type { BTree } from '../btree/btree';
import { DataCorruptionError } from '../shared/errors';
import type { GcQueue } from './gc-queue';
import { compareTs } from './hybrid-ts-bytes';
import type { RowVersions } from './row-versions';
import { VERSION_FLAG_INTENT_META, VERSION_FLAG_TOMBSTONE } from './row-version.layout';
import { CHAIN_FLAG_NEWEST_TOMBSTONE, CHAIN_FLAG_WRITE_INTENT, ChainItem, ROW_ID_BYTES } from './version-chain.layout';

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
}

export function checkVersionChains(tree: BTree, gc: GcQueue, versions: RowVersions, estimatedSize: number): VersionChainsShape {
  const chainShape = tree.checkInvariants();
  const gcShape = gc.tree.checkInvariants();
  const expectedGc = new Set<string>();
  let live = 0;
  const item = new ChainItem();
  const cursor = tree.cursor(null, true, null, true);
  while (cursor.next()) {
    item.load(cursor.itemBuf, cursor.itemOff);
    if (checkChain(item, versions, expectedGc)) live++;
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
  return { chains: tree.size(), gcEntries: queued, treePages: pages(chainShape) + pages(gcShape) };
}

/** Checks one chain, adds its GC keys; returns whether its newest commit is a row. */
function checkChain(item: ChainItem, versions: RowVersions, expectedGc: Set<string>): boolean {
  const id = hex(item.buf, 0, ROW_ID_BYTES);
  if ((item.flags & ~(CHAIN_FLAG_WRITE_INTENT | CHAIN_FLAG_NEWEST_TOMBSTONE)) !== 0) fail(id, `unknown flags ${item.flags}`);
  if (item.headPage === 0) fail(id, 'no head version');
  let page = item.headPage;
  let slot = item.headItem;
  readVersion(id, versions, page, slot);
  if (versions.isWriteIntent !== item.hasWriteIntent) fail(id, 'the write intent flag does not match the head version');
  if (item.hasWriteIntent) {
    page = versions.nextPage;
    slot = versions.nextItem;
  }
  if (page !== item.newestPage || (page !== 0 && slot !== item.newestItem)) fail(id, 'the newest commit link is not the newest committed version');
  if (page === 0) {
    if (item.newestTsHi !== 0 || item.newestTsLo !== 0 || item.newestIsTombstone) fail(id, 'newest commit fields set without a commit');
    return false;
  }
  let prevHi = -1;
  let prevLo = -1;
  let first = true;
  let newestIsRow = false;
  while (page !== 0) {
    readVersion(id, versions, page, slot);
    const { commitHi: hi, commitLo: lo } = versions;
    if (versions.isWriteIntent) fail(id, 'a write intent below the head');
    if (first) {
      if (hi !== item.newestTsHi || lo !== item.newestTsLo) fail(id, 'newest commit timestamp differs from the version');
      if (versions.isTombstone !== item.newestIsTombstone) fail(id, 'newest tombstone flag differs from the version');
      newestIsRow = !versions.isTombstone;
    } else if (compareTs(hi, lo, prevHi, prevLo) >= 0) {
      fail(id, 'commit timestamps do not decrease from newest to oldest');
    }
    const next = versions.nextPage;
    if (next !== 0) expectedGc.add(`${hi}:${lo}:${id}`);
    else if (versions.isTombstone) fail(id, 'the oldest version is a committed tombstone');
    prevHi = hi;
    prevLo = lo;
    first = false;
    page = next;
    slot = versions.nextItem;
  }
  return newestIsRow;
}

/** Reads the version's header into `versions` and checks its own rules (a header that does not fit its row fails). */
function readVersion(id: string, versions: RowVersions, page: number, slot: number): void {
  try {
    versions.readHeader(page, slot);
  } catch (e) {
    fail(id, `unreadable version header: ${(e as Error).message}`);
  }
  if ((versions.flags & ~(VERSION_FLAG_TOMBSTONE | VERSION_FLAG_INTENT_META)) !== 0) fail(id, `unknown version flags ${versions.flags}`);
  if (versions.hasIntentMeta !== versions.isWriteIntent) fail(id, 'intent meta on a committed version, or a write intent without it');
  if (versions.hasIntentMeta && versions.commitPartitionId < 0) fail(id, `write intent with commit partition ${versions.commitPartitionId}`);
  if (versions.isTombstone && (versions.valueLength !== 0 || versions.schemaVersion !== 0)) fail(id, 'a tombstone with a value or schema version');
}
