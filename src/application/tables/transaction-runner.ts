/**
 * Runs a function as a transaction (DESIGN.md §9 "Transactions"): begins it, commits when the function resolves,
 * rolls back when it throws, and retries the whole function on TX_CONFLICT up to `retries` times after a short
 * randomized backoff. Read-only transactions read at `timestamp` (default now), which must not be below the low
 * watermark (TIMESTAMP_TOO_OLD).
 */
import { describeValue } from '../../domain/shared/describe-value';
import { InvalidArgumentError, TimestampTooOldError, TransactionConflictError } from '../../domain/shared/errors';
import { MAX_VALUE } from '../../domain/storage/hybrid-timestamp';
import type { Tx } from './tx';
import type { TxEngine } from './tx-engine';

export interface TransactionOptions {
  /** A read-only transaction: no writes, no conflicts. Default false. */
  readonly readOnly?: boolean;
  /** Read-only: the hybrid timestamp to read at (default now). */
  readonly timestamp?: bigint;
  /** Times the function is run again after a TX_CONFLICT (default 3). */
  readonly retries?: number;
}

const OPTION_KEYS = ['readOnly', 'timestamp', 'retries'];
/** Longest backoff before a retry, in ms (doubling from 1 ms, randomized). */
const MAX_BACKOFF_MILLIS = 50;

export class TransactionRunner {
  constructor(
    private readonly engine: TxEngine,
    private readonly lowWatermark: () => bigint,
  ) {}

  async run<T>(fn: (tx: Tx) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    const { readOnly, timestamp, retries } = checkOptions(options);
    for (let attempt = 0; ; attempt++) {
      const tx = this.begin(readOnly, timestamp);
      try {
        const result = await fn(tx);
        if (readOnly) this.engine.release(tx);
        else await this.engine.commit(tx);
        return result;
      } catch (e) {
        if (tx.status === 'ACTIVE') this.engine.rollback(tx);
        this.engine.release(tx);
        if (!(e instanceof TransactionConflictError) || attempt >= retries) throw e;
        await backoff(attempt);
      }
    }
  }

  /** Begins a transaction (TIMESTAMP_TOO_OLD for a read timestamp below the low watermark). */
  begin(readOnly: boolean, timestamp?: bigint): Tx {
    if (timestamp !== undefined) {
      const lwm = this.lowWatermark();
      if (timestamp < lwm) {
        throw new TimestampTooOldError(
          `Read timestamp ${timestamp} is below the low watermark ${lwm}: versions it needs may be garbage-collected; ` +
            'read at a later timestamp (data stay readable for dataAvailabilityTimeMillis)');
      }
    }
    return this.engine.begin(readOnly, timestamp);
  }
}

function checkOptions(options: TransactionOptions): { readOnly: boolean; timestamp: bigint | undefined; retries: number } {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new InvalidArgumentError(`transaction options must be an object { readOnly?, timestamp?, retries? }, got ${describeValue(options)}`);
  }
  const unknown = Object.keys(options).filter((k) => !OPTION_KEYS.includes(k));
  if (unknown.length > 0) throw new InvalidArgumentError(`transaction options: unknown key(s) ${unknown.join(', ')}; keys are ${OPTION_KEYS.join(', ')}`);
  const readOnly = options.readOnly ?? false;
  if (typeof readOnly !== 'boolean') throw new InvalidArgumentError(`transaction option readOnly must be true or false, got ${describeValue(readOnly)}`);
  const { timestamp } = options;
  if (timestamp !== undefined) {
    if (typeof timestamp !== 'bigint' || timestamp < 1n || timestamp > MAX_VALUE) {
      throw new InvalidArgumentError(`transaction option timestamp must be a hybrid timestamp (bigint), got ${describeValue(timestamp)}`);
    }
    if (!readOnly) throw new InvalidArgumentError('transaction option timestamp applies to read-only transactions: add readOnly: true');
  }
  const retries = options.retries ?? 3;
  if (typeof retries !== 'number' || !Number.isInteger(retries) || retries < 0 || retries > 100) {
    throw new InvalidArgumentError(`transaction option retries must be an integer in 0..100, got ${describeValue(retries)}`);
  }
  return { readOnly, timestamp, retries };
}

function backoff(attempt: number): Promise<void> {
  const ceiling = Math.min(MAX_BACKOFF_MILLIS, 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
}
