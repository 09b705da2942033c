/**
 * The compactor's scheduling (compactor.ts) over a scripted store: it merges every partition down to one delta file,
 * `threads` partitions at a time; it waits for a running checkpoint unless a partition has PILE_UP delta files;
 * an I/O failure is counted and the next kick retries; stop() waits for the round that runs.
 */
import { describe, expect, it } from 'vitest';
import type { DurablePageStore } from '../../../../../src/domain/ports/page-store.port';
import type { CompactionFinishedEvent } from '../../../../../src/domain/checkpoint/checkpoint.events';
import { Compactor, PILE_UP } from '../../../../../src/application/engine/aipersist/compactor';

/** deltaCount per partition; each compactOldest takes one macrotask and merges 10 pages. */
class ScriptedStore {
  readonly deltas = new Map<number, number>();
  inFlight = 0;
  maxInFlight = 0;
  readonly calls: number[] = [];
  failNext: string | null = null;

  compactable(): Array<{ tableId: number; partitionId: number }> {
    return [...this.deltas].filter(([, n]) => n > 1).map(([p]) => ({ tableId: 1, partitionId: p }));
  }

  deltaCount(_t: number, p: number): number {
    return this.deltas.get(p) ?? 0;
  }

  async compactOldest(_t: number, p: number): Promise<number> {
    this.calls.push(p);
    this.maxInFlight = Math.max(this.maxInFlight, ++this.inFlight);
    await new Promise((r) => setImmediate(r));
    this.inFlight--;
    if (this.failNext !== null) {
      const code = this.failNext;
      this.failNext = null;
      throw Object.assign(new Error(`${code}: scripted`), { code });
    }
    this.deltas.set(p, this.deltas.get(p)! - 1);
    return 10;
  }
}

function setUp(threads: number): { store: ScriptedStore; compactor: Compactor; events: CompactionFinishedEvent[]; failures: unknown[]; checkpoint: { running: Promise<void> | null } } {
  const store = new ScriptedStore();
  const events: CompactionFinishedEvent[] = [];
  const failures: unknown[] = [];
  const checkpoint: { running: Promise<void> | null } = { running: null };
  const compactor = new Compactor({
    store: store as unknown as DurablePageStore,
    threads,
    runningCheckpoint: () => checkpoint.running,
    now: () => 0,
    finished: (e) => events.push(e),
    failed: (e) => failures.push(e),
  });
  return { store, compactor, events, failures, checkpoint };
}

describe('Compactor', () => {
  it('merges every partition down to one delta file, at most `threads` at a time, and reports one event per round', async () => {
    const { store, compactor, events } = setUp(2);
    for (let p = 0; p < 5; p++) store.deltas.set(p, 3);
    store.deltas.set(9, 1);
    compactor.kick();
    expect(compactor.busy).toBe(true);
    await compactor.idle();
    expect([...store.deltas.values()]).toEqual([1, 1, 1, 1, 1, 1]);
    expect(store.maxInFlight).toBe(2);
    expect(store.calls).not.toContain(9);
    expect(events).toEqual([{ type: 'compaction.finished', deltaFilesMerged: 10, pagesMerged: 100, millis: 0 }]);
  });

  it('waits for a running checkpoint, unless a partition has piled up delta files', async () => {
    const { store, compactor, checkpoint } = setUp(4);
    let finishCheckpoint!: () => void;
    checkpoint.running = new Promise<void>((r) => (finishCheckpoint = r));
    store.deltas.set(0, 2);
    store.deltas.set(1, PILE_UP + 1);
    compactor.kick();
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    // Partition 1 was merged down to PILE_UP − 1 delta files meanwhile; partition 0 (2 files) waits.
    expect(store.calls.filter((p) => p === 0)).toEqual([]);
    expect(store.deltas.get(1)).toBe(PILE_UP - 1);
    expect(compactor.busy).toBe(true);
    checkpoint.running = null;
    finishCheckpoint();
    await compactor.idle();
    expect(store.deltas.get(0)).toBe(1);
    expect(store.deltas.get(1)).toBe(1);
  });

  it('counts an I/O failure and retries on the next kick; a kick during a round runs another round', async () => {
    const { store, compactor, failures, events } = setUp(1);
    store.deltas.set(0, 3);
    store.failNext = 'ENOSPC';
    compactor.kick();
    await compactor.idle();
    expect(failures).toHaveLength(1);
    expect((failures[0] as { code: string }).code).toBe('ENOSPC');
    expect(store.deltas.get(0)).toBe(3);
    compactor.kick();
    store.deltas.set(1, 2);
    compactor.kick(); // while the round runs: partition 1 may be merged by this round or the next; either way it is
    await compactor.idle();
    expect(store.deltas.get(0)).toBe(1);
    expect(store.deltas.get(1)).toBe(1);
    expect(events.reduce((n, e) => n + e.deltaFilesMerged, 0)).toBe(3);
  });

  it('stop() waits for the round that runs, rethrows a failure that is not an I/O error, and ignores later kicks', async () => {
    const { store, compactor } = setUp(2);
    store.deltas.set(0, 2);
    compactor.kick();
    await compactor.stop();
    expect(store.deltas.get(0)).toBe(1);
    store.deltas.set(0, 2);
    compactor.kick();
    expect(compactor.busy).toBe(false);

    const broken = setUp(1);
    broken.store.deltas.set(0, 2);
    broken.store.compactOldest = () => Promise.reject(new TypeError('a bug'));
    broken.compactor.kick();
    await expect(broken.compactor.stop()).rejects.toThrow('a bug');
  });

  it('a round merges at most the files a partition had when its turn came: delta files added meanwhile wait for the next round', async () => {
    const { store, compactor, events } = setUp(1);
    store.deltas.set(0, 3);
    const compactOldest = store.compactOldest.bind(store);
    // Steady overload: every merge finds a new delta file committed meanwhile.
    store.compactOldest = async (t: number, p: number): Promise<number> => {
      const merged = await compactOldest(t, p);
      store.deltas.set(p, store.deltas.get(p)! + 1);
      return merged;
    };
    compactor.kick();
    await compactor.idle();
    expect(store.calls).toEqual([0, 0]); // 3 files: 2 merges, though 3 are there again
    expect(events).toEqual([{ type: 'compaction.finished', deltaFilesMerged: 2, pagesMerged: 20, millis: 0 }]);
  });
});
