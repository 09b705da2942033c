/**
 * Snapshot isolation of the table API (DESIGN.md §9), with `kv` on aimem ('mem') and on aipersist ('default').
 *
 * Model test: AISTORAGE_MODEL_TXS transactions (default 500) run 4–8 at a time, interleaved at random await points,
 * over 10 keys with `retries: 0` so conflicts surface: random reads (get, getAll, scan, count, plain own-transaction
 * calls), writes (insert, upsert, replace, delete) and bad values, ending in a commit, a throw, or — after a TX_CONFLICT
 * — probes that every later call and the commit throw it. Read-only transactions (now, or at an earlier commit's
 * timestamp) read twice with commits in between. Each committed read-write transaction upserts a marker `{ id }` into
 * `txlog`, whose `changes$` gives its commit timestamp. The history, the final scan and count (for aipersist also after
 * a reopen) are checked against a naive model (test/support/si-model.ts). Scripts come from AISTORAGE_MODEL_SEED
 * (default 1) and the transaction's id; the interleaving also depends on timing. Then deterministic §9 scenarios.
 */
import { describe, expect, it, onTestFailed } from 'vitest';
import type { Subscription } from 'rxjs';
import { openNode } from '../../src/interfaces/api/open-node';
import type { StorageNode } from '../../src/interfaces/api/storage-node';
import {
  DuplicateKeyError, TransactionConflictError, type StorageConfigInput, type Table, type TableChange, type Transaction,
} from '../../src/interfaces/api/index';
import { tuneAipersist } from '../support/aipersist-tuning';
import { SeededRandom, envInt } from '../contract/support/seeded-random';
import { useNodeScope } from '../support/node-scope';
import { deferred } from '../support/deferred';
import {
  KEYS, SiHistory, checkHistory, collect, newTxRecord, randomQuery, runQuery, show, type KvRow, type ReadQuery, type ReadRecord, type TxRecord,
} from '../support/si-model';

const SEED = envInt('AISTORAGE_MODEL_SEED', 1);
const TXS = envInt('AISTORAGE_MODEL_TXS', 500);
const PAGE = 4096;
const CONFIG: StorageConfigInput = { ignite: { storage: {
  engines: { aimem: { pageSizeBytes: PAGE }, aipersist: { pageSizeBytes: PAGE } },
  profiles: [{ name: 'mem', engine: 'aimem', maxSizeBytes: 64 * 1024 * 1024 }, { name: 'default', sizeBytes: 16 * 1024 * 1024 }],
} } };
const PROFILES = [{ profile: 'mem' }, { profile: 'default' }] as const;

/** A node whose aipersist page cache holds 40 pages: the workload's pages are evicted and read back all the time. */
function open(workDir: string): Promise<StorageNode> {
  return openNode({ workDir, config: CONFIG }, { configure: tuneAipersist(workDir, { cacheSizeBytes: 40 * PAGE }) });
}

async function createTables(node: StorageNode, profile: string): Promise<void> {
  await node.createZone({ name: 'model', partitions: 4, storageProfiles: ['mem', 'default'] });
  const zone = { zone: 'model', storageProfile: profile, primaryKey: ['k'] };
  const columns = [{ name: 'k', type: 'INT' }, { name: 'v', type: 'INT', nullable: false }, { name: 'note', type: 'VARCHAR', length: 8 }] as const;
  await node.createTable({ name: 'kv', ...zone, columns });
  await node.createTable({ name: 'txlog', ...zone, primaryKey: ['id'], columns: [{ name: 'id', type: 'INT' }] });
}

const codeOf = (e: unknown): string | undefined => (e as { code?: string } | null)?.code;
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Random transactions against the node, recorded in `h`. */
class Workload {
  readonly h = new SiHistory();
  #nextV = 0;
  #commits = 0;

  constructor(private readonly node: StorageNode) {}

