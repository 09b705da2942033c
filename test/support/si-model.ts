/**
 * A snapshot-isolation model of the table API's transactions (DESIGN.md §9 "Transactions", "`changes$`"). A workload
 * records a history — each transaction's snapshot (`tx.timestamp`), reads with what they returned, own writes, outcome
 * and the logical times (`seq`) of its steps; every commit's timestamp as `changes$` reported it — and `checkHistory`
 * replays it against a naive model: the committed transactions' net writes applied one after the other in
 * commit-timestamp order. The model shares no mechanism with the engine: state at a timestamp is a fold of plain maps.
 * Checks are post hoc, because a read may legally wait for a commit whose timestamp is only known later.
 */

import type { Table } from '../../src/interfaces/api/index';
import type { SeededRandom } from '../contract/support/seeded-random';

/** The model's key space: small, so that concurrent transactions meet. */
export const KEYS = 10;

/** A row of the model's table `kv (k INT PRIMARY KEY, v INT NOT NULL, note VARCHAR)`; every write has a fresh `v`. */
export interface KvRow {
  readonly k: number;
  readonly v: number;
  readonly note: string | null;
}

export type RowState = ReadonlyMap<number, KvRow>;

export interface ScanBounds {
  readonly gt?: number;
  readonly gte?: number;
  readonly lt?: number;
  readonly lte?: number;
  readonly reverse?: boolean;
  readonly limit?: number;
}

/** What a read asked; `exists` is what insert / replace / delete found (DUPLICATE_KEY, true, false). */
export type ReadQuery =
  | { readonly type: 'get'; readonly keys: readonly number[] }
  | { readonly type: 'exists'; readonly key: number }
  | { readonly type: 'scan'; readonly bounds: ScanBounds }
  | { readonly type: 'count' };

export interface ReadRecord {
  readonly query: ReadQuery;
  /** get: (KvRow | null)[]; exists: boolean; scan: KvRow[]; count: number. */
  readonly result: unknown;
  /** The transaction's own writes when it read (a copy; empty for read-only transactions). */
  readonly own: ReadonlyMap<number, KvRow | null>;
  /** Read-only transactions read their queries twice: round 1, then (after other commits) round 2. */
  readonly round: number;
  readonly startSeq: number;
  readonly endSeq: number;
}

export type Outcome = 'running' | 'committed' | 'conflict' | 'thrown';

export interface TxRecord {
  readonly id: number;
  readonly kind: 'rw' | 'ro' | 'ro-at';
  readTs: bigint;
  beginSeq: number;
  /** When the function returned (the commit starts after it). */
  fnReturnSeq: number;
  /** When `node.transaction` settled. */
  endSeq: number;
  outcome: Outcome;
  /** Net own writes by key (null: deleted) and the start of the first successful write of each key. */
  readonly writes: Map<number, KvRow | null>;
  readonly writeStart: Map<number, number>;
  /** Every `v` the transaction wrote (intermediate values included). */
  readonly values: Set<number>;
  readonly reads: ReadRecord[];
  /** TX_CONFLICTs of writes: the key and the write call's [start, end]. */
  readonly conflicts: { readonly key: number; readonly startSeq: number; readonly endSeq: number }[];
  /** Whether the commit marker's change had been emitted when the commit resolved (must be, §9). */
  markerSeenAtEnd: boolean;
  /** Rule breaks seen while running (a call after a conflict that did not throw TX_CONFLICT, ...). */
  readonly violations: string[];
}

export function newTxRecord(id: number, kind: TxRecord['kind']): TxRecord {
  return {
    id, kind, readTs: 0n, beginSeq: 0, fnReturnSeq: 0, endSeq: 0, outcome: 'running', writes: new Map(), writeStart: new Map(),
    values: new Set(), reads: [], conflicts: [], markerSeenAtEnd: false, violations: [],
  };
}

/** A plain `node.table('kv')` read: its own transaction at an unknown timestamp between its call and its return. */
export interface PlainRead {
  readonly query: ReadQuery;
  readonly result: unknown;
  readonly startSeq: number;
  readonly endSeq: number;
}

export interface ChangeRecord {
  readonly key: Record<string, unknown>;
  readonly oldRow: object | null;
  readonly newRow: object | null;
  readonly commitTimestamp: bigint;
}

