/**
 * Argument checks of the page-based MV partition storage (bad input is an InvalidArgumentError, DESIGN.md §8;
 * the same rules as the reference engine's). Allocation-free on success; messages are built only when throwing.
 */
import { parseTxId } from '../../../domain/mvcc/tx-id-bytes';
import { describeValue } from '../../../domain/shared/describe-value';
import { InvalidArgumentError } from '../../../domain/shared/errors';
import type { BinaryRow } from '../../../domain/storage/binary-row';
import { MAX_VALUE, MIN_VALUE } from '../../../domain/storage/hybrid-timestamp';
import { RowId } from '../../../domain/storage/row-id';

const INT32_MIN = -0x8000_0000;
const INT32_MAX = 0x7fff_ffff;

export function checkTimestamp(ts: bigint): bigint {
  if (typeof ts !== 'bigint' || ts < MIN_VALUE || ts > MAX_VALUE) {
    throw new InvalidArgumentError(`A hybrid timestamp must be a bigint in [${MIN_VALUE}, ${MAX_VALUE}], got ${describeValue(ts)}`);
  }
  return ts;
}

/** True for a value checkTimestamp accepts (vacuum treats anything else as "not queued"). */
export function isTimestamp(ts: unknown): ts is bigint {
  return typeof ts === 'bigint' && ts >= MIN_VALUE && ts <= MAX_VALUE;
}

/** Rows: null (a tombstone) or { schemaVersion: 32-bit integer (stored as i32 on pages), bytes: Uint8Array }. */
export function checkRow(row: BinaryRow | null): BinaryRow | null {
  if (row === null) return null;
  if (typeof row !== 'object' || !(row.bytes instanceof Uint8Array) || !Number.isInteger(row.schemaVersion)
    || row.schemaVersion < INT32_MIN || row.schemaVersion > INT32_MAX) {
    throw new InvalidArgumentError(
      `A row must be { schemaVersion: 32-bit integer, bytes: Uint8Array } or null (a tombstone), got ${describeValue(row)}`);
  }
  return row;
}

/** Parses the UUID string into `dst` (16 bytes). */
export function parseTxIdArgument(txId: string, dst: Uint8Array): void {
  if (txId === lastTxId && typeof txId === 'string') {
    dst.set(lastTxIdBytes);
    return;
  }
  if (!parseTxId(txId, dst, 0)) throw new InvalidArgumentError(`A transaction id must be a UUID string, got ${describeValue(txId)}`);
  lastTxIdBytes.set(dst.subarray(0, 16));
  lastTxId = txId;
}

/** The last transaction id parsed: a transaction writes many rows with one id (one parse, then 16-byte copies). */
let lastTxId: string | null = null;
const lastTxIdBytes = new Uint8Array(16);

/** commitZoneId: any 32-bit integer; commitPartitionId: 0..2^31-1 (both stored as i32 in the write intent's version header). */
export function checkCommitTarget(commitZoneId: number, commitPartitionId: number): void {
  if (!Number.isInteger(commitZoneId) || commitZoneId < INT32_MIN || commitZoneId > INT32_MAX
    || !Number.isInteger(commitPartitionId) || commitPartitionId < 0 || commitPartitionId > INT32_MAX) {
    throw new InvalidArgumentError(
      `commitZoneId must be a 32-bit integer and commitPartitionId an integer in 0..${INT32_MAX}, got ${describeValue(commitZoneId)}, ${describeValue(commitPartitionId)}`);
  }
}

/** The RowId, checked to belong to partition `partitionId`. */
export function checkOwnRowId(rowId: RowId, partitionId: number, what: string): RowId {
  if (!(rowId instanceof RowId)) throw new InvalidArgumentError(`${what} expects a RowId, got ${describeValue(rowId)}`);
  if (rowId.partitionId !== partitionId) {
    throw new InvalidArgumentError(`${rowId} belongs to partition ${rowId.partitionId}, not to ${what} (partition ${partitionId})`);
  }
  return rowId;
}

/** A table descriptor of createMvTable: tableId a 32-bit integer, partitions 1..65536, storageProfile a non-empty string. */
export function checkTableDescriptor(desc: { tableId: number; partitions: number; storageProfile: string }): void {
  if (desc === null || typeof desc !== 'object') {
    throw new InvalidArgumentError(`createMvTable needs { tableId, partitions, storageProfile }, got ${describeValue(desc)}`);
  }
  const { tableId, partitions, storageProfile } = desc;
  if (!Number.isInteger(tableId) || tableId < INT32_MIN || tableId > INT32_MAX) {
    throw new InvalidArgumentError(`createMvTable: tableId must be a 32-bit integer, got ${describeValue(tableId)}`);
  }
  if (!Number.isInteger(partitions) || partitions < 1 || partitions > 65536) {
    throw new InvalidArgumentError(`createMvTable: partitions must be an integer in 1..65536, got ${describeValue(partitions)}`);
  }
  if (typeof storageProfile !== 'string' || storageProfile.length === 0) {
    throw new InvalidArgumentError(`createMvTable: storageProfile must be the name of a storage profile, got ${describeValue(storageProfile)}`);
  }
}

