/**
 * `MvTableStorage.clearPartition` on aimem at the standard workload's size: how long a rebalance or a truncate
 * holds a full partition before it is empty again, beside the time it took to fill it.
 *
 *   BENCH_N=1000000 BENCH_RUNS=3 npx ts-node --transpile-only bench/clear-partition.bench.ts
 *
 * BENCH_N rows (default 1,000,000: the figure that counts; small N hide the per-page cost), BENCH_RUNS cycles
 * (default 3). One node (opened as bench/standard/aistorage-subject.ts opens it: an aimem profile sized for N), then
 * per cycle a fresh table: one MV partition and a sorted primary index on the INT64 key, N rows of 100 bytes
 * inserted in random key order (addWriteCommitted + index put, one runConsistently closure per 1,000 rows), then
 * `clearPartition(0)` timed, then checks that fail the run loudly: the partition is empty (estimatedSize() = 0, the
 * index scan finds nothing) and reusable (1,000 rows inserted again, one read back). The table is destroyed before
 * the next cycle so every cycle starts from the same region state. Only the public SPI is used.
 */
import { openNode } from '../src/interfaces/api/open-node';
import { RowId } from '../src/domain/storage/row-id';
import type { MvPartitionStorage, MvTableStorage, SortedIndexStorage, StorageEngine } from '../src/domain/storage/storage-engine.api';
import { machine, machineLine } from './machine';
import { BenchClock } from './standard/bench-clock';
import { median } from './standard/report';
import { BATCH, KEY_SIZE, VALUE_SIZE, makeWorkload, valueOf, type Workload } from './standard/workload';

const N = Number(process.env.BENCH_N ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const MiB = 1024 * 1024;
const PROFILE = 'bench';
/** Rows inserted again after the clear to show the partition is usable. */
const REFILL = 1_000;

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

interface Store {
  readonly table: MvTableStorage;
  readonly partition: MvPartitionStorage;
  readonly index: SortedIndexStorage;
}

async function newStore(engine: StorageEngine, tableId: number): Promise<Store> {
  const table = engine.createMvTable({ tableId, partitions: 1, storageProfile: PROFILE });
  const partition = await table.createMvPartition(0);
  const index = table.createSortedIndex(0, { id: 1, columns: [{ name: 'id', type: 'INT64', nullable: false, asc: true }], primary: true });
  return { table, partition, index };
}

/** Inserts the keys insertOrder[0..count) in batches of 1,000, as the standard workload does. */
function insert(s: Store, w: Workload, count: number, clock: BenchClock): void {
  const { partition: p, index } = s;
  const order = w.insertOrder;
  for (let from = 0; from < count; from += BATCH) {
    const to = Math.min(from + BATCH, count);
    const ts = clock.now();
    p.runConsistently(() => {
      for (let i = from; i < to; i++) {
        const rowId = RowId.random(0);
        const r = p.addWriteCommitted(rowId, { schemaVersion: 1, bytes: valueOf(w, order[i]!) }, ts);
        if (r.status !== 'SUCCESS') throw new Error(`insert of ${order[i]}: ${r.status}`);
        index.put({ key: [BigInt(order[i]!)], rowId });
      }
    });
  }
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`check failed: ${what}`);
}

/** Empty after the clear, then usable again: REFILL rows in, one read back through the index. */
function verifyClearedAndReusable(s: Store, w: Workload, clock: BenchClock): void {
  const { partition: p, index } = s;
  check(p.estimatedSize() === 0, `estimatedSize() after clear is ${p.estimatedSize()}, expected 0`);
  const scan = index.scan(null, null, 0);
  const found = scan.hasNext();
  scan.close();
  check(!found, 'the index scan after clear finds an entry');
  insert(s, w, REFILL, clock);
  check(p.estimatedSize() === REFILL, `estimatedSize() after the refill is ${p.estimatedSize()}, expected ${REFILL}`);
  const key = w.insertOrder[REFILL >> 1]!;
  const c = index.get([BigInt(key)]);
  const rowId = c.hasNext() ? c.next() : null;
  c.close();
  check(rowId !== null, `key ${key} inserted after the clear is not in the index`);
  const bytes = p.read(rowId!, clock.last).binaryRow?.bytes;
  check(bytes !== undefined && Buffer.compare(Buffer.from(bytes), valueOf(w, key)) === 0, `key ${key}: wrong value read back`);
}