export class SiHistory {
  #seq = 0;
  readonly txs: TxRecord[] = [];
  readonly plainReads: PlainRead[] = [];
  /** `changes$` of `kv`, and of `txlog` (one marker row `{ id: tx.id }` per read-write transaction), as emitted. */
  readonly kvChanges: ChangeRecord[] = [];
  readonly markerChanges: ChangeRecord[] = [];
  readonly markerSeen = new Set<number>();

  /** The next logical time: every step of the workload takes one, so "before" and "after" are exact. */
  tick(): number {
    return ++this.#seq;
  }

  /** Commits whose marker was emitted so far (the commit timestamps a later read-only transaction may read at). */
  knownCommitTimestamps(): bigint[] {
    return this.markerChanges.map((c) => c.commitTimestamp);
  }
}

export async function collect<T>(rows: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const r of rows) out.push(r);
  return out;
}

/** Runs one query through a table handle (of a transaction, or plain). */
export function runQuery(t: Table<KvRow>, q: ReadQuery): Promise<unknown> {
  switch (q.type) {
    case 'get':
      return q.keys.length === 1 ? t.get({ k: q.keys[0]! }).then((r) => [r]) : t.getAll(q.keys.map((k) => ({ k })));
    case 'scan':
      return (async () => collect(t.scan(q.bounds)))();
    case 'count':
      return t.count();
    case 'exists':
      return t.get({ k: q.key }).then((r) => r !== null);
  }
}

export function randomQuery(rng: SeededRandom): ReadQuery {
  const roll = rng.int(10);
  if (roll < 4) return { type: 'get', keys: Array.from({ length: 1 + rng.int(3) }, () => rng.int(KEYS)) };
  if (roll < 9) {
    const b: { -readonly [K in keyof ScanBounds]: ScanBounds[K] } = {};
    if (rng.chance(0.5)) b[rng.chance(0.5) ? 'gt' : 'gte'] = rng.int(KEYS);
    if (rng.chance(0.5)) b[rng.chance(0.5) ? 'lt' : 'lte'] = rng.int(KEYS);
    if (rng.chance(0.3)) b.reverse = true;
    if (rng.chance(0.3)) b.limit = rng.int(4);
    return { type: 'scan', bounds: b };
  }
  return { type: 'count' };
}

export interface CheckStats {
  committed: number;
  conflicts: number;
  thrown: number;
  reads: number;
  plainReads: number;
  kvChanges: number;
  /** Read-only transactions whose two rounds had a commit in between that changed what they read (at now). */
  repeatableUnderChange: number;
}

interface Committed {
  readonly tx: TxRecord;
  readonly commitTs: bigint;
}

export function show(value: unknown): string {
  if (value === null) return '∅';
  if (Array.isArray(value)) return `[${value.map(show).join(' ')}]`;
  if (typeof value === 'object') {
    const r = value as Record<string, unknown>;
    return `${String(r['k'])}:${String(r['v'])}${r['note'] === null ? '' : `/${String(r['note'])}`}`;
  }
  return String(value);
}

export function overlay(state: RowState, own: ReadonlyMap<number, KvRow | null>): RowState {
  if (own.size === 0) return state;
  const m = new Map(state);
  for (const [k, row] of own) {
    if (row === null) m.delete(k);
    else m.set(k, row);
  }
  return m;
}

/** The answer of `query` on `state`: the table API's semantics (§9 "Table API"), written naively. */
export function answer(state: RowState, query: ReadQuery): unknown {
  switch (query.type) {
    case 'get':
      return query.keys.map((k) => state.get(k) ?? null);
    case 'exists':
      return state.has(query.key);
    case 'count':
      return state.size;
    case 'scan': {
      const b = query.bounds;
      const rows = [...state.values()].sort((x, y) => x.k - y.k).filter((r) =>
        (b.gt === undefined || r.k > b.gt) && (b.gte === undefined || r.k >= b.gte)
        && (b.lt === undefined || r.k < b.lt) && (b.lte === undefined || r.k <= b.lte));
      const limit = b.limit ?? Infinity;
      if (b.reverse === true) return rows.slice(Math.max(0, rows.length - limit)).reverse();
      return rows.slice(0, limit);
    }
  }
}

