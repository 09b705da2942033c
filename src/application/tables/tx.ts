/**
 * A transaction's state inside the node: its read timestamp, status, write set (one entry per row it wrote, with the
 * committed row it replaced, for `changes$`), and the promise readers wait on while its commit is under way.
 */
import type { RowId } from '../../domain/storage/row-id';
import type { BinaryRow } from '../../domain/storage/binary-row';
import type { TransactionConflictError } from '../../domain/shared/errors';
import type { TablePartition } from './open-table';

export type TxStatus = 'ACTIVE' | 'COMMITTING' | 'COMMITTED' | 'ABORTED';

/** One row a transaction wrote. */
export interface TxWrite {
  readonly part: TablePartition;
  readonly rowId: RowId;
  /** The primary key (copied when a later write may need it after the caller could have changed its arrays). */
  key: readonly unknown[];
  /** The newest committed row when the transaction first wrote it (null: none); decoded only for changes$. */
  readonly oldRow: BinaryRow | null;
  /** The values the transaction's intent holds now (null: deleted). VARBINARY values may be the caller's arrays. */
  newValues: readonly unknown[] | null;
}

export class Tx {
  status: TxStatus = 'ACTIVE';
  commitTs: bigint | null = null;
  /** Set when a conflict rolled the transaction back: every later call throws it. */
  conflict: TransactionConflictError | null = null;
  /** Rows written, by partition (each row once, in first-write order). Shared empty map until the first write. */
  writes: Map<TablePartition, TxWrite[]> = NO_WRITES;
  /** The same rows by a hash of their RowId words (a bucket holds one write, or several on a collision). */
  #byRow: Map<number, TxWrite | TxWrite[]> | null = null;
  /** The partition of the first write: the commit partition recorded in the intents. */
  commitPartition: TablePartition | null = null;
  #settled: Promise<void> | null = null;
  #settle: (() => void) | null = null;

  constructor(
    readonly id: string,
    /** Reads see what was committed at or before it (plus, read-write, the transaction's own writes). */
    readonly readTs: bigint,
    readonly readOnly: boolean,
  ) {}

  /** Resolves when a COMMITTING transaction reached its outcome (at once otherwise). */
  settled(): Promise<void> {
    if (this.status !== 'COMMITTING') return Promise.resolve();
    this.#settled ??= new Promise<void>((resolve) => {
      this.#settle = resolve;
    });
    return this.#settled;
  }

  /** Moves to COMMITTED or ABORTED and wakes readers waiting for the outcome. */
  finish(status: 'COMMITTED' | 'ABORTED'): void {
    this.status = status;
    this.#settle?.();
  }

  /** The write of `rowId` (of a partition of `part`'s table) made before, if any. */
  write(part: TablePartition, rowId: RowId): TxWrite | undefined {
    const found = this.#byRow?.get(rowHash(part, rowId));
    if (found === undefined) return undefined;
    if (!Array.isArray(found)) return found.part === part && found.rowId.equals(rowId) ? found : undefined;
    return found.find((w) => w.part === part && w.rowId.equals(rowId));
  }

  record(part: TablePartition, write: TxWrite): void {
    if (this.#byRow === null) {
      this.#byRow = new Map();
      this.writes = new Map();
    }
    let rows = this.writes.get(part);
    if (rows === undefined) {
      rows = [];
      this.writes.set(part, rows);
    }
    rows.push(write);
    const h = rowHash(part, write.rowId);
    const byRow = this.#byRow;
    const bucket = byRow.get(h);
    if (bucket === undefined) byRow.set(h, write);
    else if (Array.isArray(bucket)) bucket.push(write);
    else byRow.set(h, [bucket, write]);
    this.commitPartition ??= part;
  }

  get hasDurableWrites(): boolean {
    for (const part of this.writes.keys()) if (part.table.durable) return true;
    return false;
  }
}

const NO_WRITES: Map<TablePartition, TxWrite[]> = new Map();

function rowHash(part: TablePartition, rowId: RowId): number {
  return (rowId.w0 ^ rowId.w1 ^ rowId.w2 ^ rowId.w3 ^ (part.id * 0x9e3779b1)) | 0;
}

/**
 * Emits committed changes in commit order: each commit takes a ticket when it takes its commit timestamp, and its
 * changes go out once it and every earlier ticket are done (a later commit whose fsync finished first waits).
 */
export class CommitOrder {
  readonly #queue: { done: boolean; emit: () => void; release: () => void }[] = [];

  /** A ticket for the commit that just took its timestamp; `done(emit)` when it is durable (or aborted: emit nothing). */
  ticket(): { done(emit: () => void): Promise<void> } {
    let release!: () => void;
    const released = new Promise<void>((r) => {
      release = r;
    });
    const slot = { done: false, emit: () => undefined as void, release };
    this.#queue.push(slot);
    return {
      done: (emit) => {
        slot.done = true;
        slot.emit = emit;
        this.#drain();
        return released;
      },
    };
  }

  #drain(): void {
    while (this.#queue.length > 0 && this.#queue[0]!.done) {
      const slot = this.#queue.shift()!;
      try {
        slot.emit();
      } finally {
        slot.release();
      }
    }
  }
}

/**
 * The node's close as the transaction engine sees it: once closed, transactions are refused; commits that began before
 * are counted, so that close() can wait for them (they need the partitions and the state store still open).
 */
export class CloseGate {
  #closed = false;
  #running = 0;
  #drained: (() => void) | null = null;

  get closed(): boolean {
    return this.#closed;
  }

  /** A commit begins (always paired with leave()). */
  enter(): void {
    this.#running++;
  }

  leave(): void {
    if (--this.#running === 0) this.#drained?.();
  }

  /** Closes the gate; resolves once no commit is under way. */
  close(): Promise<void> {
    this.#closed = true;
    if (this.#running === 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.#drained = resolve;
    });
  }
}
