/**
 * Shared helpers of the persistent page memory unit tests (persistent-page-memory*.test.ts).
 */
import { expect } from 'vitest';
import { PageView } from '../../../../src/domain/page-memory/page-memory.port';
import { PersistentPageMemory } from '../../../../src/domain/page-memory/persistent-page-memory';
import type { ReplacementMode } from '../../../../src/domain/page-memory/page-replacement';
import { FLAG_DATA, pageIndex, partitionIdOf, readPageId } from '../../../../src/domain/page/page-id';
import { COMMON_HEADER_END, PAGE_ID_OFFSET, PAGE_TYPE_OFFSET } from '../../../../src/domain/page/page-header.layout';
import type { PageStore } from '../../../../src/domain/ports/page-store.port';
import { IllegalPageAccessError } from '../../../../src/domain/shared/errors';
import { MemoryPageStore } from '../../../support/memory-page-store';

export const PAGE = 1024;
export const MODES: readonly ReplacementMode[] = ['CLOCK', 'SEGMENTED_LRU', 'RANDOM_LRU'];

export interface Page {
  readonly group: number;
  readonly id: number;
  seed: number;
}

export function cache(store: PageStore, frames: number, mode: ReplacementMode = 'CLOCK', maxBufferBytes?: number): PersistentPageMemory {
  return new PersistentPageMemory({ name: 'px', pageSize: PAGE, sizeBytes: frames * PAGE, replacementMode: mode, store, maxBufferBytes });
}

/** Content byte `i` (after the common header) of a page stamped with `seed`: distinct per seed and per position. */
export function patternByte(seed: number, i: number): number {
  return (Math.imul(seed, 0x9e3779b1) >>> 24) ^ ((seed + i * 7) & 0xff);
}

/** Fills the page content after the common header: the seed (u32), then the pattern. */
export function fillView(v: PageView, seed: number): void {
  v.dv.setUint32(v.off + COMMON_HEADER_END, seed, true);
  for (let i = 4; i < PAGE - COMMON_HEADER_END; i++) v.buf[v.off + COMMON_HEADER_END + i] = patternByte(seed, i);
}

/** Why the page image at buf[off..] is not `id` stamped with `seed`, or null when it is. */
export function imageMismatch(buf: Uint8Array, off: number, id: number, seed: number): string | null {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (readPageId(dv, off + PAGE_ID_OFFSET) !== id) return `page id ${readPageId(dv, off + PAGE_ID_OFFSET)}, expected ${id}`;
  const got = dv.getUint32(off + COMMON_HEADER_END, true);
  if (got !== seed) return `seed ${got}, expected ${seed}`;
  for (let i = 4; i < PAGE - COMMON_HEADER_END; i++) {
    if (buf[off + COMMON_HEADER_END + i] !== patternByte(seed, i)) return `byte ${i} differs (seed ${seed})`;
  }
  return null;
}

export function stamp(pm: PersistentPageMemory, group: number, id: number, seed: number): void {
  const v = new PageView();
  pm.acquireWrite(group, id, v);
  fillView(v, seed);
  pm.release(v);
}

/** Reads the page and returns null when it holds `seed` (else what differs). */
export function mismatch(pm: PersistentPageMemory, group: number, id: number, seed: number): string | null {
  const v = new PageView();
  pm.acquireRead(group, id, v);
  const bad = imageMismatch(v.buf, v.off, id, seed);
  pm.release(v);
  return bad === null ? null : `group ${group} page ${pageIndex(id)} of part ${partitionIdOf(id)}: ${bad}`;
}

export function expectPages(pm: PersistentPageMemory, pages: readonly Page[]): void {
  const bad: string[] = [];
  for (const p of pages) {
    const m = mismatch(pm, p.group, p.id, p.seed);
    if (m !== null) bad.push(m);
  }
  expect(bad.slice(0, 5)).toEqual([]);
}

export function touch(pm: PersistentPageMemory, group: number, id: number): void {
  const v = new PageView();
  pm.acquireRead(group, id, v);
  pm.release(v);
}

/** Content after the header is all zero and the header carries `id`. */
export function isFresh(pm: PersistentPageMemory, group: number, id: number): boolean {
  const v = new PageView();
  pm.acquireRead(group, id, v);
  let ok = readPageId(v.dv, v.off + PAGE_ID_OFFSET) === id && v.dv.getUint16(v.off + PAGE_TYPE_OFFSET, true) === 0;
  for (let i = COMMON_HEADER_END; i < PAGE; i++) ok &&= v.buf[v.off + i] === 0;
  pm.release(v);
  return ok;
}

/** The store's image of a page, or null when it holds none. */
export function storedImage(store: MemoryPageStore, group: number, part: number, index: number): Uint8Array | null {
  const dst = new Uint8Array(PAGE);
  return store.readPage(group, part, index, dst, 0) ? dst : null;
}

export function expectRefused(pm: PersistentPageMemory, group: number, id: number): void {
  const v = new PageView();
  expect(() => pm.acquireRead(group, id, v)).toThrow(IllegalPageAccessError);
  expect(() => pm.acquireWrite(group, id, v)).toThrow(IllegalPageAccessError);
  expect(v.slot).toBe(-1);
  expect(() => pm.freePage(group, id)).toThrow(IllegalPageAccessError);
}

export function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

export let seedCounter = 1;
export const nextSeed = (): number => (seedCounter = (seedCounter * 48271 + 11) % 0x7fffffff);

/** Allocates and stamps `n` pages of (group, part, flags), checkpointing every `every` allocations (0: never). */
export function allocateStamped(
  pm: PersistentPageMemory, store: MemoryPageStore, group: number, part: number, n: number, every = 0, flags = FLAG_DATA,
): Page[] {
  const out: Page[] = [];
  for (let k = 0; k < n; k++) {
    const id = pm.allocatePage(group, part, flags);
    const seed = nextSeed();
    stamp(pm, group, id, seed);
    out.push({ group, id, seed });
    if (every > 0 && (k + 1) % every === 0) store.checkpoint(pm);
  }
  return out;
}

// ------------------------------------------------------------------------------------------------------------------

