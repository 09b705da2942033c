/**
 * A randomized run of PageVersionChains against the list-of-versions model (test/support/mv-model.ts), with
 * optional out-of-memory injection: an operation that fails with OutOfMemoryError must leave the pages exactly as
 * before (the model does not apply it) — checked by comparing everything with the model and the invariants.
 */
import { expect } from 'vitest';
import { RowStore } from '../../../../src/domain/datapage/row-store';
import { BucketedFreeList } from '../../../../src/domain/freelist/bucketed-free-list';
import { PageVersionChains } from '../../../../src/domain/mvcc/page-version-chains';
import { parseTxId } from '../../../../src/domain/mvcc/tx-id-bytes';
import { MAX_HINT_REFS } from '../../../../src/domain/mvcc/row-version.layout';
import type { PageMemory, PageView } from '../../../../src/domain/page-memory/page-memory.port';
import { OutOfMemoryError } from '../../../../src/domain/shared/errors';
import type { BinaryRow } from '../../../../src/domain/storage/binary-row';
import { MAX_VALUE } from '../../../../src/domain/storage/hybrid-timestamp';
import type { ReadResult } from '../../../../src/domain/storage/results';
import { RowId } from '../../../../src/domain/storage/row-id';
import { MvModel } from '../../../support/mv-model';
import { SeededRandom } from '../../../contract/support/seeded-random';
import { rowPicture } from '../../../contract/support/rows';

/** Page memory whose allocations can be cut off (`allowance` pages more, then OutOfMemoryError). */
export class LimitedPageMemory implements PageMemory {
  allowance = Number.POSITIVE_INFINITY;
  constructor(readonly inner: PageMemory) {}
  get pageSize(): number {
    return this.inner.pageSize;
  }
  allocatePage(groupId: number, partitionId: number, flags: number): number {
    if (this.allowance <= 0) throw new OutOfMemoryError('test', 0, 0, 'allowance used up');
    this.allowance--;
    return this.inner.allocatePage(groupId, partitionId, flags);
  }
  freePage(groupId: number, pageId: number): void {
    this.inner.freePage(groupId, pageId);
  }
  dropPages(groupId: number, partitionId: number, flags: number): number {
    return this.inner.dropPages(groupId, partitionId, flags);
  }
  acquireRead(groupId: number, pageId: number, view: PageView): void {
    this.inner.acquireRead(groupId, pageId, view);
  }
  acquireWrite(groupId: number, pageId: number, view: PageView): void {
    this.inner.acquireWrite(groupId, pageId, view);
  }
  release(view: PageView): void {
    this.inner.release(view);
  }
}

export interface ChainsFixture {
  readonly memory: LimitedPageMemory;
  readonly freeList: BucketedFreeList;
  readonly chains: PageVersionChains;
}

export function newChains(inner: PageMemory, groupId: number, partitionId: number, maxReusePages = 8): ChainsFixture {
  const memory = new LimitedPageMemory(inner);
  const freeList = BucketedFreeList.create(memory, groupId, partitionId, { maxReusePages });
  return { memory, freeList, chains: PageVersionChains.create(memory, groupId, partitionId, freeList, new RowStore(memory, freeList)) };
}

const readPicture = (r: ReadResult) => ({ ...r, rowId: r.rowId.toString(), binaryRow: rowPicture(r.binaryRow) });

export class ChainsModelRun {
  readonly model = new MvModel();
  readonly #ids: RowId[];
  readonly #txs: string[];
  readonly #tx = new Uint8Array(16);
  #clock = 1000n;
  #rows = 0;
  oomCount = 0;
  /** Row hints held as index entries would (pinHint), with the anchor each one counts. */
  readonly #hints: Array<{ rowId: RowId; page: number; item: number }> = [];

  constructor(
    readonly fx: ChainsFixture,
    readonly rnd: SeededRandom,
    readonly partitionId: number,
    readonly pinned: () => number,
    readonly oomChance = 0,
  ) {
    const edges = [RowId.lowest(partitionId), RowId.highest(partitionId), new RowId(partitionId, 0n, 0n)];
    this.#ids = [...edges, ...Array.from({ length: 60 }, () => new RowId(partitionId, rnd.long(), rnd.long()))];
    this.#txs = Array.from({ length: 5 }, () => rnd.uuid());
  }

