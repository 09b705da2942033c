/**
 * Where the catalog's entries and snapshots are kept between opens: a file store under the work dir (durable
 * across crashes and power loss), or an in-memory one for a node without a work dir. All calls are synchronous:
 * they run at open and on DDL, never on a hot path.
 *
 * Values (entries and snapshot states) are plain objects (keys in insertion order), arrays, strings, numbers,
 * booleans, null, undefined, bigints and Uint8Arrays; a stored value comes back exactly (a bigint stays a bigint, a
 * number a number — -0 included —, a Uint8Array a plain Uint8Array with the same bytes). Anything else (a Map, a
 * Date, a class instance, a cycle, a string with a lone surrogate) is refused with InvalidArgumentError naming where
 * it sits, before anything is written.
 */
import { InvalidArgumentError } from '../../domain/shared/errors';

export interface StoredCatalog {
  /** The newest snapshot, or null. */
  readonly snapshot: { readonly version: number; readonly state: unknown } | null;
  /** Entries with versions above the snapshot's (all when no snapshot), in order, contiguous. */
  readonly entries: readonly { readonly version: number; readonly entry: unknown }[];
}

export interface CatalogStore {
  /** Reads what is stored (a torn tail is cut here: truncated on disk unless read-only). Call once, before append. */
  load(): StoredCatalog;
  /** Appends one entry; durable (fdatasync) when it returns. Versions must follow on from the last one. */
  append(version: number, entry: unknown): void;
  /** Writes a snapshot of the state at `version` durably (temp file, fdatasync, rename, directory fsync), then starts the log afresh. */
  writeSnapshot(version: number, state: unknown): void;
  /** Entries appended since the last snapshot (the catalog compacts when this grows). */
  readonly entriesSinceSnapshot: number;
  close(): void;
}

/**
 * The version rule of `append`, the same for every store: the first entry of an empty store is version 1, each
 * later one the last stored version (entry or snapshot) + 1. Throws InvalidArgumentError otherwise.
 */
export function checkAppendVersion(version: number, last: number): void {
  if (version !== last + 1) {
    throw new InvalidArgumentError(
      `Catalog entry version ${String(version)} does not follow on from the last stored version ${last}: ` +
        `append version ${last + 1} next`,
    );
  }
}

/**
 * The version rule of `writeSnapshot`: a positive integer, at or above the last stored version (a snapshot below it
 * would drop the entries above it when the log starts afresh). Throws InvalidArgumentError otherwise.
 */
export function checkSnapshotVersion(version: number, last: number): void {
  if (!Number.isSafeInteger(version) || version < 1 || version < last) {
    throw new InvalidArgumentError(
      `Catalog snapshot version ${String(version)} is invalid: it must be an integer ≥ 1 and ≥ the last stored ` +
        `version ${last} (the snapshot holds the state after every stored entry)`,
    );
  }
}