  async run(total: number, concurrency: number): Promise<void> {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < total) await this.#one(next++);
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  }

  #record(id: number, kind: TxRecord['kind']): TxRecord {
    const rec = newTxRecord(id, kind);
    this.h.txs.push(rec);
    return rec;
  }

  async #one(id: number): Promise<void> {
    const rng = new SeededRandom((SEED * 100_003 + id) >>> 0);
    const roll = rng.int(8);
    const known = this.h.knownCommitTimestamps();
    if (roll === 0 && known.length > 0) return this.#readOnly(this.#record(id, 'ro-at'), rng, rng.pick(known) - BigInt(rng.int(2)));
    if (roll <= 1) return this.#readOnly(this.#record(id, 'ro'), rng, undefined);
    return this.#readWrite(this.#record(id, 'rw'), rng);
  }

  async #read(rec: TxRecord, t: Table<KvRow>, query: ReadQuery, round = 0): Promise<unknown> {
    const startSeq = this.h.tick();
    const result = await runQuery(t, query);
    rec.reads.push({ query, result, own: new Map(rec.writes), round, startSeq, endSeq: this.h.tick() } satisfies ReadRecord);
    return result;
  }

  async #readOnly(rec: TxRecord, rng: SeededRandom, timestamp: bigint | undefined): Promise<void> {
    const queries = Array.from({ length: 1 + rng.int(3) }, () => randomQuery(rng));
    await this.node.transaction(async (tx) => {
      rec.readTs = tx.timestamp;
      rec.beginSeq = this.h.tick();
      if (timestamp !== undefined && tx.timestamp !== timestamp) rec.violations.push(`read at ${tx.timestamp}, asked for ${timestamp}`);
      const t = tx.table<KvRow>('kv');
      for (const q of queries) await this.#read(rec, t, q, 1);
      const commits = this.#commits;
      for (let i = 0; i < 300 && this.#commits < commits + 2; i++) await tick();
      for (const q of queries) await this.#read(rec, t, q, 2);
      rec.fnReturnSeq = this.h.tick();
    }, { readOnly: true, ...(timestamp === undefined ? {} : { timestamp }) });
    rec.endSeq = this.h.tick();
    rec.outcome = 'committed';
  }

  async #readWrite(rec: TxRecord, rng: SeededRandom): Promise<void> {
    let attempts = 0;
    let swallowed = false;
    try {
      await this.node.transaction(async (tx) => {
        if (++attempts > 1) rec.violations.push('retries: 0 ran the function again');
        rec.readTs = tx.timestamp;
        rec.beginSeq = this.h.tick();
        const t = tx.table<KvRow>('kv');
        for (let n = 1 + rng.int(5); n > 0 && !swallowed; n--) {
          for (let p = rng.int(4); p > 0; p--) await tick();
          swallowed = await this.#op(rec, tx, t, rng);
        }
        await tick();
        if (!swallowed && rng.chance(0.1)) {
          rec.fnReturnSeq = this.h.tick();
          throw new UserAbort();
        }
        if (!swallowed) await tx.table('txlog').upsert({ id: rec.id });
        rec.fnReturnSeq = this.h.tick();
      }, { retries: 0 });
      rec.endSeq = this.h.tick();
      rec.outcome = 'committed';
      rec.markerSeenAtEnd = this.h.markerSeen.has(rec.id);
      this.#commits++;
      if (swallowed) rec.violations.push('committed although a call of it had thrown TX_CONFLICT');
    } catch (e) {
      rec.endSeq = this.h.tick();
      rec.outcome = e instanceof UserAbort ? 'thrown' : 'conflict';
      if (!(e instanceof UserAbort) && !(e instanceof TransactionConflictError)) rec.violations.push(`unexpected ${String(e)}`);
    }
  }

  /** One random operation; true when it met a TX_CONFLICT that the function swallows (the commit must throw it). */
  async #op(rec: TxRecord, tx: Transaction, t: Table<KvRow>, rng: SeededRandom): Promise<boolean> {
    const roll = rng.int(100);
    const k = rng.int(KEYS);
    const row: KvRow = { k, v: ++this.#nextV, note: rng.chance(0.5) ? null : `n${this.#nextV % 1000}` };
    try {
      if (roll < 30) await this.#read(rec, t, randomQuery(rng));
      else if (roll < 50) await this.#write(rec, k, 'upsert', () => t.upsert(row).then(() => true), row);
      else if (roll < 64) await this.#write(rec, k, 'insert', () => t.insert(row).then(() => true), row);
      else if (roll < 72) await this.#write(rec, k, 'replace', () => t.replace(row), row);
      else if (roll < 86) await this.#write(rec, k, 'delete', () => t.delete({ k }), null);
      else if (roll < 92) await this.#invalid(rec, t, k, rng);
      else await this.#plainRead(randomQuery(rng));
      return false;
    } catch (e) {
      if (!(e instanceof TransactionConflictError)) throw e;
      if (roll < 30 || roll >= 86) rec.violations.push(`a read threw ${String(e)}`); // only writes conflict
      const mode = rng.int(3);
      if (mode === 0) throw e;
      await this.#expectConflict(rec, 'get', () => t.get({ k }));
      await this.#expectConflict(rec, 'upsert', () => t.upsert({ k: (k + 1) % KEYS, v: 0, note: null }));
      await this.#expectConflict(rec, 'scan', async () => collect(t.scan()));
      await this.#expectConflict(rec, 'txlog upsert', () => tx.table('txlog').upsert({ id: rec.id }));
      if (mode === 1) throw e;
      return true;
    }
  }

  /** A write (and, for insert / replace / delete, the existence it found); a TX_CONFLICT is recorded and rethrown. */
  async #write(rec: TxRecord, key: number, op: string, call: () => Promise<boolean>, row: KvRow | null): Promise<void> {
    const own = new Map(rec.writes);
    const startSeq = this.h.tick();
    let wrote: boolean;
    try {
      wrote = await call();
    } catch (e) {
      if (e instanceof DuplicateKeyError) wrote = false;
      else {
        if (e instanceof TransactionConflictError) rec.conflicts.push({ key, startSeq, endSeq: this.h.tick() });
        throw e;
      }
    }
    const endSeq = this.h.tick();
    if (op !== 'upsert') {
      const found = op === 'insert' ? !wrote : wrote;
      rec.reads.push({ query: { type: 'exists', key }, result: found, own, round: 0, startSeq, endSeq });
    }
    if (!wrote) return;
    if (!rec.writeStart.has(key)) rec.writeStart.set(key, startSeq);
    rec.writes.set(key, row);
    if (row !== null) rec.values.add(row.v);
  }

  /** A bad value fails that call only (INVALID_ARGUMENT / NOT_NULL_VIOLATION); the row reads as before. */
  async #invalid(rec: TxRecord, t: Table<KvRow>, k: number, rng: SeededRandom): Promise<void> {
    const bad = rng.pick([
      { row: { k, v: 1.5, note: null }, code: 'INVALID_ARGUMENT' },
      { row: { k, v: 2 ** 40, note: null }, code: 'INVALID_ARGUMENT' },
      { row: { k, v: null, note: null }, code: 'NOT_NULL_VIOLATION' },
      { row: { k, v: 1, note: 'much too long' }, code: 'INVALID_ARGUMENT' },
    ]);
    const call = rng.chance(0.5) ? t.upsert(bad.row as unknown as KvRow) : t.insert(bad.row as unknown as KvRow);
    const code = await call.then(() => 'resolved', codeOf);
    if (code === 'TX_CONFLICT') rec.violations.push(`a bad value ${JSON.stringify(bad.row)} got TX_CONFLICT`);
    else if (code !== bad.code) rec.violations.push(`bad value ${JSON.stringify(bad.row)}: ${code}, expected ${bad.code}`);
    await this.#read(rec, t, { type: 'get', keys: [k] });
  }

  async #expectConflict(rec: TxRecord, what: string, call: () => Promise<unknown>): Promise<void> {
    const code = await call().then(() => 'resolved', codeOf);
    if (code !== 'TX_CONFLICT') rec.violations.push(`${what} after a TX_CONFLICT: ${code}, expected TX_CONFLICT`);
  }

  async #plainRead(query: ReadQuery): Promise<void> {
    const startSeq = this.h.tick();
    const result = await runQuery(this.node.table<KvRow>('kv'), query);
    this.h.plainReads.push({ query, result, startSeq, endSeq: this.h.tick() });
  }

  subscribe(): Subscription {
    const sub = this.node.table<KvRow>('kv').changes$.subscribe((c) => this.h.kvChanges.push(c));
    sub.add(this.node.table<{ id: number }>('txlog').changes$.subscribe((c) => {
      this.h.markerChanges.push(c);
      if (c.newRow !== null) this.h.markerSeen.add(c.newRow.id);
    }));
    return sub;
  }
}

