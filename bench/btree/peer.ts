/**
 * sorted-btree's side of bench/btree.bench.ts: a BTree map from 8-byte big-endian Buffer keys (Buffer.compare)
 * or from number keys to 100-byte Buffer values, with the same keys, orders and phases as aistorage's side.
 *
 * Keys and values are created before each phase, as an application would hand them over (the keys of the later
 * phases once per process, the inserted keys and values per run, since the map keeps them); readers read
 * each value's tag from the Buffer the map returns (no copy: the map hands out its reference). Memory = growth of
 * the JS heap + external memory (the values' ArrayBuffers) from before the keys and values were created to after
 * the build, once the arrays that fed the build are dropped: what the map holds, keys and values included.
 */
import BTreeMap from 'sorted-btree';
import { KEY_SIZE, RANGE_LEN, TAG_OFFSET, VALUE_SIZE, check, liveBytes, opsPerSec, type Phase, type RunResult, type Workload } from './workload';

type Key = Buffer | number;

/**
 * The comparator sorted-btree's users pass for Buffer keys: `Buffer.compare` itself, with no wrapper function in
 * between (the cast only widens the type: a tree built with it holds Buffer keys only).
 */
const byBytes = Buffer.compare as unknown as (a: Key, b: Key) => number;

function keyOf(k: number, buffers: boolean): Key {
  if (!buffers) return k;
  const b = Buffer.allocUnsafe(KEY_SIZE);
  b.writeUInt32BE(Math.floor(k / 0x1_0000_0000), 0);
  b.writeUInt32BE(k >>> 0, 4);
  return b;
}

/** The insert phase on a fresh map; returns ops/s and the memory the built map holds. */
function build(w: Workload, buffers: boolean): { tree: BTreeMap<Key, Buffer>; opsPerSec: number; memBytes: number; memDetail: Record<string, number> } {
  const before = liveBytes();
  let keys: Key[] | null = Array.from(w.insertOrder, (k) => keyOf(k, buffers));
  let values: Buffer[] | null = Array.from(w.insertOrder, (k) => Buffer.from(w.values.subarray(k * VALUE_SIZE, (k + 1) * VALUE_SIZE)));
  const tree = buffers ? new BTreeMap<Key, Buffer>(undefined, byBytes) : new BTreeMap<Key, Buffer>();
  const n = w.n;
  const ks = keys;
  const vs = values;
  const rate = opsPerSec(() => {
    for (let i = 0; i < n; i++) tree.set(ks[i]!, vs[i]!);
    return n;
  });
  keys = null;
  values = null;
  ks.length = 0;
  vs.length = 0;
  const after = liveBytes();
  const heapDelta = after.heap - before.heap;
  const externalDelta = after.external - before.external;
  return { tree, opsPerSec: rate, memBytes: heapDelta + externalDelta, memDetail: { heapDelta, externalDelta } };
}

/** The keys of the phases after the build, created once per process (before any run's memory baseline). */
export interface PeerQueryKeys {
  readonly buffers: boolean;
  readonly lookupKeys: readonly Key[];
  readonly rangeLo: readonly Key[];
  readonly rangeHi: readonly Key[];
  readonly removeKeys: readonly Key[];
}

export function peerQueryKeys(w: Workload, buffers: boolean): PeerQueryKeys {
  const toKey = (k: number): Key => keyOf(k, buffers);
  return {
    buffers,
    lookupKeys: Array.from(w.lookupOrder, toKey),
    rangeLo: Array.from(w.rangeStarts, toKey),
    rangeHi: Array.from(w.rangeStarts, (k) => toKey(k + RANGE_LEN - 1)),
    removeKeys: Array.from(w.removeOrder, toKey),
  };
}

/** Sums the tags of the values it is shown (one instance per run: its `visit` is created once). */
class TagSum {
  sum = 0;
  seen = 0;
  readonly visit = (_k: Key, v: Buffer): void => {
    this.sum += v.readUInt32LE(TAG_OFFSET);
    this.seen++;
  };
}

function lookupAll(tree: BTreeMap<Key, Buffer>, keys: readonly Key[]): number {
  let sum = 0;
  for (let i = 0; i < keys.length; i++) {
    const v = tree.get(keys[i]!);
    if (v !== undefined) sum += v.readUInt32LE(TAG_OFFSET);
  }
  return sum;
}

export function runPeer(w: Workload, q: PeerQueryKeys): RunResult {
  const n = w.n;
  const built = build(w, q.buffers);
  const tree = built.tree;
  check(tree.size === n, 'peer size after insert');
  const { lookupKeys, rangeLo, rangeHi, removeKeys } = q;
  const ops = { insert: built.opsPerSec } as Record<Phase, number>;
  let sum = 0;
  ops['point lookup'] = opsPerSec(() => ((sum = lookupAll(tree, lookupKeys)), n));
  check(sum === w.tagSum, 'peer lookup tag sum');
  const scan = new TagSum();
  ops['full scan'] = opsPerSec(() => (tree.forEachPair(scan.visit), scan.seen));
  check(scan.sum === w.tagSum && scan.seen === n, 'peer scan count and tag sum');
  const ranges = new TagSum();
  ops['range scan (100 keys)'] = opsPerSec(() => {
    for (let i = 0; i < rangeLo.length; i++) tree.forRange(rangeLo[i]!, rangeHi[i]!, true, ranges.visit);
    return rangeLo.length;
  });
  check(ranges.seen === rangeLo.length * Math.min(RANGE_LEN, n) && ranges.sum === w.rangeTagSum, 'peer range count and tag sum');
  ops['remove 10%'] = opsPerSec(() => {
    for (let i = 0; i < removeKeys.length; i++) tree.delete(removeKeys[i]!);
    return removeKeys.length;
  });
  check(tree.size === n - removeKeys.length, 'peer size after remove');
  return { ops, memBytes: built.memBytes, memDetail: built.memDetail };
}