/**
 * Checks the history (§9): (1) reads = model at the snapshot + own writes; (2) commits resolved before a transaction
 * began are in its snapshot, and plain reads see a prefix of the commits bracketed by their call; (3) no two
 * committed writers of a key overlapped, and every TX_CONFLICT had a competitor; (4) aborted writes are seen by no one;
 * (5) read-only rounds repeat; (6) `changes$` = each commit's net effect, in commit order, before it resolved;
 * (7) the final scan and count = the model's final state. Returns the failures (empty when all hold).
 */
export function checkHistory(h: SiHistory, finalScan: readonly unknown[], finalCount: number): { failures: string[]; stats: CheckStats } {
  const failures: string[] = [];
  const fail = (msg: string): void => {
    if (failures.length < 40) failures.push(msg);
  };
  for (const tx of h.txs) for (const v of tx.violations) fail(`tx ${tx.id}: ${v}`);
  const committed = commitOrder(h, fail);
  const states = prefixStates(committed);
  const stateAt = (ts: bigint): RowState => states[countAtOrBefore(committed, ts)]!;
  const writerOf = new Map<number, TxRecord>();
  for (const tx of h.txs) for (const v of tx.values) writerOf.set(v, tx);
  const commitTsOf = new Map(committed.map((c) => [c.tx.id, c.commitTs]));

  checkReads(h, stateAt, writerOf, commitTsOf, fail);
  checkRealTime(h, committed, fail);
  checkPlainReads(h, committed, states, writerOf, fail);
  checkWriters(h, committed, states, commitTsOf, fail);
  checkChanges(h, committed, states, fail);
  const final = answer(states[committed.length]!, { type: 'scan', bounds: {} });
  if (show(finalScan) !== show(final)) fail(`final scan ${show(finalScan)} ≠ model ${show(final)}`);
  if (finalCount !== states[committed.length]!.size) fail(`final count ${finalCount} ≠ model ${states[committed.length]!.size}`);
  for (const row of finalScan) {
    if (writerOf.get((row as KvRow).v)?.outcome !== 'committed') fail(`final scan holds ${show(row)} of an uncommitted tx`);
  }

  const stats: CheckStats = {
    committed: committed.length,
    conflicts: h.txs.filter((t) => t.outcome === 'conflict').length,
    thrown: h.txs.filter((t) => t.outcome === 'thrown').length,
    reads: h.txs.reduce((n, t) => n + t.reads.length, 0),
    plainReads: h.plainReads.length,
    kvChanges: h.kvChanges.length,
    repeatableUnderChange: h.txs.filter((t) => t.kind !== 'rw' && changedBetweenRounds(t, committed)).length,
  };
  return { failures, stats };
}

/** Commits in the order `txlog.changes$` emitted their markers; checks that order is the commit timestamps' order. */
function commitOrder(h: SiHistory, fail: (m: string) => void): Committed[] {
  const byId = new Map(h.txs.map((t) => [t.id, t]));
  const out: Committed[] = [];
  for (const c of h.markerChanges) {
    const id = (c.newRow as { id: number } | null)?.id ?? NaN;
    const tx = byId.get(id);
    if (tx === undefined || tx.outcome !== 'committed') {
      fail(`changes$ emitted the commit of tx ${id} (${tx?.outcome ?? 'unknown'}) at ${c.commitTimestamp}`);
      continue;
    }
    const prev = out.at(-1);
    if (prev !== undefined && prev.commitTs >= c.commitTimestamp) {
      fail(`changes$ emitted tx ${id} (commit ${c.commitTimestamp}) after tx ${prev.tx.id} (commit ${prev.commitTs})`);
    }
    if (out.some((o) => o.tx.id === id)) fail(`changes$ emitted the marker of tx ${id} twice`);
    out.push({ tx, commitTs: c.commitTimestamp });
  }
  for (const tx of h.txs) {
    if (tx.outcome !== 'committed' || tx.kind !== 'rw') continue;
    if (!out.some((o) => o.tx === tx)) fail(`tx ${tx.id} committed but changes$ emitted no change of it`);
    else if (!tx.markerSeenAtEnd) fail(`tx ${tx.id}: its commit resolved before changes$ emitted its changes`);
  }
  return out.sort((a, b) => (a.commitTs < b.commitTs ? -1 : a.commitTs > b.commitTs ? 1 : 0));
}

