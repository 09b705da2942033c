/**
 * Per-test set-up of the PageMemory contract: a fresh memory of the case's page size, closed (after its self-check)
 * when the test ends, and byte helpers that stamp and compare whole pages. Every helper releases what it acquires,
 * so a case that fails halfway leaves no pins behind for the next one.
 */
import { afterEach, expect } from 'vitest';
import { COMMON_HEADER_END, PAGE_ID_OFFSET } from '../../../src/domain/page/page-header.layout';
import { readPageId, writePageId } from '../../../src/domain/page/page-id';
import { PageView, type PageMemory } from '../../../src/domain/page-memory/page-memory.port';
import type { PageMemoryFactory, PageMemoryUnderTest } from '../page-memory-factory';

export interface PageMemoryFixture {
  /** A fresh memory for this test (closed after it). */
  open(pageSize: number): PageMemoryUnderTest;
}

export function usePageMemoryFixture(factory: PageMemoryFactory): PageMemoryFixture {
  const opened: PageMemoryUnderTest[] = [];
  afterEach(() => {
    const all = opened.splice(0);
    try {
      for (const pm of all) pm.checkInvariants?.();
    } finally {
      for (const pm of all) pm.close();
    }
  });
  return {
    open(pageSize) {
      const pm = factory(pageSize);
      opened.push(pm);
      expect(pm.memory.pageSize).toBe(pageSize);
      return pm;
    },
  };
}

/**
 * The page image a stamp leaves: the header as allocated (zero, page id) and, after it, bytes that depend on the
 * seed and the position, so a byte written to the wrong page or offset shows.
 */
export function stampedImage(pageSize: number, id: number, seed: number): Uint8Array {
  const image = new Uint8Array(pageSize);
  writePageId(new DataView(image.buffer), PAGE_ID_OFFSET, id);
  for (let i = COMMON_HEADER_END; i < pageSize; i++) image[i] = (i * 7 + seed * 13 + (i >>> 8) + 1) & 0xff;
  return image;
}

/** A freshly allocated page: all zero but its page id. */
export function freshImage(pageSize: number, id: number): Uint8Array {
  const image = new Uint8Array(pageSize);
  writePageId(new DataView(image.buffer), PAGE_ID_OFFSET, id);
  return image;
}

/** Writes the content of stampedImage (everything after the common header) through acquireWrite. */
export function stamp(m: PageMemory, groupId: number, id: number, seed: number): void {
  const image = stampedImage(m.pageSize, id, seed);
  const v = new PageView();
  m.acquireWrite(groupId, id, v);
  v.buf.set(image.subarray(COMMON_HEADER_END), v.off + COMMON_HEADER_END);
  m.release(v);
}

/** A copy of the page's `pageSize` bytes, read through acquireRead. */
export function pageBytes(m: PageMemory, groupId: number, id: number): Uint8Array {
  const v = new PageView();
  m.acquireRead(groupId, id, v);
  try {
    expect(readPageId(v.dv, v.off + PAGE_ID_OFFSET)).toBe(id);
    return v.buf.slice(v.off, v.off + m.pageSize);
  } finally {
    m.release(v);
  }
}

/** Asserts the page holds exactly `image` (one Buffer comparison; the message names the page). */
export function expectPage(m: PageMemory, groupId: number, id: number, image: Uint8Array): void {
  const actual = pageBytes(m, groupId, id);
  if (!Buffer.from(actual).equals(image)) {
    let at = 0;
    while (actual[at] === image[at]) at++;
    expect.fail(`page ${id} of group ${groupId}: byte ${at} is ${actual[at]}, expected ${image[at]}`);
  }
}
