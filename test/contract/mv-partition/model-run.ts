/**
 * One randomized run of the MV model contract: a seeded sequence of addWrite / commitWrite / abortWrite /
 * addWriteCommitted / vacuum over a few hundred RowIds (a hot subset gets most of the traffic so that chains grow
 * deep), applied to the engine and to MvModel, with reads at random timestamps, scans, scanVersions, the GC queue
 * and estimatedSize compared along the way.
 */
import { expect } from 'vitest';
import type { BinaryRow } from '../../../src/domain/storage/binary-row';
import { MAX_VALUE } from '../../../src/domain/storage/hybrid-timestamp';
import type { GcEntry, ReadResult } from '../../../src/domain/storage/results';
import { RowId } from '../../../src/domain/storage/row-id';
import { expectEqual } from '../../support/fast-expect';
import { MvModel } from '../../support/mv-model';
import { MV_PARTITION, type MvFixture } from '../support/mv-fixture';
import { bigRow, drain, row, rowPicture } from '../support/rows';
import type { SeededRandom } from '../support/seeded-random';

const ROW_COUNT = 240;
const HOT_COUNT = 16;

function readPicture(r: ReadResult): Record<string, unknown> {
  return {
    rowId: r.rowId.toString(), binaryRow: rowPicture(r.binaryRow), transactionId: r.transactionId, commitZoneId: r.commitZoneId,
    commitPartitionId: r.commitPartitionId, commitTimestamp: r.commitTimestamp, newestCommitTimestamp: r.newestCommitTimestamp,
    isWriteIntent: r.isWriteIntent, isEmpty: r.isEmpty,
  };
}

const gcPicture = (e: GcEntry): string => `${e.rowId}@${e.timestamp}`;

/** Results other than reads: rows become pictures, everything else stays. */
function resultPicture(r: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v !== null && typeof v === 'object' && 'bytes' in v ? rowPicture(v as BinaryRow) : v]));
}

export class ModelRun {
  readonly #model = new MvModel();
  readonly #rowIds: RowId[];
  readonly #stamps: bigint[] = [];
  readonly #recent: string[] = [];
  #rows = 0;
  #lastVacuumed: GcEntry | null = null;
  #txs: string[] = [];

  constructor(private readonly fx: MvFixture, private readonly rnd: SeededRandom, private readonly largeBytes: number) {
    const edges = [RowId.lowest(MV_PARTITION), RowId.highest(MV_PARTITION), new RowId(MV_PARTITION, 0n, 0n), new RowId(MV_PARTITION, -1n, -1n)];
    this.#rowIds = [...edges, ...Array.from({ length: ROW_COUNT - edges.length }, () => new RowId(MV_PARTITION, rnd.long(), rnd.long()))];
    this.#txs = Array.from({ length: 8 }, () => rnd.uuid());
  }

  run(operations: number): void {
    for (let i = 0; i < operations; i++) {
      const what = this.#step();
      this.#recent.push(`#${i} ${what}`);
      if (this.#recent.length > 12) this.#recent.shift();
      if (i % 97 === 96) this.#checkAll(`after operation ${i}`);
    }
    this.#checkAll('at the end');
  }

  #context(): string {
    return `seed ${this.rnd.seed}; last operations:\n  ${this.#recent.join('\n  ')}`;
  }

