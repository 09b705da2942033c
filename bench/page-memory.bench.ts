/**
 * Volatile page memory throughput (aimem's DataRegion over ArrayBufferMemoryProvider) for 1 KiB and 16 KiB pages.
 *
 *   npx ts-node --transpile-only bench/page-memory.bench.ts        (BENCH_N pages of 1 KiB, default 1,000,000;
 *                                                                   BENCH_N / 16 pages of 16 KiB)
 *
 * Phases per page size, each the median of 3 runs on a fresh region (init = max / 2, so the run also grows by
 * segments): allocate (fresh slots), write (acquireWrite + 4 words + release), read (acquireRead + 4 words +
 * release) — both repeated over the pages to at least 1M operations —, free, re-allocate (free stack: reuse + zeroing; the zeroing is the first touch of most of each page's
 * OS memory, so page faults dominate), re-allocate again (warm: memory already faulted in), and the cycle
 * allocate + acquireWrite + write + release + free on one page. The peer is a naive heap page table — Map<id, page> with one Uint8Array per page,
 * the design the off-heap page memory replaces — running the same operations.
 */
import { spawnSync } from 'node:child_process';
import { FLAG_DATA } from '../src/domain/page/page-id';
import { COMMON_HEADER_END } from '../src/domain/page/page-header.layout';
import { PageView, type PageMemory } from '../src/domain/page-memory/page-memory.port';
import { slotSizeOf } from '../src/domain/page-memory/volatile-page.layout';
import { DataRegion } from '../src/domain/region/data-region';
import { ArrayBufferMemoryProvider } from '../src/infrastructure/memory/array-buffer-memory-provider';

const N = Number(process.env.BENCH_N ?? 1_000_000);
const RUNS = 3;
const G = 1;
const W = COMMON_HEADER_END;
const ACCESS_OPS = 1_000_000;

interface HeapPage {
  buf: Uint8Array;
  dv: DataView;
  pins: number;
  /** The (group, partition, flags) owner, for dropPages. */
  owner: string;
}

/** The peer: a page table on the JS heap (allocation = new Uint8Array, lookup = Map.get). */
class HeapPageTable implements PageMemory {
  readonly #pages = new Map<number, HeapPage>();
  #next = 1;
  constructor(readonly pageSize: number) {}
  allocatePage(g: number, partitionId: number, flags: number): number {
    const buf = new Uint8Array(this.pageSize);
    this.#pages.set(this.#next, { buf, dv: new DataView(buf.buffer), pins: 0, owner: `${g}/${partitionId}/${flags}` });
    return this.#next++;
  }
  /** Not timed by this bench: a walk of the table. */
  dropPages(g: number, partitionId: number, flags: number): number {
    const owner = `${g}/${partitionId}/${flags}`;
    let n = 0;
    for (const [id, p] of this.#pages) {
      if (p.owner !== owner) continue;
      if (p.pins !== 0) throw new Error(`bad drop: page ${id} is pinned`);
      this.#pages.delete(id);
      n++;
    }
    return n;
  }
  freePage(_g: number, id: number): void {
    const p = this.#pages.get(id);
    if (!p || p.pins !== 0) throw new Error(`bad free ${id}`);
    this.#pages.delete(id);
  }
  acquireRead(g: number, id: number, v: PageView): void {
    this.#fill(g, id, v, false);
  }
  acquireWrite(g: number, id: number, v: PageView): void {
    this.#fill(g, id, v, true);
  }
  release(v: PageView): void {
    this.#pages.get(v.pageId)!.pins--;
    v.slot = -1;
  }
  #fill(g: number, id: number, v: PageView, writable: boolean): void {
    const p = this.#pages.get(id);
    if (!p) throw new Error(`no page ${id}`);
    p.pins++;
    v.groupId = g;
    v.pageId = id;
    v.buf = p.buf;
    v.dv = p.dv;
    v.off = 0;
    v.slot = 0;
    v.writable = writable;
  }
}

type Phase = 'allocate' | 'write' | 'read' | 'free' | 're-allocate' | 're-allocate, warm' | 'cycle';
const PHASES: Phase[] = ['allocate', 'write', 'read', 'free', 're-allocate', 're-allocate, warm', 'cycle'];

function time(fn: () => void): number {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e9;
}