interface Cycle {
  readonly insertMs: number;
  readonly clearMs: number;
  readonly allocatedBeforeClear: number;
  readonly allocatedAfterClear: number;
}

const msSince = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;

async function cycle(engine: StorageEngine, tableId: number, w: Workload, clock: BenchClock, allocated: () => number): Promise<Cycle> {
  const s = await newStore(engine, tableId);
  gc();
  let t0 = process.hrtime.bigint();
  insert(s, w, w.n, clock);
  const insertMs = msSince(t0);
  check(s.partition.estimatedSize() === w.n, `estimatedSize() after insert is ${s.partition.estimatedSize()}, expected ${w.n}`);
  const allocatedBeforeClear = allocated();
  gc();
  t0 = process.hrtime.bigint();
  await s.table.clearPartition(0);
  const clearMs = msSince(t0);
  const allocatedAfterClear = allocated();
  verifyClearedAndReusable(s, w, clock);
  await engine.destroyMvTable(tableId);
  return { insertMs, clearMs, allocatedBeforeClear, allocatedAfterClear };
}

function printTable(cycles: readonly Cycle[]): void {
  const mb = (b: number): string => (b / MiB).toFixed(1);
  const line = (name: string, c: Cycle): string =>
    `| ${name} | ${c.insertMs.toFixed(0)} | ${(N / (c.insertMs / 1000) / 1000).toFixed(1)}k | **${c.clearMs.toFixed(1)}** | ` +
    `${((100 * c.clearMs) / c.insertMs).toFixed(2)}% | ${mb(c.allocatedBeforeClear)} | ${mb(c.allocatedAfterClear)} |`;
  console.log('| cycle | insert ms | insert rows/s | clearPartition ms | clear ÷ insert | region MB before clear | region MB after clear |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  cycles.forEach((c, i) => console.log(line(String(i + 1), c)));
  const med = (f: (c: Cycle) => number): number => median(cycles.map(f));
  console.log(line('median', {
    insertMs: med((c) => c.insertMs), clearMs: med((c) => c.clearMs),
    allocatedBeforeClear: med((c) => c.allocatedBeforeClear), allocatedAfterClear: med((c) => c.allocatedAfterClear),
  }));
}

async function main(): Promise<void> {
  console.log(`clearPartition on aimem: N = ${N.toLocaleString('en-US')} rows (INT64 primary key, ${VALUE_SIZE}-byte values), ` +
    `${RUNS} build + clear cycle(s) in one process`);
  console.log(`${machineLine(machine())}\n`);
  const w = makeWorkload(N);
  const raw = N * (KEY_SIZE + VALUE_SIZE);
  const maxSizeBytes = Math.max(256 * MiB, Math.ceil((4 * raw) / MiB) * MiB);
  const node = await openNode({
    config: { ignite: { storage: { profiles: [{ engine: 'aimem', name: PROFILE, initSizeBytes: 64 * MiB, maxSizeBytes }] } } },
  });
  const allocated = (): number => node.profiles().find((p) => p.name === PROFILE)?.region?.allocatedBytes ?? 0;
  const clock = new BenchClock();
  const cycles: Cycle[] = [];
  try {
    for (let r = 0; r < RUNS; r++) {
      cycles.push(await cycle(node.engine('aimem'), r + 1, w, clock, allocated));
      console.error(`  cycle ${r + 1}/${RUNS}: clear ${cycles[r]!.clearMs.toFixed(1)} ms`);
    }
  } finally {
    await node.close();
  }
  printTable(cycles);
  console.log(`\nchecks passed in every cycle: empty after the clear (estimatedSize() = 0, index scan empty), ` +
    `reusable (${REFILL.toLocaleString('en-US')} rows inserted again, one read back through the index)`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exitCode = 1;
});