/** A table id given to destroyMvTable (any 32-bit integer; an unknown one is fine). */
export function checkTableId(tableId: number): void {
  if (!Number.isInteger(tableId) || tableId < INT32_MIN || tableId > INT32_MAX) {
    throw new InvalidArgumentError(`A table id must be a 32-bit integer, got ${describeValue(tableId)}`);
  }
}

const AsyncFunction = (async () => undefined).constructor as new () => unknown;

/**
 * The closure of runConsistently: a synchronous function. An `async` function (its code after the first `await`
 * would run after the closure ended, unprotected) is refused before it runs — nothing changes. A plain function that
 * returns a promise cannot be told apart before it runs: its code after an `await` is refused call by call
 * (OutsideClosureError).
 */
export function checkClosure(closure: unknown): void {
  if (typeof closure !== 'function') {
    throw new InvalidArgumentError(`runConsistently needs a function (locker) => result, got ${describeValue(closure)}`);
  }
  if (closure instanceof AsyncFunction) {
    throw new InvalidArgumentError(
      'runConsistently runs a synchronous closure, but got an async function (code after its first await would run ' +
        'outside the closure, unprotected); do the awaits before or after runConsistently and pass a plain function');
  }
}

/** peek's count: an integer (0 or less peeks nothing, as the contract says). */
export function checkCount(count: number): number {
  if (!Number.isInteger(count)) throw new InvalidArgumentError(`peek: count must be an integer, got ${describeValue(count)}`);
  return count;
}

/** flush's optional trigger flag. */
export function checkTrigger(trigger: unknown): void {
  if (trigger !== undefined && typeof trigger !== 'boolean') {
    throw new InvalidArgumentError(`flush: trigger must be a boolean or omitted, got ${describeValue(trigger)}`);
  }
}

/** An index id given to getIndex / destroyIndex (createXIndex checks the whole descriptor). */
export function checkIndexId(indexId: number): void {
  if (!Number.isInteger(indexId) || indexId < 0 || indexId > INT32_MAX) {
    throw new InvalidArgumentError(`An index id must be an integer in 0..${INT32_MAX}, got ${describeValue(indexId)}`);
  }
}

/**
 * Scan flags: GREATER / GREATER_OR_EQUAL or-ed with LESS / LESS_OR_EQUAL — a non-negative 32-bit integer whose other
 * bits mean nothing (they are ignored, as the page and reference engines always did).
 */
export function checkScanFlags(flags: number): void {
  if (!Number.isInteger(flags) || flags < 0 || flags > INT32_MAX) {
    throw new InvalidArgumentError(
      `Scan flags must be GREATER or GREATER_OR_EQUAL or-ed with LESS or LESS_OR_EQUAL (a non-negative integer), got ${describeValue(flags)}`);
  }
}

/** An index entry { key: array of column values, rowId } (the key's values and the RowId are checked by the index). */
export function checkIndexRow(row: unknown, op: string, what: string): void {
  if (row === null || typeof row !== 'object' || !Array.isArray((row as { key?: unknown }).key)) {
    throw new InvalidArgumentError(`${op} on ${what} needs an index row { key: [column values], rowId }, got ${describeValue(row)}`);
  }
}

/**
 * lastApplied (index, term): integers. One rule for lastApplied() and finishRebalancePartition's meta, so that
 * nothing a rebalance stores could be refused by lastApplied.
 */
export function checkLastApplied(index: number, term: number): void {
  if (!Number.isInteger(index) || !Number.isInteger(term)) {
    throw new InvalidArgumentError(`lastApplied needs integer index and term, got ${describeValue(index)}, ${describeValue(term)}`);
  }
}

/** A committed group configuration: bytes. */
export function checkGroupConfig(bytes: unknown): void {
  if (!(bytes instanceof Uint8Array)) {
    throw new InvalidArgumentError(`The group configuration must be a Uint8Array, got ${describeValue(bytes)}`);
  }
}

/** finishRebalancePartition's meta: the rules of lastApplied and committedGroupConfiguration (nothing changes when invalid). */
export function checkRebalanceMeta(meta: { lastAppliedIndex: number; lastAppliedTerm: number; groupConfig: Uint8Array }): void {
  if (meta === null || typeof meta !== 'object') {
    throw new InvalidArgumentError(
      `finishRebalancePartition needs { lastAppliedIndex, lastAppliedTerm, groupConfig }, got ${describeValue(meta)}`);
  }
  checkLastApplied(meta.lastAppliedIndex, meta.lastAppliedTerm);
  checkGroupConfig(meta.groupConfig);
}
