/**
 * Index trees against a sorted-array model: seeded runs of puts and removes of short, boundary and long keys (with
 * shared prefixes, so overflow rows are compared), growing and shrinking so that splits, merges and stale
 * separators happen. Periodically: checkInvariants (which compares separators with items, reading their overflow
 * rows), the full item sequence against the model, no page pinned, and every overflow link a separator names
 * belongs to a live item or to a pending (kept) row. At the end everything is removed and the tree destroyed: every
 * page comes back. Size: INDEX_TREE_OPS (default 2500 operations per run).
 */
import { describe, expect, it } from 'vitest';
import { compareByteArrays } from '../../../../src/domain/index/byte-compare';
import type { KeyColumn } from '../../../../src/domain/index/column-values';
import { HashIndexTree } from '../../../../src/domain/index/hash-index-tree';
import type { IndexItemTree } from '../../../../src/domain/index/index-item-tree';
import { KeyEncoder } from '../../../../src/domain/index/key-codec';
import { hashKey, hashKeyPlan } from '../../../../src/domain/index/key-hash';
import { SortedIndexTree } from '../../../../src/domain/index/sorted-index-tree';
import type { RowId } from '../../../../src/domain/storage/row-id';
import {
  allocatedAfterRelease, envSize, newTreeEnv, rowIdOf, seeded, separatorLinks, treeItems, type TreeEnv,
} from './index-tree.fixture';

const OPS = envSize('INDEX_TREE_OPS', 2500);
const COLUMNS: KeyColumn[] = [{ name: 'b', type: 'BYTES', nullable: true }];

interface Entry {
  readonly key: Uint8Array;
  readonly rowId: RowId;
  readonly hash: number;
}

type Kind = 'sorted' | 'hash';

function newTree(kind: Kind, env: TreeEnv): SortedIndexTree | HashIndexTree {
  return kind === 'sorted' ? new SortedIndexTree(env.pages, COLUMNS) : new HashIndexTree(env.pages, COLUMNS);
}

/** Encoded keys of many lengths: short, around the inline size, several pages; long ones share prefixes. */
function keyPool(kind: Kind, inline: number, pageSize: number, rnd: () => number): Uint8Array[] {
  const enc = new KeyEncoder(kind === 'hash' ? hashKeyPlan(COLUMNS) : COLUMNS);
  const lengths = [1, 5, inline - 4, inline - 3, inline - 2, inline - 1, inline + 2, inline * 2, pageSize + 3, 2 * pageSize];
  const pool: Uint8Array[] = [];
  for (const len of lengths) {
    for (let v = 0; v < 6; v++) {
      const bytes = new Uint8Array(Math.max(0, len)).fill(0x50);
      if (bytes.length > 0) bytes[bytes.length - 1] = 0x41 + v;
      if (bytes.length > 2 && rnd() < 0.3) bytes[bytes.length - 2] = 0x30 + v;
      pool.push(enc.copy(enc.encode([bytes])));
    }
  }
  return pool;
}

const entryId = (key: Uint8Array, rowId: RowId): string => `${Buffer.from(key).toString('hex')}/${rowId}`;

function checkAgainstModel(kind: Kind, env: TreeEnv, tree: IndexItemTree, model: Map<string, Entry>): void {
  tree.checkInvariants();
  expect(env.memory.stats().pinnedPages).toBe(0);
  const expected = [...model.values()].sort((a, b) => (kind === 'hash' ? a.hash - b.hash : 0)
    || compareByteArrays(a.key, b.key) || a.rowId.compareTo(b.rowId));
  const items = treeItems(tree);
  expect(items.map((it) => entryId(it.key, it.id))).toEqual(expected.map((e) => entryId(e.key, e.rowId)));
  const alive = new Set([...items.filter((it) => it.link !== null).map((it) => it.link!), ...tree.pendingLinks().map(([p, i]) => `${p}:${i}`)]);
  for (const link of separatorLinks(env, tree)) expect(alive.has(link), `separator link ${link}`).toBe(true);
}

describe.each([1024, 16384])('index trees against a sorted-array model (%i-byte pages)', (pageSize) => {
  it.each(['sorted', 'hash'] as const)(`%s tree: ${OPS} random puts and removes of short, boundary and long keys`, (kind) => {
    const env = newTreeEnv(pageSize);
    const tree = newTree(kind, env);
    const rnd = seeded(pageSize * 31 + kind.length);
    const pool = keyPool(kind, tree.layout.inlineSize, pageSize, rnd);
    const model = new Map<string, Entry>();
    let target = 0;
    let maxPending = 0;
    for (let op = 0; op < OPS; op++) {
      if (op % 400 === 0) target = op % 800 === 0 ? 120 + Math.floor(rnd() * 200) : Math.floor(rnd() * 20);
      const grow = model.size < target ? rnd() < 0.8 : rnd() < 0.25;
      if (grow) {
        const key = pool[Math.floor(rnd() * pool.length)]!;
        const rowId = rowIdOf(Math.floor(rnd() * 30));
        const id = entryId(key, rowId);
        expect(tree.put(key, key.length, rowId), `op ${op}: put ${id}`).toBe(!model.has(id));
        model.set(id, { key, rowId, hash: hashKey(key, 0, key.length) });
      } else {
        const existing = [...model.values()];
        const e = existing.length > 0 && rnd() < 0.85 ? existing[Math.floor(rnd() * existing.length)]!
          : { key: pool[Math.floor(rnd() * pool.length)]!, rowId: rowIdOf(Math.floor(rnd() * 30)), hash: 0 };
        const id = entryId(e.key, e.rowId);
        expect(tree.remove(e.key, e.key.length, e.rowId), `op ${op}: remove ${id}`).toBe(model.delete(id));
      }
      maxPending = Math.max(maxPending, tree.pendingOverflowRows);
      if (op % 250 === 249) checkAgainstModel(kind, env, tree, model);
    }
    checkAgainstModel(kind, env, tree, model);
    for (const e of model.values()) expect(tree.remove(e.key, e.key.length, e.rowId)).toBe(true);
    model.clear();
    checkAgainstModel(kind, env, tree, model);
    expect(maxPending, 'removed items lived on as separators at some point').toBeGreaterThan(0);
    tree.destroy(true);
    expect(allocatedAfterRelease(env)).toBe(0);
    env.memory.checkInvariants();
  });
});
