/**
 * What the page-based engines (aimem, aipersist) report the same way about their open tables and regions: the
 * tables using a profile, their metrics, and their regions' stats.
 */
import type { Region } from '../../domain/region/region';
import type { RegionStats } from '../../domain/region/data-region.events';
import type { EngineName } from '../../domain/storage/storage-engine.api';
import type { PageMvTableStorage } from './mv/page-mv-table-storage';
import type { TableMetrics } from './node-metrics';

/** Ids of the open tables whose storage profile is `profileName`. */
export function tablesUsing(tables: ReadonlyMap<number, PageMvTableStorage>, profileOf: (t: PageMvTableStorage) => string | undefined, profileName: string): number[] {
  const ids: number[] = [];
  for (const [id, table] of tables) if (table.isOpen && profileOf(table) === profileName) ids.push(id);
  return ids;
}

/** Every open table with its partitions' estimated rows (null while a partition is rebalanced or cleared). */
export function tableMetricsOf(
  engine: EngineName, tables: ReadonlyMap<number, PageMvTableStorage>, profileOf: (t: PageMvTableStorage) => string | undefined,
  diskBytes: ReadonlyMap<number, number> | null = null,
): TableMetrics[] {
  const out: TableMetrics[] = [];
  for (const [tableId, table] of tables) {
    if (!table.isOpen) continue;
    const partitions = table.existingSlots().map((slot) => ({
      partitionId: slot.ctx.partitionId,
      estimatedRows: slot.lifecycle.state === 'RUNNABLE' ? slot.mv.estimatedSize() : null,
    }));
    out.push({ tableId, engine, profile: profileOf(table) ?? '', partitions, diskBytes: diskBytes === null ? null : diskBytes.get(tableId) ?? 0 });
  }
  return out;
}

export function regionStatsOf(regions: ReadonlyMap<string, Region>): ReadonlyMap<string, RegionStats> {
  const out = new Map<string, RegionStats>();
  for (const [name, region] of regions) out.set(name, region.stats());
  return out;
}
