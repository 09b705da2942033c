/**
 * B+ tree with values in data pages, on aimem's page memory, beside sorted-btree (issue 3's benchmark).
 *
 *   BENCH_N=1000000 npx ts-node --transpile-only bench/btree.bench.ts     (issue 3's figures)
 *     BENCH_N keys (default 500,000: at 1,000,000 the three implementations × 3 runs take 2.5–3.5 minutes on the
 *     shared 2-core machines, mostly sorted-btree with Buffer keys), BENCH_PAGE_SIZE (default 16384; 1024 for
 *     the small-page line), BENCH_RUNS (default 3; each figure is the median)
 *
 * Workload (bench/btree/workload.ts): 8-byte big-endian keys 0..N-1 inserted in random order, each with a
 * 100-byte random value. Phases, each timed on its own and every run on a fresh structure: insert, point lookup
 * of every key in another random order, full ordered scan, 10,000 range scans of 100 consecutive keys, removal
 * of a random 10%. Every lookup and scan reads the value (self-checked against sums of the values' bytes).
 *
 * - aistorage (bench/btree/ours.ts): tree item = key + 8-byte link to the value's row in a RowStore; the
 *   BucketedFreeList places rows and gives the tree its pages. Memory: the region's allocated bytes after the
 *   build (page slots including their 32-byte system headers).
 * - sorted-btree (bench/btree/peer.ts), with Buffer keys and, for reference, number keys; values are Buffers.
 *   Memory: JS heap + external growth after the build (needs --expose-gc, as bench/run.ts and the child
 *   processes here use; without it the figure is noisy and says so).
 *
 * Each implementation runs in its own process so that none makes another's call sites polymorphic or leaves
 * garbage behind. Raw data = N × (8 + 100) bytes.
 */
import { spawnSync } from 'node:child_process';
import { runOurs } from './btree/ours';
import { peerQueryKeys, runPeer } from './btree/peer';
import { PHASES, RAW_ROW_BYTES, canGc, makeWorkload, median, type Phase, type RunResult } from './btree/workload';

const N = Number(process.env.BENCH_N ?? 500_000);
const PAGE_SIZE = Number(process.env.BENCH_PAGE_SIZE ?? 16384);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

type Impl = 'aistorage' | 'sorted-btree-buffer' | 'sorted-btree-number';
const IMPLS: Impl[] = ['aistorage', 'sorted-btree-buffer', 'sorted-btree-number'];

/** Medians over the runs: ops/s per phase, memory bytes and each memory detail. */
interface Summary {
  readonly ops: Record<Phase, number>;
  readonly memBytes: number;
  readonly memDetail: Record<string, number>;
  readonly gc: boolean;
}

function measure(impl: Impl): Summary {
  const w = makeWorkload(N);
  const q = impl === 'aistorage' ? null : peerQueryKeys(w, impl === 'sorted-btree-buffer');
  const runs: RunResult[] = [];
  for (let i = 0; i < RUNS; i++) {
    runs.push(q === null ? runOurs(w, PAGE_SIZE) : runPeer(w, q));
    (globalThis as { gc?: () => void }).gc?.();
  }
  const ops = {} as Record<Phase, number>;
  for (const p of PHASES) ops[p] = median(runs.map((r) => r.ops[p]));
  const memDetail: Record<string, number> = {};
  for (const k of Object.keys(runs[0]!.memDetail)) memDetail[k] = median(runs.map((r) => r.memDetail[k]!));
  return { ops, memBytes: median(runs.map((r) => r.memBytes)), memDetail, gc: canGc };
}

function child(impl: Impl): Summary {
  const r = spawnSync(process.execPath, ['--expose-gc', '-r', 'ts-node/register/transpile-only', __filename, impl], {
    encoding: 'utf8',
    env: process.env,
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) throw new Error(`${impl}: ${r.stderr || r.signal}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Summary;
}

const fmt = (x: number): string => (x >= 1e6 ? `${(x / 1e6).toFixed(2)}M` : `${(x / 1e3).toFixed(1)}k`);
const mb = (x: number): string => `${(x / 1e6).toFixed(1)} MB`;

function printMemory(res: Record<Impl, Summary>): void {
  const raw = N * RAW_ROW_BYTES;
  const ours = res.aistorage;
  const d = ours.memDetail;
  console.log(`\nMemory once built (raw key + value bytes: ${mb(raw)} = N × ${RAW_ROW_BYTES}; target ≤ 1.5 × raw):\n`);
  console.log(`- aistorage: region allocated ${mb(ours.memBytes)} = **${(ours.memBytes / raw).toFixed(2)} × raw** ` +
    `(${d.dataPages} data pages + ${d.treePages} tree pages of ${d.slotSize} bytes incl. the 32-byte system header; ` +
    `region reserved ${mb(d.regionTotalBytes!)}, JS heap growth ${mb(d.heapDelta!)})`);
  for (const impl of ['sorted-btree-buffer', 'sorted-btree-number'] as const) {
    const s = res[impl];
    const note = s.gc ? '' : ' (no --expose-gc: not collected, noisy)';
    console.log(`- ${impl}: heap + external growth ${mb(s.memBytes)} = **${(s.memBytes / raw).toFixed(2)} × raw** ` +
      `(heap ${mb(s.memDetail.heapDelta!)}, external ${mb(s.memDetail.externalDelta!)})${note}`);
  }
}

function main(): void {
  const impl = process.argv[2] as Impl | undefined;
  if (impl !== undefined && IMPLS.includes(impl)) {
    console.log(JSON.stringify(measure(impl)));
    return;
  }
  const res = Object.fromEntries(IMPLS.map((i) => [i, child(i)])) as Record<Impl, Summary>;
  console.log(`Node ${process.version}, N = ${N}, ${PAGE_SIZE}-byte pages, 8-byte keys + 100-byte values in data pages, ` +
    `median of ${RUNS} runs (ops/s; full scan: items/s; range scans: scans/s)\n`);
  console.log('| operation | aistorage BTree + RowStore | sorted-btree (Buffer keys) | sorted-btree (number keys) | ratio to Buffer keys |');
  console.log('|---|---:|---:|---:|---:|');
  for (const p of PHASES) {
    const a = res.aistorage.ops[p];
    const b = res['sorted-btree-buffer'].ops[p];
    console.log(`| ${p} | ${fmt(a)} | ${fmt(b)} | ${fmt(res['sorted-btree-number'].ops[p])} | ${(a / b).toFixed(2)} |`);
  }
  printMemory(res);
}

main();
