/**
 * `npm run demo`: the product through its public API only (the package's main entry, `../api/index`), as a user
 * sees it. Opens a node in a fresh temporary work dir (removed at the end) with the spec's profiles — aimem's
 * `cache_profile` and aipersist's `persistent_profile` (the configuration examples of the spec) — and a small aimem
 * profile that it fills up; then:
 *   1. the spec's `sessions` table on cache_profile: rows written at t1, some updated and one deleted at t2;
 *   2. reads at the older snapshot (t1) and at the latest, an index lookup (hash primary key) and a range scan
 *      (sorted index on user_id);
 *   3. a region growing by a segment and then refusing a write with OUT_OF_MEMORY (events$ prints both facts);
 *   4. aipersist on the `default` profile: orders written and checkpointed (`flush`), then, after the node is
 *      closed, a second node on the same work dir reads them back from the partition files;
 *   5. the spec's `orders` in SQL on persistent_profile (demo-sql.ts): a transaction, changes$, an aggregate, a plan;
 *      read back with SQL after the restart;
 *   6. the node's stats().
 * Rows of 1–4 are opaque bytes (the SPI, level 3): the demo encodes them as JSON; 5 uses tables and SQL (levels 1–2).
 * test/integration/demo.test.ts runs it and checks its key lines.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GREATER_OR_EQUAL, LESS_OR_EQUAL, MAX_VALUE, OutOfMemoryError, RowId, openNode,
  type BinaryRow, type HashIndexStorage, type MvPartitionStorage, type SortedIndexStorage, type StorageNode,
} from '../api/index';
import { sqlOrders, sqlOrdersAfterRestart } from './demo-sql';

const MiB = 1024 * 1024;
const PROFILES = {
  ignite: {
    storage: {
      profiles: [
        { engine: 'aimem', name: 'cache_profile', initSizeBytes: 512 * MiB, maxSizeBytes: 1024 * MiB }, // spec: aimem.md
        { engine: 'aipersist', name: 'persistent_profile', sizeBytes: 2048 * MiB }, // spec: aipersist.md
        { engine: 'aimem', name: 'blob_profile', initSizeBytes: 10 * MiB, maxSizeBytes: 64 * MiB }, // filled below
      ],
    },
  },
} as const;
const SESSIONS = 1000;
const USERS = 100;

interface Session {
  readonly sessionId: string;
  readonly userId: number;
  readonly data: string;
  readonly expiresAt: string;
}

const sessionId = (i: number): string => `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
const encode = (s: Session): BinaryRow => ({ schemaVersion: 1, bytes: new TextEncoder().encode(JSON.stringify(s)) });
const decode = (row: BinaryRow | null): Session | null =>
  row === null ? null : (JSON.parse(new TextDecoder().decode(row.bytes)) as Session);
const mib = (bytes: number): string => `${(bytes / MiB).toFixed(1)} MiB`;

interface SessionsTable {
  readonly part: MvPartitionStorage;
  readonly pk: HashIndexStorage;
  readonly byUser: SortedIndexStorage;
}

/** The spec's `sessions` table (aimem.md "Usage") on cache_profile: one partition, a hash PK, an index on user_id. */
async function createSessions(node: StorageNode): Promise<SessionsTable> {
  const table = node.engine('aimem').createMvTable({ tableId: 1, partitions: 10, storageProfile: 'cache_profile' });
  const part = await table.createMvPartition(0);
  const pk = table.createHashIndex(0, { id: 1, primary: true, columns: [{ name: 'session_id', type: 'UUID', nullable: false }] });
  const byUser = table.createSortedIndex(0, {
    id: 2, columns: [{ name: 'user_id', type: 'INT32', nullable: false, asc: true }],
  });
  // A secondary index starts unbuilt (reads refuse it); over an empty partition there is nothing to build.
  part.runConsistently(() => byUser.setNextRowIdToBuild(null));
  return { part, pk, byUser };
}