/** One run of every phase on `pm`; returns ops/s per phase. */
function runPhases(pm: PageMemory, n: number): Record<Phase, number> {
  const ids = new Float64Array(n);
  const v = new PageView();
  let sink = 0;
  const out = {} as Record<Phase, number>;
  const allocate = () => {
    for (let i = 0; i < n; i++) ids[i] = pm.allocatePage(G, 0, FLAG_DATA);
  };
  out.allocate = n / time(allocate);
  // Access phases repeat over the pages so that each timed phase does at least ACCESS_OPS operations.
  const passes = Math.max(1, Math.ceil(ACCESS_OPS / n));
  out.write = (n * passes) / time(() => {
    for (let k = 0; k < passes * n; k++) {
      const i = k % n;
      pm.acquireWrite(G, ids[i]!, v);
      const dv = v.dv, o = v.off + W;
      dv.setUint32(o, i, true);
      dv.setUint32(o + 4, i + 1, true);
      dv.setUint32(o + 8, i + 2, true);
      dv.setUint32(o + 12, i + 3, true);
      pm.release(v);
    }
  });
  out.read = (n * passes) / time(() => {
    for (let k = 0; k < passes * n; k++) {
      const i = k % n;
      pm.acquireRead(G, ids[i]!, v);
      const dv = v.dv, o = v.off + W;
      sink += dv.getUint32(o, true) + dv.getUint32(o + 4, true) + dv.getUint32(o + 8, true) + dv.getUint32(o + 12, true);
      pm.release(v);
    }
  });
  out.free = n / time(() => {
    for (let i = 0; i < n; i++) pm.freePage(G, ids[i]!);
  });
  out['re-allocate'] = n / time(allocate);
  for (let i = 0; i < n; i++) pm.freePage(G, ids[i]!);
  out['re-allocate, warm'] = n / time(allocate);
  for (let i = 0; i < n; i++) pm.freePage(G, ids[i]!);
  out.cycle = n / time(() => {
    for (let i = 0; i < n; i++) {
      const id = pm.allocatePage(G, 0, FLAG_DATA);
      pm.acquireWrite(G, id, v);
      const dv = v.dv, o = v.off + W;
      dv.setUint32(o, i, true);
      dv.setUint32(o + 4, i, true);
      dv.setUint32(o + 8, i, true);
      dv.setUint32(o + 12, i, true);
      pm.release(v);
      pm.freePage(G, id);
    }
  });
  if (sink === -1) console.log(sink);
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function measure(make: () => { pm: PageMemory; close: () => void }, n: number): Record<Phase, number> {
  const runs: Record<Phase, number>[] = [];
  // Warm-up: lets the JIT optimize the phase loops before anything is timed.
  for (let r = 0; r < 2; r++) {
    const { pm, close } = make();
    runPhases(pm, Math.min(n, 20_000));
    close();
  }
  for (let r = 0; r < RUNS; r++) {
    gc();
    const { pm, close } = make();
    runs.push(runPhases(pm, n));
    close();
  }
  const out = {} as Record<Phase, number>;
  for (const p of PHASES) out[p] = median(runs.map((x) => x[p]));
  return out;
}

const fmt = (x: number): string => (x >= 1e6 ? `${(x / 1e6).toFixed(2)}M` : `${(x / 1e3).toFixed(1)}k`);

type Impl = 'region' | 'heap';

function makeImpl(impl: Impl, pageSize: number, n: number): () => { pm: PageMemory; close: () => void } {
  if (impl === 'heap') return () => ({ pm: new HeapPageTable(pageSize), close: () => {} });
  const memory = new ArrayBufferMemoryProvider();
  const max = n * slotSizeOf(pageSize);
  const init = Math.max(slotSizeOf(pageSize), Math.floor(max / 2));
  return () => {
    const region = new DataRegion({ name: 'bench', pageSize, initSizeBytes: init, maxSizeBytes: max, memory });
    return { pm: region.pageMemory, close: () => region.close() };
  };
}

/**
 * Each (implementation, page size) runs in its own process, so that neither the other implementation nor the
 * other page size makes the shared call sites polymorphic or leaves garbage behind.
 */
function child(impl: Impl, pageSize: number, n: number): Record<Phase, number> {
  const r = spawnSync(process.execPath, ['--expose-gc', '-r', 'ts-node/register/transpile-only', __filename, impl, String(pageSize), String(n)], {
    encoding: 'utf8',
    env: process.env,
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) throw new Error(`${impl} ${pageSize}: ${r.stderr || r.signal}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<Phase, number>;
}

function main(): void {
  const [impl, pageSize, n] = process.argv.slice(2);
  if (impl === 'region' || impl === 'heap') {
    console.log(JSON.stringify(measure(makeImpl(impl, Number(pageSize), Number(n)), Number(n))));
    return;
  }
  console.log(`Node ${process.version}, median of ${RUNS} runs, each implementation and page size in its own process\n`);
  console.log('| page size | pages | operation | DataRegion ops/s | heap page table ops/s | ratio |');
  console.log('|---|---:|---|---:|---:|---:|');
  for (const size of [1024, 16384]) {
    const count = size === 1024 ? N : Math.max(1, Math.floor(N / 16));
    const ours = child('region', size, count);
    const peer = child('heap', size, count);
    for (const p of PHASES) {
      console.log(`| ${size / 1024} KiB | ${count} | ${p} | ${fmt(ours[p])} | ${fmt(peer[p])} | ${(ours[p] / peer[p]).toFixed(2)} |`);
    }
  }
}

main();
