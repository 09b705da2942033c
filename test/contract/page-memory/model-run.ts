/**
 * PageMemory contract, model-based: a seeded random mix of allocate / free / write / read / pin / unpin / dropPages
 * against a Map of page images. Every read compares all `pageSize` bytes with the model; allocated and pinned
 * counts are compared after every step. The run alternates fill phases (until the memory is full —
 * OutOfMemoryError must change nothing — or a cap) and drain phases, so freed memory is reused many times over.
 */
import { expect } from 'vitest';
import { COMMON_HEADER_END, PAGE_TYPE_OFFSET } from '../../../src/domain/page/page-header.layout';
import { flagsOf, partitionIdOf } from '../../../src/domain/page/page-id';
import { PageView, type PageMemory } from '../../../src/domain/page-memory/page-memory.port';
import { AistorageError, IllegalPageAccessError, OutOfMemoryError } from '../../../src/domain/shared/errors';
import type { PageMemoryUnderTest } from '../page-memory-factory';
import type { SeededRandom } from '../support/seeded-random';
import { expectPage, freshImage } from './fixture';

interface ModelPage {
  readonly key: string;
  readonly group: number;
  readonly id: number;
  readonly image: Uint8Array;
}

interface Held {
  readonly page: ModelPage;
  readonly view: PageView;
}

const PARTITIONS = [0, 1, 0xffff];
const MAX_HELD = 4;
/** Fill phases stop here when the memory is unbounded; a bounded memory is filled until it refuses. */
const FILL_CAP = 200;

export class PageMemoryModelRun {
  readonly #m: PageMemory;
  readonly #live = new Map<string, ModelPage>();
  readonly #held: Held[] = [];
  #dead: Array<{ group: number; id: number }> = [];
  readonly #baseline: number;
  readonly #high: number;
  #filling = true;

  constructor(
    private readonly pm: PageMemoryUnderTest,
    private readonly rnd: SeededRandom,
    private readonly maxPages: number | undefined,
    private readonly positionalIds = false,
  ) {
    this.#m = pm.memory;
    this.#baseline = pm.allocatedPages();
    this.#high = maxPages === undefined ? FILL_CAP : Infinity; // a bounded memory drains after refusals
  }