function writeSessions(node: StorageNode, t: SessionsTable): { t1: bigint; t2: bigint } {
  const t1 = node.clock.now();
  const expiresAt = new Date(Date.now() + 30 * 60_000).toISOString();
  t.part.runConsistently(() => {
    for (let i = 0; i < SESSIONS; i++) {
      const s: Session = { sessionId: sessionId(i), userId: i % USERS, data: `cart v1 of session ${i}`, expiresAt };
      const rowId = RowId.random(0);
      t.part.addWriteCommitted(rowId, encode(s), t1);
      t.pk.put({ key: [s.sessionId], rowId });
      t.byUser.put({ key: [s.userId], rowId });
    }
  });
  console.log(`sessions: ${SESSIONS} rows written at t1 = ${t1}`);
  // t2: the carts of user 11 change; session 5 ends (a tombstone: MVCC keeps its old version for reads at t1).
  const t2 = node.clock.now();
  t.part.runConsistently(() => {
    for (const { rowId } of t.byUser.scan([11], [11], GREATER_OR_EQUAL | LESS_OR_EQUAL)) {
      const s = decode(t.part.read(rowId, MAX_VALUE).binaryRow)!;
      t.part.addWriteCommitted(rowId, encode({ ...s, data: s.data.replace('v1', 'v2') }), t2);
    }
    const [ended] = [...t.pk.get([sessionId(5)])];
    t.part.addWriteCommitted(ended!, null, t2);
    t.pk.remove({ key: [sessionId(5)], rowId: ended! });
    t.byUser.remove({ key: [5], rowId: ended! });
  });
  console.log(`sessions: user 11's rows updated and session 5 deleted at t2 = ${t2}`);
  return { t1, t2 };
}

function readSessions(t: SessionsTable, t1: bigint): void {
  const [rowId] = [...t.pk.get([sessionId(111)])];
  console.log(`lookup session_id=${sessionId(111)} (hash primary key)`);
  console.log(`  at t1:  ${decode(t.part.read(rowId!, t1).binaryRow)?.data}`);
  console.log(`  latest: ${decode(t.part.read(rowId!, MAX_VALUE).binaryRow)?.data}`);
  const versions = t.part.scanVersions(rowId!); // its version chain, newest first
  console.log(`  versions: ${[...versions].map((v) => `${decode(v.binaryRow)?.data} @ ${v.commitTimestamp}`).join(', ')}`);
  versions.close();
  console.log(`lookup session_id=${sessionId(5)}: ${[...t.pk.get([sessionId(5)])].length} index entries now`);
  const perUser = new Map<number, string[]>();
  for (const { key, rowId: r } of t.byUser.scan([10], [12], GREATER_OR_EQUAL | LESS_OR_EQUAL)) {
    const list = perUser.get(key[0] as number) ?? [];
    list.push(decode(t.part.read(r, MAX_VALUE).binaryRow)!.data.split(' ')[1]!);
    perUser.set(key[0] as number, list);
  }
  console.log('range scan user_id 10..12 (sorted index), rows at the latest:');
  for (const [user, versions] of perUser) console.log(`  user ${user}: ${versions.length} sessions, carts ${[...new Set(versions)].join('/')}`);
}

/** Writes 64 KiB blobs into blob_profile until its region is full: it grows by a segment, then refuses a write. */
async function fillBlobs(node: StorageNode): Promise<void> {
  const table = node.engine('aimem').createMvTable({ tableId: 2, partitions: 1, storageProfile: 'blob_profile' });
  const part = await table.createMvPartition(0);
  const blob = { schemaVersion: 1, bytes: new Uint8Array(64 * 1024).fill(7) };
  const first = RowId.random(0);
  let written = 0;
  try {
    for (;;) {
      const rowId = written === 0 ? first : RowId.random(0);
      part.runConsistently(() => part.addWriteCommitted(rowId, blob, node.clock.now()));
      written++;
    }
  } catch (e) {
    if (!(e instanceof OutOfMemoryError)) throw e;
    console.log(`blob_profile: ${written} blobs of 64 KiB written, the next one refused: ${e.code}`);
  }
  const kept = part.read(first, MAX_VALUE).binaryRow;
  console.log(`blob_profile: the first blob still reads back intact: ${kept?.bytes.length === blob.bytes.length && kept.bytes.every((b) => b === 7)}`);
  await node.engine('aimem').destroyMvTable(2);
  console.log('blob_profile: table destroyed, its pages are free again (the region keeps its segments)');
}

const ORDERS = 500;
const ORDER_PK = { id: 1, primary: true, columns: [{ name: 'order_id', type: 'INT64', nullable: false, asc: true }] } as const;

interface Orders {
  readonly part: MvPartitionStorage;
  readonly pk: SortedIndexStorage;
}

/** The `orders` table (aipersist.md "Usage") on the durable default profile: one partition, a sorted primary key. */
async function openOrders(node: StorageNode): Promise<Orders> {
  const table = node.engine('aipersist').createMvTable({ tableId: 3, partitions: 1, storageProfile: 'default' });
  const part = await table.createMvPartition(0);
  return { part, pk: table.createSortedIndex(0, ORDER_PK) };
}

