/** Argument checks of the reference MV partition (bad input is an InvalidArgumentError, DESIGN.md §8). */
import { describeValue } from '../../../src/domain/shared/describe-value';
import { InvalidArgumentError } from '../../../src/domain/shared/errors';
import { MAX_VALUE, MIN_VALUE } from '../../../src/domain/storage/hybrid-timestamp';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function checkTxId(txId: string): string {
  if (typeof txId !== 'string' || !UUID_RE.test(txId)) throw new InvalidArgumentError(`A transaction id must be a UUID string, got ${describeValue(txId)}`);
  return txId.toLowerCase();
}

export function checkTimestamp(ts: bigint): bigint {
  if (typeof ts !== 'bigint' || ts < MIN_VALUE || ts > MAX_VALUE) {
    throw new InvalidArgumentError(`A hybrid timestamp must be a bigint in [${MIN_VALUE}, ${MAX_VALUE}], got ${describeValue(ts)}`);
  }
  return ts;
}