class UserAbort extends Error {}

describe.each(PROFILES)('snapshot isolation model: kv on $profile', ({ profile }) => {
  const scope = useNodeScope();

  it(`${TXS} random concurrent transactions agree with the SI model, and so does the final state`, async () => {
    const rng = new SeededRandom(SEED);
    const concurrency = 4 + rng.int(5);
    onTestFailed(() => {
      console.error(`tables-si-model: AISTORAGE_MODEL_SEED=${SEED} AISTORAGE_MODEL_TXS=${TXS} (concurrency ${concurrency}, ${profile})`);
    });
    const dir = scope.dir();
    const node = scope.keep(await open(dir));
    await createTables(node, profile);
    const w = new Workload(node);
    const sub = w.subscribe();
    await w.run(TXS, concurrency);
    const kv = node.table<KvRow>('kv');
    const finalScan = await collect(kv.scan());
    const { failures, stats } = checkHistory(w.h, finalScan, await kv.count());
    sub.unsubscribe();
    expect.soft(failures).toEqual([]); // soft: the checks below still run and report
    // The run was not vacuous (at the default size): commits, conflicts, changes, read-only transactions outliving commits.
    if (TXS >= 100) {
      expect(stats.committed).toBeGreaterThan(TXS / 5);
      const least = Math.min(stats.conflicts, stats.thrown, stats.kvChanges, stats.plainReads, stats.repeatableUnderChange);
      expect(least, JSON.stringify(stats)).toBeGreaterThan(0);
    }
    if (profile !== 'default') return;
    expect(node.metrics().aipersist!.caches.reduce((n, c) => n + c.replacements, 0)).toBeGreaterThan(0); // pages were evicted
    await node.close();
    const again = scope.keep(await open(dir));
    const t = again.table<KvRow>('kv');
    expect(show(await collect(t.scan()))).toBe(show(finalScan));
    expect(await t.count()).toBe(finalScan.length);
  });
});