async function writeOrders(node: StorageNode): Promise<void> {
  const { part, pk } = await openOrders(node);
  const ts = node.clock.now();
  part.runConsistently(() => {
    for (let i = 1; i <= ORDERS; i++) {
      const rowId = RowId.random(0);
      const row = { orderId: i, total: (i * 1.5).toFixed(2) };
      part.addWriteCommitted(rowId, { schemaVersion: 1, bytes: new TextEncoder().encode(JSON.stringify(row)) }, ts);
      pk.put({ key: [BigInt(i)], rowId });
    }
  });
  await part.flush(true);
  console.log(`orders (aipersist, default profile): ${ORDERS} rows written and checkpointed`);
}

/** A second node on the same work dir: the orders come back from the partition files. */
async function readOrdersAfterRestart(workDir: string): Promise<void> {
  const node = await openNode({ workDir, config: PROFILES });
  try {
    const { part, pk } = await openOrders(node);
    let rows = 0;
    const c = pk.scan([100n], [109n], GREATER_OR_EQUAL | LESS_OR_EQUAL);
    const totals: string[] = [];
    while (c.hasNext()) {
      const row = part.read(c.next().rowId, MAX_VALUE).binaryRow;
      if (row !== null) totals.push((JSON.parse(new TextDecoder().decode(row.bytes)) as { total: string }).total);
    }
    c.close();
    const all = pk.scan(null, null, 0);
    while (all.hasNext()) if (part.read(all.next().rowId, MAX_VALUE).binaryRow !== null) rows++;
    all.close();
    console.log(`orders after a restart: ${rows} rows read back from disk; orders 100..109 total ${totals.join(' ')}`);
    await sqlOrdersAfterRestart(node);
  } finally {
    await node.close();
  }
}

function printStats(node: StorageNode): void {
  console.log('stats():');
  for (const p of node.stats().profiles) {
    const r = p.region;
    const sizes = r === null
      ? 'no region yet'
      : `${r.segments} segment(s), ${mib(r.totalBytes)} reserved of max ${mib(r.maxSizeBytes)}, ${r.allocatedPages} pages of ${r.pageSize} B in use`;
    console.log(`  ${p.name} (${p.engine}): ${sizes}`);
  }
  // Checkpoint, page-cache and throttling sections join these with the aipersist issues (#10-#12).
  const m = node.metrics();
  console.log('metrics():');
  for (const r of m.regions) {
    console.log(`  region ${r.profile}: ${r.pages.allocated} pages in use, ${r.pages.dirty} dirty (volatile: ${r.volatile}), ${r.segments.allocated} of ${r.segments.max} segments`);
  }
  for (const t of m.tables) {
    console.log(`  table ${t.tableId} on ${t.profile}: ${t.partitions.map((p) => `partition ${p.partitionId} ≈ ${p.estimatedRows} rows`).join(', ')}`);
  }
}

export async function demo(): Promise<void> {
  const started = Date.now();
  const workDir = mkdtempSync(join(tmpdir(), 'aistorage-demo-'));
  const node = await openNode({ workDir, config: PROFILES });
  // Subscribe first: events$ is hot and does not replay; it completes when the node closes.
  node.events$.subscribe({
    next: (e) => {
      if (e.type === 'region.segmentAllocated') console.log(`event: ${e.type} ${e.region}: segment ${e.segmentIndex} of ${mib(e.bytes)}, ${mib(e.totalBytes)} in all`);
      else if (e.type === 'region.outOfMemory') console.log(`event: ${e.type} ${e.region}: init ${mib(e.initSizeBytes)}, max ${mib(e.maxSizeBytes)}`);
      else if (e.type === 'checkpoint.finished') {
        console.log(`event: ${e.type} (${e.reason}): ${e.partitions} partition(s), ${e.pagesToMain} page(s) to main files, ${e.pagesToDelta} to delta files`);
      }
    },
    complete: () => console.log('events$ completed'),
  });
  try {
    console.log(`aistorage demo — work dir ${workDir}`);
    console.log(`profiles: ${node.profiles().map((p) => `${p.name} (${p.engine})`).join(', ')}`);
    const sessions = await createSessions(node);
    const { t1 } = writeSessions(node, sessions);
    readSessions(sessions, t1);
    await fillBlobs(node);
    await writeOrders(node);
    await sqlOrders(node);
    printStats(node);
    await node.close();
    await readOrdersAfterRestart(workDir);
  } finally {
    await node.close();
    rmSync(workDir, { recursive: true, force: true });
  }
  console.log(`node closed; demo done in ${Date.now() - started} ms`);
}

demo().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
