/**
 * A transaction kept open across awaits and calls (a SQL session's START TRANSACTION … COMMIT, a streaming query):
 * `node.transaction` takes a function, so the handle runs one whose promise settles when COMMIT or ROLLBACK releases
 * it; ROLLBACK makes it throw a private marker, which rolls the transaction back. `retries: 0`: a conflict is the
 * caller's to see (on the failing statement, and again at COMMIT), never a silent re-run.
 */
import type { SqlHost } from '../sql-host';
import type { Transaction } from '../../api/table-handle';

const ROLLBACK: unique symbol = Symbol('rollback');

export interface TxHandle {
  readonly tx: Transaction;
  readonly readOnly: boolean;
  /** Commits (resolves once durable; TX_CONFLICT when the transaction was rolled back by a conflict). */
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

export async function openTransaction(node: SqlHost, readOnly: boolean): Promise<TxHandle> {
  let release!: (commit: boolean) => void;
  const decided = new Promise<boolean>((r) => {
    release = r;
  });
  let begun!: (tx: Transaction) => void;
  const started = new Promise<Transaction>((r) => {
    begun = r;
  });
  const done = node.transaction(async (tx) => {
    begun(tx);
    if (!(await decided)) throw ROLLBACK;
  }, { readOnly, retries: 0 });
  const ended = done.then(() => {
    throw new Error('SQL: the transaction ended before it began');
  });
  ended.catch(() => undefined);
  const tx = await Promise.race([started, ended]);
  let finished = false;
  return {
    tx, readOnly,
    async commit() {
      if (finished) return;
      finished = true;
      release(true);
      await done;
    },
    async rollback() {
      if (finished) return;
      finished = true;
      release(false);
      try {
        await done;
      } catch (e) {
        if (e !== ROLLBACK) throw e;
      }
    },
  };
}