function prefixStates(committed: readonly Committed[]): RowState[] {
  const states: RowState[] = [new Map()];
  for (const c of committed) states.push(overlay(states.at(-1)!, c.tx.writes));
  return states;
}

function countAtOrBefore(committed: readonly Committed[], ts: bigint): number {
  let lo = 0;
  let hi = committed.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (committed[mid]!.commitTs <= ts) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Rows a read returned (for provenance checks). */
function rowsOf(result: unknown): KvRow[] {
  if (Array.isArray(result)) return result.filter((r): r is KvRow => r !== null);
  return [];
}

function checkReads(
  h: SiHistory, stateAt: (ts: bigint) => RowState, writerOf: ReadonlyMap<number, TxRecord>,
  commitTsOf: ReadonlyMap<number, bigint>, fail: (m: string) => void,
): void {
  for (const tx of h.txs) {
    const snapshot = stateAt(tx.readTs);
    for (const r of tx.reads) {
      const expected = answer(overlay(snapshot, r.own), r.query);
      if (show(expected) !== show(r.result)) {
        fail(`tx ${tx.id} (${tx.kind}, snapshot ${tx.readTs}) ${JSON.stringify(r.query)} → ${show(r.result)}, model ${show(expected)}`);
      }
      for (const row of rowsOf(r.result)) {
        const w = writerOf.get(row.v);
        if (w === tx) continue;
        const ts = w === undefined ? undefined : commitTsOf.get(w.id);
        if (ts === undefined) fail(`tx ${tx.id} read ${show(row)} written by tx ${w?.id ?? '?'}, which did not commit (${w?.outcome ?? '?'})`);
        else if (ts > tx.readTs) fail(`tx ${tx.id} (snapshot ${tx.readTs}) read ${show(row)} of tx ${w!.id}, committed later at ${ts}`);
      }
    }
    const rounds = [tx.reads.filter((r) => r.round === 1), tx.reads.filter((r) => r.round === 2)];
    if (tx.kind !== 'rw' && rounds[1]!.length > 0) {
      rounds[0]!.forEach((r, i) => {
        const again = rounds[1]![i];
        if (again !== undefined && show(again.result) !== show(r.result)) {
          fail(`read-only tx ${tx.id}: ${JSON.stringify(r.query)} gave ${show(r.result)}, then ${show(again.result)}`);
        }
      });
    }
  }
}

/** A commit resolved before a transaction began is in its snapshot (timestamps chosen at begin: not 'ro-at'). */
function checkRealTime(h: SiHistory, committed: readonly Committed[], fail: (m: string) => void): void {
  for (const c of committed) {
    for (const tx of h.txs) {
      if (tx.kind !== 'ro-at' && tx.beginSeq > c.tx.endSeq && tx.readTs <= c.commitTs) {
        fail(`tx ${tx.id} began after tx ${c.tx.id}'s commit (${c.commitTs}) resolved, but its snapshot is ${tx.readTs}`);
      }
    }
  }
}

/** A plain read sees the commits resolved before its call and none whose commit began after it returned. */
function checkPlainReads(
  h: SiHistory, committed: readonly Committed[], states: readonly RowState[], writerOf: ReadonlyMap<number, TxRecord>,
  fail: (m: string) => void,
): void {
  for (const p of h.plainReads) {
    let lo = 0;
    let hi = committed.length;
    committed.forEach((c, i) => {
      if (c.tx.endSeq < p.startSeq) lo = Math.max(lo, i + 1);
      if (c.tx.fnReturnSeq > p.endSeq) hi = Math.min(hi, i);
    });
    let ok = false;
    for (let i = lo; i <= hi && !ok; i++) ok = show(answer(states[i]!, p.query)) === show(p.result);
    if (!ok) fail(`plain ${JSON.stringify(p.query)} → ${show(p.result)} matches no snapshot between commits ${lo} and ${hi}`);
    for (const row of rowsOf(p.result)) {
      if (writerOf.get(row.v)?.outcome !== 'committed') fail(`plain read saw ${show(row)} of an uncommitted tx`);
    }
  }
}

/**
 * First committer wins: committed writers of one key never overlap; every conflict met a live or newer writer. A key a
 * transaction inserted and deleted again (absent before and after) is not in its committed write set: such a delete
 * commits no version (DESIGN.md §6.1 "Tombstones that change nothing ... leave no version behind"), so nothing is
 * left to lose or to conflict with once it committed (while pending, its intent conflicts like any other).
 */
function checkWriters(
  h: SiHistory, committed: readonly Committed[], states: readonly RowState[], commitTsOf: ReadonlyMap<number, bigint>, fail: (m: string) => void,
): void {
  const changed = committed.map((c, i) => new Set([...c.tx.writes].filter(([k, row]) => row !== null || states[i]!.has(k)).map(([k]) => k)));
  for (let i = 0; i < committed.length; i++) {
    for (let j = i + 1; j < committed.length; j++) {
      const a = committed[i]!;
      const b = committed[j]!;
      const shared = [...changed[i]!].filter((k) => changed[j]!.has(k));
      if (shared.length > 0 && !(a.commitTs < b.tx.readTs || b.commitTs < a.tx.readTs)) {
        const span = (c: Committed): string => `tx ${c.tx.id} [${c.tx.readTs}, ${c.commitTs}]`;
        fail(`lost update: ${span(a)} and ${span(b)} overlap and both changed key(s) ${shared.join(',')}`);
      }
    }
  }
  for (const x of h.txs) {
    for (const c of x.conflicts) {
      const justified = h.txs.some((y) => {
        if (y === x) return false;
        const start = y.writeStart.get(c.key);
        if (start === undefined || start > c.endSeq) return false;
        const ts = commitTsOf.get(y.id);
        return y.endSeq > c.startSeq || y.endSeq === 0 || (ts !== undefined && ts > x.readTs);
      });
      if (!justified) fail(`tx ${x.id} (snapshot ${x.readTs}) got TX_CONFLICT writing key ${c.key} with no pending or newer writer of it`);
    }
  }
}

/** Each committed tx's `kv` changes: one per row whose net effect is a change, contiguous, in commit order. */
function checkChanges(h: SiHistory, committed: readonly Committed[], states: readonly RowState[], fail: (m: string) => void): void {
  const index = new Map(committed.map((c, i) => [c.commitTs, i]));
  const emitted = new Map<number, ChangeRecord[]>();
  let last = -1;
  for (const c of h.kvChanges) {
    const i = index.get(c.commitTimestamp);
    if (i === undefined) {
      fail(`kv change ${show(c.key['k'])} ${show(c.oldRow)} → ${show(c.newRow)} at ${c.commitTimestamp}: no committed tx has that timestamp`);
      continue;
    }
    if (i < last) fail(`kv changes out of commit order: tx ${committed[i]!.tx.id}'s after tx ${committed[last]!.tx.id}'s`);
    if (i !== last && emitted.has(i)) fail(`kv changes of tx ${committed[i]!.tx.id} are not contiguous`);
    last = Math.max(last, i);
    const list = emitted.get(i) ?? [];
    list.push(c);
    emitted.set(i, list);
  }
  committed.forEach((c, i) => {
    const expected: string[] = [];
    for (const [k, row] of c.tx.writes) {
      const old = states[i]!.get(k) ?? null;
      if (old !== null || row !== null) expected.push(`${k}: ${show(old)} → ${show(row)}`);
    }
    const got = (emitted.get(i) ?? []).map((ch) => `${String(ch.key['k'])}: ${show(ch.oldRow)} → ${show(ch.newRow)}`);
    if (show(got.sort()) !== show(expected.sort())) fail(`tx ${c.tx.id} changes$ ${JSON.stringify(got)}, model ${JSON.stringify(expected)}`);
  });
}

/** True when a commit resolved between the two rounds of a read-only tx and changed the table after its snapshot. */
function changedBetweenRounds(tx: TxRecord, committed: readonly Committed[]): boolean {
  const r1 = tx.reads.filter((r) => r.round === 1).at(-1);
  const r2 = tx.reads.find((r) => r.round === 2);
  if (r1 === undefined || r2 === undefined) return false;
  return committed.some((c) => c.tx.endSeq > r1.endSeq && c.tx.endSeq < r2.startSeq && c.tx.writes.size > 0 && c.commitTs > tx.readTs);
}
