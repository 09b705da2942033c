/** The GC queue tree: entries by (timestamp, RowId), peek bounds and counts, removal. */
import { describe, expect, it } from 'vitest';
import { PageMemoryAllocator } from '../../../../src/domain/btree/page-memory-allocator';
import { GcQueue } from '../../../../src/domain/mvcc/gc-queue';
import { TimestampHalves } from '../../../../src/domain/mvcc/hybrid-ts-bytes';
import { RowId } from '../../../../src/domain/storage/row-id';
import { HeapPageMemory } from '../../../support/heap-page-memory';
import { SeededRandom } from '../../../contract/support/seeded-random';

const P = 4;

function idBytes(id: RowId): Uint8Array {
  const b = new Uint8Array(16);
  id.writeUuidBytes(new DataView(b.buffer), 0);
  return b;
}

describe('GcQueue', () => {
  it('peeks entries up to the low watermark in (ts, RowId) order and removes them one by one', () => {
    const memory = new HeapPageMemory(1024);
    const gc = GcQueue.create(memory, 1, P, new PageMemoryAllocator(memory, 1));
    const rnd = new SeededRandom(5);
    const h = new TimestampHalves();
    const entries = Array.from({ length: 400 }, () => ({ ts: BigInt(1 + rnd.int(50)) << 20n, rowId: new RowId(P, rnd.long(), rnd.long()) }));
    for (const e of entries) gc.add(h.set(e.ts).hi, h.lo, idBytes(e.rowId), 0);
    expect(gc.size()).toBe(400);
    gc.tree.checkInvariants();
    const sorted = [...entries].sort((a, b) => (a.ts !== b.ts ? (a.ts < b.ts ? -1 : 1) : a.rowId.compareTo(b.rowId)));
    const pic = (e: { rowId: RowId; ts?: bigint; timestamp?: bigint }) => `${e.rowId}@${e.ts ?? e.timestamp}`;
    const lw = 25n << 20n;
    h.set(lw);
    expect(gc.peek(h.hi, h.lo, 1000, P).map(pic)).toEqual(sorted.filter((e) => e.ts <= lw).map(pic));
    expect(gc.peek(h.hi, h.lo, 7, P).map(pic)).toEqual(sorted.slice(0, 7).map(pic));
    expect(gc.peek(h.hi, h.lo, 0, P)).toEqual([]);
    h.set((1n << 20n) - 1n);
    expect(gc.peek(h.hi, h.lo, 10, P)).toEqual([]);
    for (const e of sorted.slice(0, 300)) expect(gc.remove(h.set(e.ts).hi, h.lo, idBytes(e.rowId), 0)).toBe(true);
    expect(gc.remove(h.set(sorted[0]!.ts).hi, h.lo, idBytes(sorted[0]!.rowId), 0)).toBe(false);
    h.set(1n << 62n);
    expect(gc.peek(h.hi, h.lo, 1000, P).map(pic)).toEqual(sorted.slice(300).map(pic));
    gc.tree.checkInvariants();
    gc.destroy();
    expect([memory.allocatedPages, memory.pinnedPages()]).toEqual([0, 0]);
  });
});
