/**
 * `aistorage recover`: replays what the write-ahead delta log holds into every table now (node.recoverLog()), with a
 * progress bar fed by the engine's `log.replayProgress` events, then prints what it did.
 */
import type { StorageNode } from '../api/storage-node';
import type { CliIo } from './cli-io';
import { human, ProgressBar } from './progress-bar';

export async function recoverCommand(node: StorageNode, io: CliIo, json: boolean): Promise<void> {
  const recovered = node.metrics().aipersist?.deltaLog?.recoveredRecords ?? 0;
  const bar = io.progress === undefined ? null : new ProgressBar(io.progress, 'batches');
  const sub = node.events$.subscribe((e) => {
    if (e.type === 'log.replayProgress') bar?.update(e.replayed, e.recovered, e.millis);
  });
  let result;
  try {
    result = await node.recoverLog();
  } finally {
    sub.unsubscribe();
  }
  if (bar !== null && result.batches > 0) {
    bar.update(recovered, recovered, result.millis);
    bar.finish();
  }
  if (json) {
    io.out(JSON.stringify({ ...result, recoveredAtOpen: recovered }, null, 2));
    return;
  }
  if (result.batches === 0) {
    io.out(recovered === 0 ? 'nothing to recover: the delta log holds no batches after the last checkpoint' : 'nothing to recover: every table is up to date');
    return;
  }
  const rate = result.millis > 0 ? result.batches / (result.millis / 1000) : 0;
  io.out(
    `replayed ${result.batches.toLocaleString('en-US')} batches into ${result.partitions} partition(s) of ${result.tables} table(s) ` +
      `in ${(result.millis / 1000).toFixed(2)} s (${human(rate)} batches/s), checkpoint written`,
  );
}