/** The §9 scenarios, each on a fresh node with `kv` on the profile. */
describe.each(PROFILES)('§9 transaction rules: kv on $profile', ({ profile }) => {
  const scope = useNodeScope();
  const setup = async (): Promise<{ node: StorageNode; kv: Table<KvRow> }> => {
    const node = scope.keep(await open(scope.dir()));
    await createTables(node, profile);
    return { node, kv: node.table<KvRow>('kv') };
  };
  const row = (k: number, v: number): KvRow => ({ k, v, note: null });
  /** Starts a transaction that writes `rows` and then waits for `release` (its intents stay pending). */
  const holder = async (node: StorageNode, rows: KvRow[], fail = false) => {
    const [wrote, release] = [deferred(), deferred()];
    const done = node.transaction(async (tx) => {
      for (const r of rows) await tx.table<KvRow>('kv').upsert(r);
      wrote.resolve();
      await release.promise;
      if (fail) throw new UserAbort();
    }, { retries: 0 });
    await wrote.promise;
    return { release: () => release.resolve(), done };
  };

  it('a write meeting a pending intent fails at once with TX_CONFLICT; every later call and the commit throw it', async () => {
    const { node, kv } = await setup();
    await kv.upsert(row(1, 1));
    const a = await holder(node, [row(1, 2)]);
    const codes: (string | undefined)[] = [];
    const b = node.transaction(async (tx) => {
      const t = tx.table<KvRow>('kv');
      await t.upsert(row(2, 20));
      expect(await t.get({ k: 1 })).toEqual(row(1, 1)); // a reader neither waits for nor sees the pending intent
      expect(await t.upsert(row(1, 3)).catch((e: unknown) => e)).toBeInstanceOf(TransactionConflictError); // A is still pending
      const later: Array<() => Promise<unknown>> = [
        () => t.get({ k: 2 }), () => t.getAll([{ k: 2 }]), () => t.insert(row(3, 30)), () => t.upsert(row(4, 40)),
        () => t.replace(row(2, 21)), () => t.delete({ k: 2 }), () => t.count(), async () => collect(t.scan()),
        () => tx.table('txlog').upsert({ id: 1 }),
      ];
      for (const call of later) codes.push(await call().then(() => 'resolved', codeOf));
      return 'caught';
    }, { retries: 0 });
    await expect(b).rejects.toBeInstanceOf(TransactionConflictError);
    expect(codes).toEqual(Array(9).fill('TX_CONFLICT'));
    a.release();
    await a.done;
    expect(await kv.getAll([{ k: 1 }, { k: 2 }, { k: 3 }, { k: 4 }])).toEqual([row(1, 2), null, null, null]);
  });

  it('an insert meeting a pending insert of the same key conflicts; after its commit, DUPLICATE_KEY; after its abort, none', async () => {
    const { node, kv } = await setup();
    const a = await holder(node, [row(7, 1)]);
    await expect(node.transaction((tx) => tx.table<KvRow>('kv').insert(row(7, 2)), { retries: 0 })).rejects.toBeInstanceOf(TransactionConflictError);
    a.release();
    await a.done;
    await expect(kv.insert(row(7, 3))).rejects.toBeInstanceOf(DuplicateKeyError);
    const c = await holder(node, [row(8, 1)], true);
    await expect(kv.insert(row(8, 5))).rejects.toBeInstanceOf(TransactionConflictError); // plain insert: retried 3 times, still pending
    c.release();
    await expect(c.done).rejects.toBeInstanceOf(UserAbort);
    await kv.insert(row(8, 6));
    expect(await collect(kv.scan())).toEqual([row(7, 1), row(8, 6)]);
  });

  it('first committer wins: writing a row committed after the snapshot conflicts; other rows stay writable', async () => {
    const { node, kv } = await setup();
    await kv.upsert(row(1, 1));
    const [started, committed] = [deferred(), deferred()];
    const b = node.transaction(async (tx) => {
      const t = tx.table<KvRow>('kv');
      started.resolve();
      await committed.promise;
      expect(await t.get({ k: 1 })).toEqual(row(1, 1)); // the snapshot
      await t.upsert(row(2, 2));
      await t.delete({ k: 1 });
    }, { retries: 0 });
    await started.promise;
    await kv.upsert(row(1, 5));
    committed.resolve();
    await expect(b).rejects.toBeInstanceOf(TransactionConflictError);
    expect(await collect(kv.scan())).toEqual([row(1, 5)]);
  });

  it('a validation error fails only that call: the transaction stays usable and commits', async () => {
    const { node, kv } = await setup();
    await kv.upsert(row(1, 1));
    const changes: TableChange<KvRow>[] = [];
    const sub = kv.changes$.subscribe((c) => changes.push(c));
    await node.transaction(async (tx) => {
      const t = tx.table<KvRow>('kv');
      await expect(t.upsert({ k: 1, v: 1.5, note: null })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
      await expect(t.upsert({ k: 1, v: null } as unknown as KvRow)).rejects.toMatchObject({ code: 'NOT_NULL_VIOLATION' });
      await expect(t.insert(row(1, 9))).rejects.toBeInstanceOf(DuplicateKeyError);
      await t.upsert(row(2, 2));
      expect(await t.getAll([{ k: 1 }, { k: 2 }])).toEqual([row(1, 1), row(2, 2)]);
    }, { retries: 0 });
    sub.unsubscribe();
    expect(await collect(kv.scan())).toEqual([row(1, 1), row(2, 2)]);
    expect(changes.map((c) => [c.key, c.oldRow, c.newRow])).toEqual([[{ k: 2 }, null, row(2, 2)]]);
  });

  it('retries runs the function again on TX_CONFLICT (and only then), each time on a new snapshot', async () => {
    const { node, kv } = await setup();
    const a = await holder(node, [row(1, 1)]);
    const snapshots: bigint[] = [];
    const result = await node.transaction(async (tx) => {
      snapshots.push(tx.timestamp);
      const t = tx.table<KvRow>('kv');
      await t.upsert(row(9, snapshots.length));
      if (snapshots.length === 1) {
        const e = await t.upsert(row(1, 10)).catch((x: unknown) => x);
        a.release();
        await a.done;
        throw e;
      }
      expect(await t.get({ k: 1 })).toEqual(row(1, 1)); // the retry's snapshot holds A's commit
      await t.upsert(row(1, 11));
      return 'done';
    }, { retries: 2 });
    expect(result).toBe('done');
    expect(snapshots).toHaveLength(2);
    expect(snapshots[1]!).toBeGreaterThan(snapshots[0]!);
    expect(await collect(kv.scan())).toEqual([row(1, 11), row(9, 2)]);

    const b = await holder(node, [row(2, 1)]);
    let runs = 0;
    for (const retries of [0, 2]) {
      runs = 0;
      const p = node.transaction(async (tx) => tx.table<KvRow>('kv').upsert(row(2, 5 + runs++)), { retries });
      await expect(p).rejects.toBeInstanceOf(TransactionConflictError);
      expect(runs).toBe(retries + 1);
    }
    runs = 0;
    await expect(node.transaction(async () => Promise.reject(new UserAbort(String(runs++))), { retries: 3 })).rejects.toBeInstanceOf(UserAbort);
    expect(runs).toBe(1); // other errors are not retried
    b.release();
    await b.done;
  });

  it('a plain table call inside a transaction is a transaction of its own', async () => {
    const { node, kv } = await setup();
    const p = node.transaction(async (tx) => {
      await tx.table<KvRow>('kv').upsert(row(4, 4));
      await node.table<KvRow>('kv').upsert(row(3, 3)); // commits now, whatever the outer transaction does
      expect(await tx.table<KvRow>('kv').get({ k: 3 })).toBeNull(); // after the snapshot
      throw new UserAbort();
    });
    await expect(p).rejects.toBeInstanceOf(UserAbort);
    expect(await collect(kv.scan())).toEqual([row(3, 3)]);
  });

  it('changes$: one change per row per committed transaction (its net effect), before the commit resolves; none when aborted', async () => {
    const { node, kv } = await setup();
    await kv.upsert(row(1, 1));
    await kv.upsert(row(2, 2));
    await kv.upsert(row(5, 5));
    const changes: TableChange<KvRow>[] = [];
    const sub = kv.changes$.subscribe((c) => changes.push(c));
    const other: TableChange<KvRow>[] = [];
    sub.add(node.table<KvRow>('KV').changes$.subscribe((c) => other.push(c)));
    let readTs = 0n;
    let seenAtResolve = -1;
    await node.transaction(async (tx) => {
      readTs = tx.timestamp;
      const t = tx.table<KvRow>('kv');
      await t.upsert(row(1, 10));
      await t.upsert(row(1, 11));
      await t.delete({ k: 2 });
      await t.insert(row(3, 30));
      await t.delete({ k: 3 });
      await t.insert(row(4, 40));
      await t.delete({ k: 5 });
      await t.insert(row(5, 50));
    }).then(() => {
      seenAtResolve = changes.length;
    });
    expect(seenAtResolve).toBe(4);
    const byKey = [...changes].sort((x, y) => Number(x.key['k']) - Number(y.key['k']));
    expect(byKey.map((c) => [c.key, c.oldRow, c.newRow])).toEqual([
      [{ k: 1 }, row(1, 1), row(1, 11)], [{ k: 2 }, row(2, 2), null], [{ k: 4 }, null, row(4, 40)], [{ k: 5 }, row(5, 5), row(5, 50)],
    ]);
    const ts = changes[0]!.commitTimestamp;
    expect(changes.every((c) => c.commitTimestamp === ts)).toBe(true);
    expect(ts).toBeGreaterThan(readTs);
    const thrown = await holder(node, [row(8, 8)], true);
    const a = await holder(node, [row(6, 6)]);
    await expect(node.transaction(async (tx) => tx.table<KvRow>('kv').upsert(row(7, 7)).then(() => tx.table<KvRow>('kv').upsert(row(6, 60))),
      { retries: 0 })).rejects.toBeInstanceOf(TransactionConflictError);
    thrown.release();
    await expect(thrown.done).rejects.toBeInstanceOf(UserAbort);
    a.release();
    await a.done;
    sub.unsubscribe();
    // Nothing for the transaction that threw nor for the one that conflicted; then the holder's commit.
    expect(changes).toHaveLength(5);
    expect([changes[4]!.key, changes[4]!.oldRow, changes[4]!.newRow]).toEqual([{ k: 6 }, null, row(6, 6)]);
    expect(changes[4]!.commitTimestamp).toBeGreaterThan(ts);
    expect(other).toEqual(changes);
  });

  it('read-only transactions are repeatable, at now or at an earlier commit timestamp; below the low watermark: TIMESTAMP_TOO_OLD', async () => {
    const { node, kv } = await setup();
    const stamps: bigint[] = [];
    const sub = kv.changes$.subscribe((c) => stamps.push(c.commitTimestamp));
    await kv.upsert(row(1, 1));
    await kv.upsert(row(1, 2));
    const reads: unknown[] = [];
    const readAll = async (t: Table<KvRow>): Promise<void> => {
      reads.push([await t.get({ k: 1 }), await collect(t.scan()), await t.count()]);
    };
    await node.transaction(async (tx) => {
      await readAll(tx.table<KvRow>('kv'));
      await kv.upsert(row(1, 3));
      await kv.insert(row(2, 2));
      await readAll(tx.table<KvRow>('kv'));
    }, { readOnly: true });
    expect(reads).toEqual([[row(1, 2), [row(1, 2)], 1], [row(1, 2), [row(1, 2)], 1]]);
    const at = async (timestamp: bigint): Promise<unknown> => node.transaction(async (tx) => {
      expect(tx.timestamp).toBe(timestamp);
      const t = tx.table<KvRow>('kv');
      const first = [await t.get({ k: 1 }), await t.count()];
      await kv.upsert(row(3, 3));
      await kv.delete({ k: 3 });
      expect([await t.get({ k: 1 }), await t.count()]).toEqual(first);
      return first;
    }, { readOnly: true, timestamp });
    expect(await at(stamps[0]! - 1n)).toEqual([null, 0]);
    expect(await at(stamps[0]!)).toEqual([row(1, 1), 1]);
    expect(await at(stamps[1]!)).toEqual([row(1, 2), 1]);
    expect(await at(stamps[3]!)).toEqual([row(1, 3), 2]);
    sub.unsubscribe();
    await expect(node.transaction(async () => undefined, { readOnly: true, timestamp: 1n })).rejects.toMatchObject({ code: 'TIMESTAMP_TOO_OLD' });
  });
});
