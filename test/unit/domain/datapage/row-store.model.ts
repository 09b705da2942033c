/** The random operation mix of the row store model tests and the check that compares the store with the model. */
import { expect } from 'vitest';
import { RowLink } from '../../../../src/domain/datapage/row-link';
import type { RowStore } from '../../../../src/domain/datapage/row-store';
import type { BucketedFreeList } from '../../../../src/domain/freelist/bucketed-free-list';
import { pattern } from './row-store.fixture';

export interface ModelStore {
  readonly store: RowStore;
  readonly freeList: BucketedFreeList;
}

export interface ModelRow {
  link: RowLink;
  bytes: Uint8Array;
}

/** Mostly small rows, some near the page size, a few spanning several pages. */
function rowSize(rnd: () => number, f: ModelStore, pageSize: number): number {
  const r = rnd();
  if (r < 0.6) return Math.floor(rnd() * 200);
  if (r < 0.85) return Math.floor(rnd() * f.store.maxPlainRow);
  if (r < 0.95) return f.store.maxPlainRow - 3 + Math.floor(rnd() * 8);
  return Math.floor(rnd() * 4 * pageSize);
}

export function verifyModel(f: ModelStore, model: Map<number, ModelRow>): void {
  for (const row of model.values()) {
    expect(Buffer.from(f.store.readBytes(row.link.pageId, row.link.itemId)).equals(row.bytes)).toBe(true);
  }
  f.freeList.checkInvariants();
}

export function modelStep(f: ModelStore, model: Map<number, ModelRow>, rnd: () => number, key: number, pageSize: number): void {
  const keys = [...model.keys()];
  const op = rnd();
  if (keys.length === 0 || op < 0.4) {
    const bytes = pattern(rowSize(rnd, f, pageSize), key);
    model.set(key, { link: f.store.insert(bytes, new RowLink()), bytes });
    return;
  }
  const k = keys[Math.floor(rnd() * keys.length)]!;
  const row = model.get(k)!;
  if (op < 0.7) {
    f.store.remove(row.link.pageId, row.link.itemId);
    model.delete(k);
  } else if (op < 0.9) {
    const bytes = pattern(rowSize(rnd, f, pageSize), key);
    const out = new RowLink();
    const kept = f.store.update(row.link.pageId, row.link.itemId, bytes, out);
    expect(kept).toBe(out.pageId === row.link.pageId && out.itemId === row.link.itemId);
    model.set(k, { link: out, bytes });
  } else if (row.bytes.length > 0) {
    const at = Math.floor(rnd() * row.bytes.length);
    const len = Math.min(row.bytes.length - at, 1 + Math.floor(rnd() * 16));
    const patch = pattern(len, key + 1000);
    f.store.writeAt(row.link.pageId, row.link.itemId, at, patch, 0, len);
    row.bytes.set(patch, at);
  }
}
