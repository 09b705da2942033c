/**
 * A plain table write (`node.table(t).insert/upsert/replace/delete`, its own transaction) in one closure: the row is
 * checked and written as a committed version at once (`addWriteCommitted`), with no write intent, no transaction id
 * and no second closure — the closure is atomic, so nothing else can come between the check and the write. On a
 * durable table the closure runs with `runDurably`; until its record is durable the commit timestamp is in the
 * partition's `inflight` map, so readers that meet the version wait (a commit is seen only once durable). Another
 * transaction's pending intent on the row is a TX_CONFLICT (the caller retries); an intent with an outcome is resolved.
 */
import { MAX_VALUE } from '../../domain/storage/hybrid-timestamp';
import { RowId } from '../../domain/storage/row-id';
import type { BinaryRow } from '../../domain/storage/binary-row';
import { TransactionConflictError } from '../../domain/shared/errors';
import { rowObject } from '../../domain/table/table-values';
import type { TablePartition } from './open-table';
import { droppedKeyCount, putIndexEntries } from './index-maintenance';
import { copyBinaries, lookupRowId } from './tx-helpers';
import type { TxEngine } from './tx-engine';

export type Written = 'WRITTEN' | 'DUPLICATE' | 'ABSENT';

/** What the closure did, for the emission after it. */
interface Done {
  outcome: Written;
  commitTs: bigint;
  old: BinaryRow | null;
}

export function writeImplicitly(
  engine: TxEngine, part: TablePartition, key: readonly unknown[], values: readonly unknown[] | null, when: 'always' | 'absent' | 'present',
): Promise<Written> {
  const table = part.table;
  const done: Done = { outcome: 'WRITTEN', commitTs: 0n, old: null };
  let ticket: { done(emit: () => void): Promise<void> } | null = null;
  let durable: (() => void) | null = null;
  const closure = (): void => {
    const droppedBefore = droppedKeyCount();
    const found = lookupRowId(part, key);
    let r = found === null ? null : part.mv.read(found, MAX_VALUE);
    if (r !== null && r.isWriteIntent) {
      r = engine.clearIntent(part, r, (owner) => new TransactionConflictError(
        `Transaction conflict on table '${table.name}': the row holds the write intent of transaction ${owner}, which is still running; retry`,
        table.name), key);
    }
    const exists = r !== null && r.binaryRow !== null;
    if ((when === 'absent' && exists) || (when === 'present' && !exists)) {
      done.outcome = exists ? 'DUPLICATE' : 'ABSENT';
      return;
    }
    const rowId = found ?? RowId.timeOrdered(part.id);
    const isNew = found === null || (droppedKeyCount() !== droppedBefore && lookupRowId(part, key) === null);
    const commitTs = engine.clock.now();
    if (table.durable) part.inflight.set(commitTs, new Promise<void>((resolve) => (durable = resolve)));
    if (table.hasChangeSubscribers) ticket = engine.commitTicket(); // nobody to tell: no place in the emission order
    part.mv.addWriteCommitted(rowId, values === null ? null : table.encode(values), commitTs);
    if (isNew) part.pk.put({ key, rowId });
    if (values !== null) putIndexEntries(part, rowId, values);
    done.commitTs = commitTs;
    done.old = r?.binaryRow ?? null;
  };
  const finish = (): Promise<Written> => {
    if (ticket === null) return Promise.resolve(done.outcome);
    const emitted = ticket.done(() => emit(part, key, values, done));
    return emitted.then(() => done.outcome);
  };
  if (!table.durable) {
    try {
      part.mv.runConsistently(closure);
    } catch (e) {
      if (ticket !== null) void (ticket as { done(emit: () => void): Promise<void> }).done(() => undefined);
      return Promise.reject(e);
    }
    return finish();
  }
  return part.mv.runDurably(closure).then(
    () => {
      release(part, done, durable);
      return finish();
    },
    async (e: unknown) => {
      release(part, done, durable);
      if (ticket !== null) await (ticket as { done(emit: () => void): Promise<void> }).done(() => undefined);
      throw e;
    },
  );
}

function release(part: TablePartition, done: Done, durable: (() => void) | null): void {
  if (durable === null) return;
  part.inflight.delete(done.commitTs);
  durable();
}

function emit(part: TablePartition, key: readonly unknown[], values: readonly unknown[] | null, done: Done): void {
  const table = part.table;
  if (!table.hasChangeSubscribers || (done.old === null && values === null)) return;
  const schema = table.schema;
  const keyObject: Record<string, unknown> = {};
  const k = copyBinaries(key);
  schema.primaryKey.forEach((name, i) => {
    keyObject[name] = k[i];
  });
  table.emit({
    key: keyObject,
    oldRow: done.old === null ? null : rowObject(schema, table.decode(done.old)),
    newRow: values === null ? null : rowObject(schema, copyBinaries(values)),
    commitTimestamp: done.commitTs,
  });
}
