/**
 * B+ tree throughput on aimem's page memory (DataRegion over ArrayBufferMemoryProvider), beside sorted-btree.
 *
 *   npx ts-node --transpile-only bench/btree.bench.ts     (BENCH_N keys, default 1,000,000; BENCH_PAGE_SIZE,
 *                                                          default 16384)
 *
 * Items: 16 bytes = an 8-byte big-endian key (0..N-1, a dense BIGINT key) + an 8-byte value slot. Phases, each
 * the median of 3 runs on a fresh structure: insert in random order, point lookup of every key in another random
 * order, full ordered scan (reading each value), 10,000 range scans of 100 consecutive keys, removal of a random
 * 10%. Peers: sorted-btree with Buffer keys (Buffer.compare) and with number keys. Each implementation runs in
 * its own process so that none makes another's call sites polymorphic or leaves garbage behind.
 */
import { spawnSync } from 'node:child_process';
import BTreeMap from 'sorted-btree';
import { BTree } from '../src/domain/btree/btree';
import { BytePrefixKey, BytewiseItemType } from '../src/domain/btree/btree-item';
import { PageMemoryAllocator } from '../src/domain/btree/page-memory-allocator';
import { DataRegion } from '../src/domain/region/data-region';
import { ArrayBufferMemoryProvider } from '../src/infrastructure/memory/array-buffer-memory-provider';

const N = Number(process.env.BENCH_N ?? 1_000_000);
const PAGE_SIZE = Number(process.env.BENCH_PAGE_SIZE ?? 16384);
const RUNS = 3;
const RANGES = 10_000;
const RANGE_LEN = 100;

const PHASES = ['insert', 'point lookup', 'full scan', 'range scan (100 keys)', 'remove 10%'] as const;
type Phase = (typeof PHASES)[number];
type Impl = 'aistorage' | 'sorted-btree-buffer' | 'sorted-btree-number';
const IMPLS: Impl[] = ['aistorage', 'sorted-btree-buffer', 'sorted-btree-number'];

/** The workload: key orders shared by every implementation (same seed). */
interface Workload {
  readonly insertOrder: Float64Array;
  readonly lookupOrder: Float64Array;
  readonly rangeStarts: Float64Array;
  readonly removeOrder: Float64Array;
}

