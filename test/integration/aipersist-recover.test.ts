/**
 * `node.recoverLog()` and `aistorage recover`: after a crash (here: a copy of a work dir taken while its node had
 * acknowledged every batch through the log and written no checkpoint — what a SIGKILL leaves), the log's batches are
 * replayed into every table at once with progress (events, and the CLI's progress lines), a checkpoint follows, and
 * the application then opens its tables — on any profile — with nothing left to replay and every row there.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { openNode, RowId, type StorageConfigInput, type StorageNode } from '../../src/interfaces/api/index';
import { main } from '../../src/interfaces/cli/main';
import { LOCK_FILE_NAME } from '../../src/infrastructure/workdir/file-work-dir-lock';
import { tempDir } from '../support/temp-dir';

const MiB = 1024 * 1024;
const PK = { id: 1, primary: true, columns: [{ name: 'k', type: 'INT64', nullable: false, asc: true }] } as const;
const TABLES = [1, 2];
const PARTITIONS = 3;
const BATCHES = 30_000;

const config: StorageConfigInput = {
  ignite: {
    storage: {
      engines: { aipersist: { checkpoint: { intervalMillis: 0 }, deltaLog: { syncMode: 'fsync' } } },
      profiles: [{ engine: 'aipersist', name: 'p', sizeBytes: 64 * MiB }],
    },
  },
};

const valueOf = (k: number): Uint8Array => new Uint8Array(32).fill(k % 251);

/** Writes BATCHES one-row closures round robin over every partition, the last one awaited durably; returns the copy's path. */
async function crashedCopy(src: string, dst: string): Promise<void> {
  const node = await openNode({ workDir: src, config });
  try {
    const parts = [];
    for (const t of TABLES) {
      const table = node.engine('aipersist').createMvTable({ tableId: t, partitions: PARTITIONS, storageProfile: 'p' });
      for (let p = 0; p < PARTITIONS; p++) parts.push({ id: p, mv: await table.createMvPartition(p), pk: table.createSortedIndex(p, PK) });
    }
    const ts = node.clock.now();
    for (let k = 0; k < BATCHES; k++) {
      const { id, mv, pk } = parts[k % parts.length]!;
      const write = (): void => {
        const rowId = RowId.random(id);
        mv.addWriteCommitted(rowId, { schemaVersion: 1, bytes: valueOf(k) }, ts);
        pk.put({ key: [BigInt(k)], rowId });
      };
      if (k === BATCHES - 1) await mv.runDurably(write);
      else mv.runConsistently(write);
    }
    expect(node.metrics().aipersist!.checkpoints.count, 'no checkpoint covers the batches').toBe(0);
    cpSync(src, dst, { recursive: true });
    rmSync(join(dst, LOCK_FILE_NAME), { force: true }); // the copy's "dead" holder
  } finally {
    await node.close();
  }
}

