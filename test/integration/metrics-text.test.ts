/**
 * node.metricsText() on a real node with an aipersist table: after writes and a checkpoint its samples equal the
 * metrics() snapshot's values; `aistorage stats --prometheus` prints the same families for the work dir opened
 * read-only; the method follows metrics() after close.
 */
import { describe, expect, it } from 'vitest';
import { openNode } from '../../src/interfaces/api/open-node';
import { StorageClosedError, type StorageConfigInput, type StorageNode } from '../../src/interfaces/api/index';
import { RowId } from '../../src/domain/storage/row-id';
import { runCli } from '../support/run-cli';
import { useNodeScope } from '../support/node-scope';

const MiB = 1024 * 1024;
const config: StorageConfigInput = {
  ignite: { storage: { engines: { aipersist: { pageSizeBytes: 1024 } }, profiles: [{ engine: 'aipersist', name: 'p', sizeBytes: 10 * MiB }] } },
};

/** Sample lines by `name{labels}` (as written), with their values. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

const families = (text: string): string[] => text.split('\n').filter((l) => l.startsWith('# TYPE ')).sort();

describe('node.metricsText()', () => {
  const scope = useNodeScope();

  async function writtenNode(): Promise<{ node: StorageNode; path: string }> {
    const path = scope.dir();
    const n = scope.keep(await openNode({ workDir: path, config }));
    const table = n.engine('aipersist').createMvTable({ tableId: 3, partitions: 1, storageProfile: 'p' });
    const part = await table.createMvPartition(0);
    await part.runDurably(() => {
      for (let i = 0; i < 400; i++) part.addWriteCommitted(RowId.random(0), { schemaVersion: 1, bytes: new Uint8Array(200).fill(i) }, n.clock.now());
    });
    await n.checkpoint();
    return { node: n, path };
  }

  it('after writes and a checkpoint, its samples equal the metrics() snapshot', async () => {
    const { node: n } = await writtenNode();
    const m = n.metrics();
    const s = samples(n.metricsText());
    const d = m.aipersist!;
    const cache = d.caches.find((c) => c.profile === 'p')!;
    const region = m.regions.find((r) => r.profile === 'p')!;
    const last = d.checkpoints.last!;
    expect(d.checkpoints.count).toBeGreaterThanOrEqual(1);
    expect(d.deltaLog!.recordsAppended).toBeGreaterThanOrEqual(1);
    const expected: Record<string, number> = {
      'aistorage_checkpoints_total': d.checkpoints.count,
      'aistorage_checkpoint_written_pages_total': d.checkpoints.pagesWritten,
      'aistorage_checkpoint_written_bytes_total': d.checkpoints.bytesWritten,
      [`aistorage_checkpoint_last_number{reason="${last.reason}"}`]: last.checkpoint,
      'aistorage_checkpoint_last_written_pages{file="main"}': last.pagesToMain,
      'aistorage_log_appended_records_total': d.deltaLog!.recordsAppended,
      'aistorage_log_appended_bytes_total': d.deltaLog!.bytesAppended,
      'aistorage_log_syncs_total': d.deltaLog!.syncs,
      'aistorage_log_segments': d.deltaLog!.segments,
      'aistorage_cache_misses_total{profile="p"}': cache.misses,
      'aistorage_cache_loaded_pages{profile="p"}': cache.loadedPages,
      'aistorage_region_allocated_pages{profile="p",engine="aipersist"}': region.pages.allocated,
      'aistorage_region_dirty_pages{profile="p",engine="aipersist"}': region.pages.dirty,
      'aistorage_partition_estimated_rows{engine="aipersist",profile="p",table="3",partition="0"}': 400,
    };
    for (const [key, value] of Object.entries(expected)) expect(s.get(key), key).toBe(value);
    expect(s.get('aistorage_checkpoint_last_duration_seconds{phase="total"}')).toBeCloseTo(last.durations.total / 1000, 6);
    expect(s.get('aistorage_checkpoint_written_pages_total')).toBeGreaterThan(0);
  });

  it('`aistorage stats --prometheus -w DIR` prints the same families, for the work dir opened read-only', async () => {
    const { node: n, path } = await writtenNode();
    const live = n.metricsText();
    const cli = await runCli('stats', '--prometheus', '-w', path); // read-only: works while the node holds the dir
    expect(cli.err).toBe('');
    expect(cli.code).toBe(0);
    expect(families(cli.out)).toEqual(families(live));
    const s = samples(cli.out);
    expect(s.get('aistorage_disk_used_bytes')).toBeGreaterThan(0);
    expect(s.get('aistorage_log_segments')).toBeGreaterThanOrEqual(1);
    for (const [key, value] of s) expect(Number.isFinite(value), key).toBe(true);
  });

  it('throws StorageClosedError after close, like metrics()', async () => {
    const { node: n } = await writtenNode();
    await n.close();
    expect(() => n.metricsText()).toThrow(StorageClosedError);
  });
});