function shuffled(n: number, seed: number): Float64Array {
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  let s = seed >>> 0;
  for (let i = n - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
  return a;
}

function workload(n: number): Workload {
  const rangeStarts = shuffled(Math.max(1, n - RANGE_LEN), 3).subarray(0, RANGES);
  return { insertOrder: shuffled(n, 1), lookupOrder: shuffled(n, 2), rangeStarts, removeOrder: shuffled(n, 4).subarray(0, Math.floor(n / 10)) };
}

function time(fn: () => number): { secs: number; ops: number } {
  const t = process.hrtime.bigint();
  const ops = fn();
  return { secs: Number(process.hrtime.bigint() - t) / 1e9, ops };
}

function check(cond: boolean, what: string): void {
  if (!cond) throw new Error(`benchmark self-check failed: ${what}`);
}

/** Writes key k big-endian into buf[off..off+8) (k < 2^53). */
function writeKey(dv: DataView, off: number, k: number): void {
  dv.setUint32(off, Math.floor(k / 0x1_0000_0000), false);
  dv.setUint32(off + 4, k >>> 0, false);
}

function runOurs(w: Workload, n: number): Record<Phase, number> {
  const region = new DataRegion({ name: 'bench', pageSize: PAGE_SIZE, initSizeBytes: 64 << 20, maxSizeBytes: 1 << 30, memory: new ArrayBufferMemoryProvider() });
  const pm = region.pageMemory;
  const tree = BTree.create(pm, 1, 0, new PageMemoryAllocator(pm, 1), new BytewiseItemType(16, 8));
  const item = new Uint8Array(16);
  const idv = new DataView(item.buffer);
  const kb = new Uint8Array(8);
  const kdv = new DataView(kb.buffer);
  const key = new BytePrefixKey().set(kb, 0, 8);
  const kb2 = new Uint8Array(8);
  const kdv2 = new DataView(kb2.buffer);
  const upper = new BytePrefixKey().set(kb2, 0, 8);
  const out: Record<Phase, number> = {} as Record<Phase, number>;
  const r = (p: Phase, x: { secs: number; ops: number }): void => void (out[p] = x.ops / x.secs);
  r('insert', time(() => {
    for (let i = 0; i < n; i++) {
      const k = w.insertOrder[i]!;
      writeKey(idv, 0, k);
      idv.setFloat64(8, k * 2, true);
      tree.put(item);
    }
    return n;
  }));
  check(tree.size() === n, 'size after insert');
  let sum = 0;
  r('point lookup', time(() => {
    for (let i = 0; i < n; i++) {
      writeKey(kdv, 0, w.lookupOrder[i]!);
      if (tree.findOne(key, item)) sum += idv.getFloat64(8, true);
    }
    return n;
  }));
  check(sum === n * (n - 1), 'lookup sum');
  sum = 0;
  const cursor = tree.cursor(null, true, null, true);
  r('full scan', time(() => {
    let c = 0;
    const dv = new DataView(cursor.itemBuf.buffer, cursor.itemBuf.byteOffset); // itemBuf is fixed per cursor
    while (cursor.next()) {
      sum += dv.getFloat64(cursor.itemOff + 8, true);
      c++;
    }
    return c;
  }));
  check(sum === n * (n - 1), 'scan sum');
  let seen = 0;
  r('range scan (100 keys)', time(() => {
    const dv = new DataView(cursor.itemBuf.buffer, cursor.itemBuf.byteOffset);
    for (let i = 0; i < w.rangeStarts.length; i++) {
      const a = w.rangeStarts[i]!;
      writeKey(kdv, 0, a);
      writeKey(kdv2, 0, a + RANGE_LEN - 1);
      cursor.reset(key, true, upper, true);
      while (cursor.next()) seen += dv.getUint8(cursor.itemOff) >= 0 ? 1 : 0;
    }
    return w.rangeStarts.length;
  }));
  check(seen === w.rangeStarts.length * Math.min(RANGE_LEN, n), 'range scan count');
  r('remove 10%', time(() => {
    for (let i = 0; i < w.removeOrder.length; i++) {
      writeKey(kdv, 0, w.removeOrder[i]!);
      tree.remove(key);
    }
    return w.removeOrder.length;
  }));
  check(tree.size() === n - w.removeOrder.length, 'size after remove');
  tree.destroy();
  region.close();
  return out;
}

function runPeer(w: Workload, n: number, buffers: boolean): Record<Phase, number> {
  const toKey = (k: number): Buffer | number => {
    if (!buffers) return k;
    const b = Buffer.allocUnsafe(8);
    b.writeUInt32BE(Math.floor(k / 0x1_0000_0000), 0);
    b.writeUInt32BE(k >>> 0, 4);
    return b;
  };
  // Keys as the application would hand them over, created before timing.
  const insertKeys = Array.from(w.insertOrder, toKey);
  const lookupKeys = Array.from(w.lookupOrder, toKey);
  const rangeLo = Array.from(w.rangeStarts, toKey);
  const rangeHi = Array.from(w.rangeStarts, (k) => toKey(k + RANGE_LEN - 1));
  const removeKeys = Array.from(w.removeOrder, toKey);
  const tree = buffers ? new BTreeMap<Buffer | number, number>(undefined, (a, b) => Buffer.compare(a as Buffer, b as Buffer)) : new BTreeMap<Buffer | number, number>();
  const out: Record<Phase, number> = {} as Record<Phase, number>;
  const r = (p: Phase, x: { secs: number; ops: number }): void => void (out[p] = x.ops / x.secs);
  r('insert', time(() => {
    for (let i = 0; i < n; i++) tree.set(insertKeys[i]!, w.insertOrder[i]! * 2);
    return n;
  }));
  let sum = 0;
  r('point lookup', time(() => {
    for (let i = 0; i < n; i++) sum += tree.get(lookupKeys[i]!) ?? 0;
    return n;
  }));
  check(sum === n * (n - 1), 'peer lookup sum');
  sum = 0;
  r('full scan', time(() => {
    let c = 0;
    tree.forEachPair((_k, v) => {
      sum += v;
      c++;
    });
    return c;
  }));
  check(sum === n * (n - 1), 'peer scan sum');
  let seen = 0;
  r('range scan (100 keys)', time(() => {
    for (let i = 0; i < rangeLo.length; i++) {
      tree.forRange(rangeLo[i]!, rangeHi[i]!, true, () => void seen++);
    }
    return rangeLo.length;
  }));
  check(seen === rangeLo.length * Math.min(RANGE_LEN, n), 'peer range count');
  r('remove 10%', time(() => {
    for (let i = 0; i < removeKeys.length; i++) tree.delete(removeKeys[i]!);
    return removeKeys.length;
  }));
  check(tree.size === n - removeKeys.length, 'peer size after remove');
  return out;
}

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

function measure(impl: Impl, n: number): Record<Phase, number> {
  const w = workload(n);
  const runs: Record<Phase, number>[] = [];
  for (let i = 0; i < RUNS; i++) {
    runs.push(impl === 'aistorage' ? runOurs(w, n) : runPeer(w, n, impl === 'sorted-btree-buffer'));
    (globalThis as { gc?: () => void }).gc?.();
  }
  const out = {} as Record<Phase, number>;
  for (const p of PHASES) out[p] = median(runs.map((x) => x[p]));
  return out;
}

function child(impl: Impl): Record<Phase, number> {
  const r = spawnSync(process.execPath, ['--expose-gc', '-r', 'ts-node/register/transpile-only', __filename, impl], {
    encoding: 'utf8',
    env: process.env,
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) throw new Error(`${impl}: ${r.stderr || r.signal}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<Phase, number>;
}

const fmt = (x: number): string => (x >= 1e6 ? `${(x / 1e6).toFixed(2)}M` : `${(x / 1e3).toFixed(1)}k`);

function main(): void {
  const impl = process.argv[2] as Impl | undefined;
  if (impl !== undefined && IMPLS.includes(impl)) {
    console.log(JSON.stringify(measure(impl, N)));
    return;
  }
  const res = Object.fromEntries(IMPLS.map((i) => [i, child(i)])) as Record<Impl, Record<Phase, number>>;
  console.log(`Node ${process.version}, N = ${N}, ${PAGE_SIZE}-byte pages, 16-byte items, median of ${RUNS} runs (ops/s; scans: items/s, range scans: scans/s)\n`);
  console.log('| operation | aistorage BTree | sorted-btree (Buffer keys) | sorted-btree (number keys) | ratio to Buffer keys |');
  console.log('|---|---:|---:|---:|---:|');
  for (const p of PHASES) {
    const a = res.aistorage[p];
    const b = res['sorted-btree-buffer'][p];
    console.log(`| ${p} | ${fmt(a)} | ${fmt(b)} | ${fmt(res['sorted-btree-number'][p])} | ${(a / b).toFixed(2)} |`);
  }
}

main();
