/**
 * `recoverLog`: replays now every batch the delta log holds for tables that are not open, instead of when each
 * partition is next opened — what `aistorage recover` runs, so that a node after a crash with a long log starts its
 * application fast. Each such table is opened on the default profile's cache (the files do not depend on the
 * profile), each of its partitions the log names is created (its replay runs: `log.replayProgress` events, then
 * `log.recovered`), one checkpoint writes what they replayed, and the tables are closed and their pages dropped, so
 * that the application can open them on any profile afterwards.
 */
import type { DurableDeltaLog } from '../../../domain/ports/delta-log.port';
import type { MvTableStorage } from '../../../domain/storage/storage-engine.api';

export interface LogRecoveryResult {
  /** Tables and partitions replayed, the batches replayed into them, and the whole run (replay + checkpoint), ms. */
  readonly tables: number;
  readonly partitions: number;
  readonly batches: number;
  readonly millis: number;
}

/** What the run needs of the engine. */
export interface LogRecoveryHost {
  readonly log: DurableDeltaLog;
  isTableOpen(tableId: number): boolean;
  openTable(tableId: number, partitions: number): MvTableStorage;
  checkpoint(): Promise<void>;
  /**
   * The table is closed. After a checkpoint that wrote it (`written`) its pages and profile binding go; after a failure
   * they stay — dirty, for the next checkpoint: the log no longer hands those batches out in this node.
   */
  closeTable(table: MvTableStorage, tableId: number, written: boolean): Promise<void>;
}

export async function recoverLog(host: LogRecoveryHost): Promise<LogRecoveryResult> {
  const t0 = performance.now();
  const log = host.log;
  const before = log.metrics().replayedRecords;
  const opened: Array<{ table: MvTableStorage; tableId: number }> = [];
  let partitions = 0;
  let written = false;
  try {
    for (const tableId of log.recoveredTables()) {
      if (host.isTableOpen(tableId)) continue;
      const ids = log.recoveredPartitions(tableId);
      const table = host.openTable(tableId, Math.max(...ids) + 1);
      opened.push({ table, tableId });
      for (const p of ids) await table.createMvPartition(p);
      partitions += ids.length;
    }
    if (opened.length > 0) await host.checkpoint();
    written = true;
  } finally {
    for (const { table, tableId } of opened) await host.closeTable(table, tableId, written);
  }
  return { tables: opened.length, partitions, batches: log.metrics().replayedRecords - before, millis: performance.now() - t0 };
}