  #step(): string {
    const p = this.rnd.next();
    if (p < 0.28) return this.#addWrite();
    if (p < 0.48) return this.#commit();
    if (p < 0.56) return this.#abort();
    if (p < 0.70) return this.#addWriteCommitted();
    if (p < 0.82) return this.#vacuum();
    return this.#checkRead();
  }

  #rowId(): RowId {
    return this.rnd.chance(0.7) ? this.#rowIds[this.rnd.int(HOT_COUNT)]! : this.rnd.pick(this.#rowIds);
  }

  #newRow(tombstoneChance: number): BinaryRow | null {
    if (this.rnd.chance(tombstoneChance)) return null;
    const n = ++this.#rows;
    if (this.rnd.chance(0.005)) return bigRow(this.largeBytes + this.rnd.int(100), n);
    if (this.rnd.chance(0.03)) return bigRow(1 + this.rnd.int(6000), n, 2);
    return row(`s${this.rnd.seed}-r${n}`, 1 + this.rnd.int(3));
  }

  #now(): bigint {
    const ts = this.fx.clock.now();
    this.#stamps.push(ts);
    return ts;
  }

  /** A past commit timestamp (or just around one), a fresh one, or MAX. */
  #someTimestamp(): bigint {
    if (this.#stamps.length === 0 || this.rnd.chance(0.15)) return this.rnd.chance(0.5) ? MAX_VALUE : this.fx.clock.now();
    return this.rnd.pick(this.#stamps) + BigInt(this.rnd.int(3) - 1);
  }

  /** The intent's transaction most of the time, otherwise another one. */
  #txFor(rowId: RowId): string {
    const intentTx = this.#model.versions(rowId).find((v) => v.isWriteIntent)?.transactionId ?? null;
    return intentTx !== null && this.rnd.chance(0.8) ? intentTx : this.rnd.pick(this.#txs);
  }

  #same(actual: object, expected: object, what: string): void {
    expectEqual(resultPicture(actual), resultPicture(expected), () => `${what}\n${this.#context()}`);
  }

  #addWrite(): string {
    const rowId = this.#rowId();
    const r = this.#newRow(0.2);
    const tx = this.rnd.chance(0.3) ? this.rnd.uuid() : this.#txFor(rowId);
    const zone = this.rnd.int(5);
    const actual = this.fx.storage.runConsistently((l) => (l.lock(rowId), this.fx.storage.addWrite(rowId, r, tx, zone, MV_PARTITION)));
    this.#same(actual, this.#model.addWrite(rowId, r, tx, zone, MV_PARTITION), `addWrite ${rowId}`);
    return `addWrite ${rowId} ${r === null ? 'tombstone' : `${r.bytes.length}B`} tx ${tx}`;
  }

  #commit(): string {
    const rowId = this.#rowId();
    const tx = this.#txFor(rowId);
    const ts = this.#now();
    this.#same(this.fx.ops.commit(rowId, ts, tx), this.#model.commitWrite(rowId, ts, tx), `commitWrite ${rowId}`);
    return `commitWrite ${rowId} @${ts} tx ${tx}`;
  }

  #abort(): string {
    const rowId = this.#rowId();
    const tx = this.#txFor(rowId);
    this.#same(this.fx.ops.abort(rowId, tx), this.#model.abortWrite(rowId, tx), `abortWrite ${rowId}`);
    return `abortWrite ${rowId} tx ${tx}`;
  }

  #addWriteCommitted(): string {
    const rowId = this.#rowId();
    const r = this.#newRow(0.25);
    const ts = this.#now();
    this.#same(this.fx.ops.addWriteCommitted(rowId, r, ts), this.#model.addWriteCommitted(rowId, r, ts), `addWriteCommitted ${rowId}`);
    return `addWriteCommitted ${rowId} ${r === null ? 'tombstone' : `${r.bytes.length}B`} @${ts}`;
  }

  #vacuum(): string {
    const lw = this.rnd.chance(0.4) ? MAX_VALUE : this.#someTimestamp();
    const count = 1 + this.rnd.int(4);
    const peeked = this.fx.storage.peek(lw, count);
    expectEqual(peeked.map(gcPicture), this.#model.peek(lw, count).map(gcPicture), () => `peek(${lw}, ${count})\n${this.#context()}`);
    const stale = this.#lastVacuumed !== null && this.rnd.chance(0.1);
    const entry = stale ? this.#lastVacuumed : peeked[0];
    if (entry === undefined || entry === null) return `peek(${lw}, ${count}): nothing`;
    const actual = this.fx.storage.runConsistently((l) => (l.lock(entry.rowId), this.fx.storage.vacuum(entry)));
    expectEqual(rowPicture(actual), rowPicture(this.#model.vacuum(entry)), () => `vacuum ${gcPicture(entry)}\n${this.#context()}`);
    this.#lastVacuumed = entry;
    return `vacuum ${gcPicture(entry)}${stale ? ' (again)' : ''}`;
  }

  #checkRead(): string {
    const rowId = this.#rowId();
    const ts = this.#someTimestamp();
    expectEqual(readPicture(this.fx.storage.read(rowId, ts)), readPicture(this.#model.read(rowId, ts)), () => `read ${rowId} @${ts}\n${this.#context()}`);
    return `read ${rowId} @${ts}`;
  }

  #checkAll(when: string): void {
    const what = `${when}\n${this.#context()}`;
    for (const ts of [this.#someTimestamp(), this.#someTimestamp(), MAX_VALUE]) {
      expectEqual(drain(this.fx.storage.scan(ts)).map(readPicture), this.#model.scan(ts).map(readPicture), `scan @${ts} ${what}`);
    }
    for (const rowId of [...this.#model.rowIds(), this.rnd.pick(this.#rowIds)]) {
      expectEqual(this.fx.ops.versions(rowId).map(readPicture), this.#model.versions(rowId).map(readPicture), () => `scanVersions ${rowId} ${what}`);
    }
    expect(this.fx.storage.estimatedSize(), `estimatedSize ${what}`).toBe(this.#model.estimatedSize());
    expect(this.fx.storage.highestRowId()?.toString() ?? null, `highestRowId ${what}`).toBe(this.#model.highestRowId()?.toString() ?? null);
    const bound = this.rnd.pick(this.#rowIds);
    expect(this.fx.storage.closestRowId(bound)?.toString() ?? null, `closestRowId(${bound}) ${what}`)
      .toBe(this.#model.closestRowId(bound)?.toString() ?? null);
    expect(this.fx.storage.peek(MAX_VALUE, 1_000_000).map(gcPicture), `GC queue ${what}`).toEqual(this.#model.gcQueue().map(gcPicture));
  }
}