describe('recovering the delta log ahead of the application', () => {
  const dirs: Array<{ path: string; cleanup(): void }> = [];
  const nodes: StorageNode[] = [];
  afterEach(async () => {
    for (const n of nodes.splice(0)) await n.close().catch(() => undefined);
    for (const d of dirs.splice(0)) d.cleanup();
  });
  const dir = (): string => {
    const d = tempDir('aistorage-recover-');
    dirs.push(d);
    return d.path;
  };

  it('aistorage recover replays every table with progress lines and a checkpoint; the application then replays nothing', async () => {
    const work = dir();
    await crashedCopy(dir(), work);
    const out: string[] = [];
    const err: string[] = [];
    const progress: string[] = [];
    const code = await main(['node', 'aistorage', 'recover', '-w', work], {
      out: (l) => void out.push(l), err: (l) => void err.push(l), progress: { tty: false, write: (t) => void progress.push(t) },
    });
    expect(err).toEqual([]);
    expect(code).toBe(0);
    const m = /^replayed ([\d,]+) batches into 6 partition\(s\) of 2 table\(s\) in [\d.]+ s \([\d.]+k? batches\/s\), checkpoint written$/.exec(out.join('\n'));
    expect(m, out.join('\n')).not.toBeNull();
    expect(Number(m![1]!.replace(/,/g, ''))).toBeGreaterThanOrEqual(BATCHES);
    // Progress: a line at each further tenth, percentages rising to 100%.
    expect(progress.length).toBeGreaterThanOrEqual(4);
    const pcts = progress.map((l) => Number(/\]\s+(\d+)%/.exec(l)![1]));
    for (let i = 1; i < pcts.length; i++) expect(pcts[i]).toBeGreaterThan(pcts[i - 1]!);
    expect(pcts[pcts.length - 1]).toBe(100);

    // Nothing left: a second run says so.
    const again: string[] = [];
    expect(await main(['node', 'aistorage', 'recover', '-w', work], { out: (l) => void again.push(l), err: () => undefined })).toBe(0);
    expect(again.join('\n')).toMatch(/^nothing to recover/);

    // The application opens its tables on its own profile: nothing replayed, every row and index entry there.
    const node = await openNode({ workDir: work });
    nodes.push(node);
    let rows = 0;
    for (const t of TABLES) {
      const table = node.engine('aipersist').createMvTable({ tableId: t, partitions: PARTITIONS, storageProfile: 'p' });
      for (let p = 0; p < PARTITIONS; p++) {
        const mv = await table.createMvPartition(p);
        const pk = table.createSortedIndex(p, PK);
        rows += mv.estimatedSize();
        for (let k = p + PARTITIONS * (t - 1); k < BATCHES; k += 17 * TABLES.length * PARTITIONS) {
          const ids = [...pk.get([BigInt(k)])];
          expect(ids.length, `key ${k}`).toBe(1);
          expect(mv.read(ids[0]!, node.clock.now()).binaryRow?.bytes).toEqual(valueOf(k));
        }
      }
    }
    expect(rows).toBe(BATCHES);
    expect(node.metrics().aipersist!.deltaLog!.replayedRecords).toBe(0);
  });

  it('node.recoverLog() emits log.replayProgress and log.recovered, and skips tables the application has open', async () => {
    const work = dir();
    await crashedCopy(dir(), work);
    const node = await openNode({ workDir: work });
    nodes.push(node);
    const seen: string[] = [];
    let lastReplayed = 0;
    node.events$.subscribe((e) => {
      if (e.type === 'log.replayProgress') {
        expect(e.replayed).toBeGreaterThan(lastReplayed);
        expect(e.recovered).toBe(node.metrics().aipersist!.deltaLog!.recoveredRecords);
        lastReplayed = e.replayed;
      }
      if (e.type === 'log.recovered' || e.type === 'log.replayProgress') seen.push(`${e.type} ${e.tableId}`);
    });
    // Table 1 is the application's: opened (and its partition 0 replayed) before the run; the run leaves it alone.
    const app = node.engine('aipersist').createMvTable({ tableId: 1, partitions: PARTITIONS, storageProfile: 'p' });
    await app.createMvPartition(0);
    const r = await node.recoverLog();
    expect(r.tables).toBe(1);
    expect(r.partitions).toBe(PARTITIONS);
    expect(r.batches).toBeGreaterThanOrEqual(BATCHES / 2);
    expect(seen.filter((s) => s === 'log.recovered 2')).toHaveLength(PARTITIONS);
    expect(seen.some((s) => s.startsWith('log.replayProgress'))).toBe(true);
    // Table 1's other partitions still replay when the application opens them.
    const before = node.metrics().aipersist!.deltaLog!.replayedRecords;
    await app.createMvPartition(1);
    expect(node.metrics().aipersist!.deltaLog!.replayedRecords - before).toBeGreaterThanOrEqual(BATCHES / 6 - 1);
  });
});
