/** Shared set-up for row store tests: a HeapPageMemory, a free list, a store, and a seeded generator. */
import { HeapPageMemory } from '../../../support/heap-page-memory';
import { BucketedFreeList, type BucketedFreeListOptions } from '../../../../src/domain/freelist/bucketed-free-list';
import { RowStore } from '../../../../src/domain/datapage/row-store';

export const GROUP = 7;
export const PARTITION = 3;

export interface StoreFixture {
  readonly memory: HeapPageMemory;
  readonly freeList: BucketedFreeList;
  readonly store: RowStore;
}

export function newStore(pageSize: number, options: BucketedFreeListOptions = {}, maxPages?: number): StoreFixture {
  const memory = new HeapPageMemory(pageSize, maxPages);
  const freeList = BucketedFreeList.create(memory, GROUP, PARTITION, options);
  return { memory, freeList, store: new RowStore(memory, freeList) };
}

/** mulberry32: a small seeded generator so randomized runs are reproducible. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

import { pattern } from '../../../support/byte-pattern';

export { pattern };

/** Size from an environment variable, with a small default. */
export function envSize(name: string, dflt: number): number {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? v : dflt;
}