  run(operations: number): void {
    for (let i = 0; i < operations; i++) {
      this.fx.memory.allowance = this.rnd.chance(this.oomChance) ? this.rnd.int(3) : Number.POSITIVE_INFINITY;
      let failed = false;
      try {
        this.#step();
      } catch (e) {
        if (!(e instanceof OutOfMemoryError)) throw e;
        failed = true;
        this.oomCount++;
      }
      this.fx.memory.allowance = Number.POSITIVE_INFINITY;
      expect(this.pinned(), `pinned pages after operation ${i}`).toBe(0);
      if (failed || i % 50 === 49) this.verify(`after operation ${i}${failed ? ' (out of memory)' : ''}`);
    }
    this.verify('at the end');
  }

  verify(when: string): void {
    const { chains } = this.fx;
    const shape = chains.checkInvariants();
    for (const [anchor, refs] of shape.anchorRefs) {
      const held = this.#hints.filter((h) => `${h.page}:${h.item}` === anchor).length;
      expect(refs, `hint references of anchor ${anchor} ${when}`).toBe(held);
    }
    this.fx.freeList.checkInvariants();
    const ids = this.model.rowIds();
    expect(chains.chainCount, `chains ${when}`).toBe(ids.length);
    for (const id of ids) expect(chains.versions(id).map(readPicture), `versions of ${id} ${when}`).toEqual(this.model.versions(id).map(readPicture));
    for (const ts of [MAX_VALUE, this.#clock - BigInt(this.rnd.int(400))]) {
      expect(this.#scan(ts).map(readPicture), `scan @${ts} ${when}`).toEqual(this.model.scan(ts).map(readPicture));
    }
    expect(chains.peek(MAX_VALUE, 1e9).map((e) => `${e.rowId}@${e.timestamp}`), `GC queue ${when}`)
      .toEqual(this.model.gcQueue().map((e) => `${e.rowId}@${e.timestamp}`));
    expect(chains.estimatedSize, `estimatedSize ${when}`).toBe(this.model.estimatedSize());
    expect(chains.highest()?.toString() ?? null).toBe(this.model.highestRowId()?.toString() ?? null);
  }

  /**
   * Removes every version through the API (abort intents, delete rows, vacuum everything), then requires that no
   * data page holds anything: a version the chains lost track of (an orphan) would keep its page.
   */
  drain(): void {
    const { chains, freeList } = this.fx;
    for (const h of this.#hints.splice(0)) chains.unpinHint(h.page, h.item);
    for (const rowId of this.model.rowIds()) {
      const intent = this.model.versions(rowId).find((v) => v.isWriteIntent);
      if (intent !== undefined) {
        parseTxId(intent.transactionId!, this.#tx, 0);
        expect(chains.abortWrite(rowId, this.#tx).status).toBe('SUCCESS');
        this.model.abortWrite(rowId, intent.transactionId!);
      }
      const ts = (this.#clock += 10n);
      chains.addWriteCommitted(rowId, null, ts);
      this.model.addWriteCommitted(rowId, null, ts);
    }
    for (const entry of chains.peek(MAX_VALUE, 1e9)) {
      chains.vacuum(entry.rowId, entry.timestamp);
      this.model.vacuum(entry);
    }
    this.verify('after draining');
    expect(chains.chainCount).toBe(0);
    expect(freeList.pageCount - freeList.reusePageCount, 'data pages with content after draining').toBe(0);
  }

  #scan(ts: bigint): ReadResult[] {
    const out: ReadResult[] = [];
    const cursor = this.fx.chains.openCursor();
    while (cursor.next()) {
      const r = this.fx.chains.readItem(null, cursor.itemBuf, cursor.itemOff, ts, true);
      if (r !== null) out.push(r);
    }
    return out;
  }

  #row(tombstoneChance: number): BinaryRow | null {
    if (this.rnd.chance(tombstoneChance)) return null;
    const n = ++this.#rows;
    const size = this.rnd.chance(0.05) ? 900 + this.rnd.int(5000) : this.rnd.int(60);
    return { schemaVersion: n % 5, bytes: Uint8Array.from({ length: size }, (_, i) => (i * 7 + n) & 0xff) };
  }

  #txFor(rowId: RowId): string {
    const intent = this.model.versions(rowId).find((v) => v.isWriteIntent)?.transactionId ?? null;
    const tx = intent !== null && this.rnd.chance(0.8) ? intent : this.rnd.pick(this.#txs);
    parseTxId(tx, this.#tx, 0);
    return tx;
  }

  #same(actual: object, expected: object, what: string): void {
    expect(JSON.parse(JSON.stringify(actual, replacer)), what).toEqual(JSON.parse(JSON.stringify(expected, replacer)));
  }

  #step(): void {
    const { chains } = this.fx;
    const rowId = this.rnd.chance(0.6) ? this.#ids[this.rnd.int(8)]! : this.rnd.pick(this.#ids);
    const p = this.rnd.next();
    if (p < 0.3) {
      const row = this.#row(0.2);
      const tx = this.#txFor(rowId);
      const zone = this.rnd.int(4);
      const actual = chains.addWrite(rowId, row, this.#tx, zone, 3);
      this.#same(actual, this.model.addWrite(rowId, row, tx, zone, 3), `addWrite ${rowId}`);
    } else if (p < 0.5) {
      const tx = this.#txFor(rowId);
      const ts = (this.#clock += 10n);
      const actual = chains.commitWrite(rowId, ts, this.#tx, this.rnd.chance(0.5));
      this.#same(actual, this.model.commitWrite(rowId, ts, tx), `commitWrite ${rowId}`);
    } else if (p < 0.6) {
      const tx = this.#txFor(rowId);
      this.#same(chains.abortWrite(rowId, this.#tx), this.model.abortWrite(rowId, tx), `abortWrite ${rowId}`);
    } else if (p < 0.75) {
      const row = this.#row(0.3);
      const ts = (this.#clock += 10n);
      this.#same(chains.addWriteCommitted(rowId, row, ts), this.model.addWriteCommitted(rowId, row, ts), `addWriteCommitted ${rowId}`);
    } else if (p < 0.9) {
      const lw = this.rnd.chance(0.5) ? MAX_VALUE : this.#clock - BigInt(this.rnd.int(300));
      const entry = this.model.peek(lw, 1)[0] ?? { rowId, timestamp: this.#clock - 10n };
      this.#same({ row: chains.vacuum(entry.rowId, entry.timestamp) }, { row: this.model.vacuum(entry) }, `vacuum ${entry.rowId}@${entry.timestamp}`);
    } else if (p < 0.93) {
      const ts = this.rnd.chance(0.3) ? MAX_VALUE : this.#clock - BigInt(this.rnd.int(300));
      this.#same(readPicture(chains.read(rowId, ts)), readPicture(this.model.read(rowId, ts)), `read ${rowId}@${ts}`);
    } else {
      this.#hintStep(rowId);
    }
  }

  /** Pins a hint, drops one, or reads through one (a fresh RowId object carrying only the stored hint). */
  #hintStep(rowId: RowId): void {
    const { chains } = this.fx;
    const q = this.rnd.next();
    if (q < 0.4) {
      const live = this.model.versions(rowId).length > 0;
      const pinned = chains.pinHint(rowId);
      if (!live) expect(pinned, `pinHint of ${rowId} without a chain`).toBe(false);
      if (pinned) this.#hints.push({ rowId, page: chains.pinnedPage, item: chains.pinnedItem });
      else if (live) {
        const counted = this.#hints.filter((h) => h.page === chains.pinnedPage && h.item === chains.pinnedItem).length;
        expect(counted, 'a refused pin of a live chain means a saturated anchor').toBe(MAX_HINT_REFS);
      }
    } else if (q < 0.7 && this.#hints.length > 0) {
      const [h] = this.#hints.splice(this.rnd.int(this.#hints.length), 1);
      chains.unpinHint(h!.page, h!.item);
    } else if (this.#hints.length > 0) {
      const h = this.rnd.pick(this.#hints);
      const copy = RowId.fromWords(h.rowId.partitionId, h.rowId.w0, h.rowId.w1, h.rowId.w2, h.rowId.w3);
      chains.attachHint(copy, h.page, h.item);
      const ts = this.rnd.chance(0.3) ? MAX_VALUE : this.#clock - BigInt(this.rnd.int(300));
      this.#same(readPicture(chains.read(copy, ts)), readPicture(this.model.read(h.rowId, ts)), `hinted read ${h.rowId}@${ts}`);
    }
  }
}

function replacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return `${value}n`;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  if (value instanceof RowId) return value.toString();
  return value;
}
