/**
 * The refusals of the persistent page memory's access paths (persistent-page-memory.ts), built here, off the hot
 * path: an acquire or release that only calls these keeps its bytecode small enough for V8 to inline its helpers.
 */
import { flagsOf, pageIdToString } from '../page/page-id';
import { PAGE_ID_OFFSET, PAGE_TYPE_OFFSET } from '../page/page-header.layout';
import { PAGE_TYPE_FREED } from '../page/page-types';
import { IllegalPageAccessError } from '../shared/errors';

/** The view passed to acquire still holds a page. */
export function viewHeld(heldPageId: number, pageId: number): IllegalPageAccessError {
  return new IllegalPageAccessError(`view already holds ${pageIdToString(heldPageId)}; release it before acquiring ${pageIdToString(pageId)}`);
}

/** The page id names no page that can exist (index 0 or beyond the partition's pages, freed, negative). */
export function noSuchPage(what: string, groupId: number, pageId: number): IllegalPageAccessError {
  return new IllegalPageAccessError(`${what} of ${pageIdToString(pageId)} of group ${groupId}: no such page (never allocated, freed, or of a dropped partition)`);
}

/** The page is a freed page (freed before the last checkpoint), or its flags are not the id's. */
export function notLive(what: string, groupId: number, pageId: number, freed: boolean, stored: number): IllegalPageAccessError {
  return new IllegalPageAccessError(`${what} of ${pageIdToString(pageId)} of group ${groupId}: ${freed ? 'the page is freed' : `the page has flags ${stored}`}`);
}

/** A release of a view this page memory did not fill (`pinned`: false), or of a page not pinned. */
export function badRelease(pageId: number, pinned: boolean): IllegalPageAccessError {
  return new IllegalPageAccessError(pinned ? `release of ${pageIdToString(pageId)}: the view was not filled by this page memory` : `release of ${pageIdToString(pageId)}, which is not pinned`);
}

/** The page at `off` of `dv` is the live page `pageId` (not freed, same flags), else IllegalPageAccessError. */
export function checkLive(dv: DataView, off: number, groupId: number, pageId: number, what: string): void {
  if (dv.getUint16(off + PAGE_TYPE_OFFSET, true) === PAGE_TYPE_FREED) throw notLive(what, groupId, pageId, true, 0);
  const stored = dv.getUint8(off + PAGE_ID_OFFSET + 6);
  if (stored !== flagsOf(pageId)) throw notLive(what, groupId, pageId, false, stored);
}