  run(steps: number): void {
    let op = 'start';
    for (let i = 0; i < steps; i++) {
      try {
        op = this.#step();
        this.#checkCounts();
        if (i % 500 === 499) this.#verifyAll();
      } catch (e) {
        // The seed and step replay the failure (PAGE_MEMORY_CONTRACT_SEED, PAGE_MEMORY_CONTRACT_OPS).
        throw new Error(`step ${i} (last op ${op}, seed ${this.rnd.seed}): ${e instanceof Error ? e.message : String(e)}`, { cause: e });
      }
    }
    for (const h of this.#held.splice(0)) this.#unpin(h);
    this.#verifyAll();
    for (const p of [...this.#live.values()]) this.#free(p);
    this.#checkCounts();
    expect(this.pm.allocatedPages()).toBe(this.#baseline);
  }

  #step(): string {
    const live = [...this.#live.values()];
    if (this.#filling && live.length >= this.#high) this.#filling = false;
    if (!this.#filling && live.length <= 8) this.#filling = true;
    const r = this.rnd.int(100);
    const [allocW, freeW] = this.#filling ? [40, 10] : [10, 40];
    if (live.length === 0 || r < allocW) return this.#allocate();
    const page = this.rnd.pick(live);
    if (r < allocW + freeW) return this.#free(page);
    if (r < 75) return this.#write(page);
    if (r < 85) return this.#read(page);
    if (r < 90) return this.#pin(page);
    if (r < 94) return this.#unpinOne();
    if (r < 96) return this.#drop(page);
    return this.#probeDead();
  }

  #allocate(): string {
    const group = this.rnd.int(3);
    // Positional ids: one flag per partition, so that a drop of (partition, FLAG_DATA) is every page of it.
    const [partition, flags] = [this.rnd.pick(PARTITIONS), this.positionalIds ? 0 : this.rnd.int(2)];
    if (this.maxPages !== undefined && this.#live.size + this.#baseline >= this.maxPages) {
      expect(() => this.#m.allocatePage(group, partition, flags)).toThrow(OutOfMemoryError);
      if (this.rnd.chance(0.25)) this.#filling = false; // stay at the limit for a few refusals
      if (this.#live.size > 0) this.#read(this.rnd.pick([...this.#live.values()]));
      return 'allocate (out of memory)';
    }
    const id = this.#m.allocatePage(group, partition, flags);
    const key = `${group}:${id}`;
    expect(this.#live.has(key), `${key} is live already`).toBe(false);
    if (this.positionalIds) this.#dead = this.#dead.filter((d) => d.group !== group || d.id !== id); // its position is live again
    else expect(this.#dead.some((d) => d.group === group && d.id === id), `${key} was freed before`).toBe(false);
    const page = { key, group, id, image: freshImage(this.#m.pageSize, id) };
    this.#live.set(key, page);
    expectPage(this.#m, group, id, page.image);
    return 'allocate';
  }

  #free(page: ModelPage): string {
    if (this.#held.some((h) => h.page === page)) {
      expect(() => this.#m.freePage(page.group, page.id)).toThrow(AistorageError);
      return 'free (pinned: refused)';
    }
    this.#m.freePage(page.group, page.id);
    this.#live.delete(page.key);
    this.#dead.push({ group: page.group, id: page.id });
    if (this.#dead.length > 64) this.#dead.splice(0, this.rnd.int(32));
    return 'free';
  }

  /** Writes a random byte range (sometimes the header's type) through acquireWrite, or through a held write view. */
  #write(page: ModelPage): string {
    const heldWrite = this.#held.find((h) => h.page === page && h.view.writable);
    const v = heldWrite?.view ?? new PageView();
    if (heldWrite === undefined) this.#m.acquireWrite(page.group, page.id, v);
    const size = this.#m.pageSize;
    const from = COMMON_HEADER_END + this.rnd.int(size - COMMON_HEADER_END);
    const to = from + 1 + this.rnd.int(Math.min(size - from, 2048));
    const [base, stride] = [this.rnd.int(256), 1 + this.rnd.int(255)];
    for (let i = from; i < to; i++) {
      const b = (base + i * stride) & 0xff;
      v.buf[v.off + i] = b;
      page.image[i] = b;
    }
    if (this.rnd.chance(0.1)) {
      const type = this.rnd.int(0x10000);
      v.dv.setUint16(v.off + PAGE_TYPE_OFFSET, type, true);
      new DataView(page.image.buffer).setUint16(PAGE_TYPE_OFFSET, type, true);
    }
    if (heldWrite === undefined) this.#m.release(v);
    return heldWrite === undefined ? 'write' : 'write (held view)';
  }

  #read(page: ModelPage): string {
    expectPage(this.#m, page.group, page.id, page.image);
    return 'read';
  }

  #pin(page: ModelPage): string {
    if (this.#held.length >= MAX_HELD) return this.#unpinOne();
    const view = new PageView();
    if (this.rnd.chance(0.5)) this.#m.acquireWrite(page.group, page.id, view);
    else this.#m.acquireRead(page.group, page.id, view);
    this.#held.push({ page, view });
    return 'pin';
  }

  #unpinOne(): string {
    if (this.#held.length === 0) return 'unpin (none held)';
    const [h] = this.#held.splice(this.rnd.int(this.#held.length), 1);
    this.#unpin(h!);
    return 'unpin';
  }

  /** The held view still shows the page as the model has it (writes through other views included). */
  #unpin(h: Held): void {
    const bytes = h.view.buf.subarray(h.view.off, h.view.off + this.#m.pageSize);
    expect(Buffer.from(bytes).equals(h.page.image), `held view of ${h.page.key}`).toBe(true);
    this.#m.release(h.view);
    expect(() => this.#m.release(h.view)).toThrow(IllegalPageAccessError);
  }

  /** Drops every page of `page`'s owner (group, partition, flags), unless one of them is pinned. */
  #drop(page: ModelPage): string {
    const [partition, flags] = [partitionIdOf(page.id), flagsOf(page.id)];
    const owned = (p: ModelPage) => p.group === page.group && partitionIdOf(p.id) === partition && flagsOf(p.id) === flags;
    if (this.#held.some((h) => owned(h.page))) return 'drop (skipped: a page is pinned)';
    const gone = [...this.#live.values()].filter(owned);
    expect(this.#m.dropPages(page.group, partition, flags)).toBe(gone.length);
    for (const p of gone) {
      this.#live.delete(p.key);
      this.#dead.push({ group: p.group, id: p.id });
    }
    return `drop ${gone.length} pages`;
  }

  #probeDead(): string {
    if (this.#dead.length === 0) return 'probe (no dead page)';
    const d = this.rnd.pick(this.#dead);
    const v = new PageView();
    expect(() => this.#m.acquireRead(d.group, d.id, v)).toThrow(IllegalPageAccessError);
    expect(() => this.#m.freePage(d.group, d.id)).toThrow(IllegalPageAccessError);
    return 'probe a freed id';
  }

  #checkCounts(): void {
    expect(this.pm.allocatedPages(), 'allocated pages').toBe(this.#baseline + this.#live.size);
    expect(this.pm.pinnedPages(), 'pinned pages').toBe(new Set(this.#held.map((h) => h.page)).size);
  }

  #verifyAll(): void {
    for (const p of this.#live.values()) expectPage(this.#m, p.group, p.id, p.image);
    this.pm.checkInvariants?.();
  }
}
