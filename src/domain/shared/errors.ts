/**
 * The error catalog. Every failure a user can cause is one of these classes; `code` is stable across
 * releases (match on it, not on the message). Messages say what was wrong and what to do.
 */
export abstract class AistorageError extends Error {
  abstract readonly code: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A configuration value, key or update string is invalid; nothing was changed. */
export class ConfigValidationError extends AistorageError {
  readonly code = 'CONFIG_INVALID';
  /** One line per violated rule, each naming key, value and rule. */
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(problems.length === 1 ? problems[0]! : `${problems.length} configuration problems:\n- ${problems.join('\n- ')}`);
    this.problems = problems;
  }
}

/** An update string or config file could not be parsed. */
export class ConfigParseError extends AistorageError {
  readonly code = 'CONFIG_PARSE';
}

/** A storage profile name that the configuration does not define. */
export class UnknownProfileError extends AistorageError {
  readonly code = 'PROFILE_NOT_FOUND';
}

/** The engine exists in the configuration model but is not available in this build. */
export class EngineNotAvailableError extends AistorageError {
  readonly code = 'ENGINE_NOT_AVAILABLE';
}

/** A data region cannot allocate another page without exceeding its maximum size. */
export class OutOfMemoryError extends AistorageError {
  readonly code = 'OUT_OF_MEMORY';
  constructor(
    readonly region: string,
    readonly initSizeBytes: number,
    readonly maxSizeBytes: number,
    detail: string,
  ) {
    super(
      `Data region '${region}' is out of memory (initSizeBytes=${initSizeBytes}, maxSizeBytes=${maxSizeBytes}): ${detail}. ` +
        `Increase maxSizeBytes of the profile, or remove data. Data already stored is intact.`,
    );
  }
}

/** A page id that does not name a live page of this memory (freed, never allocated, or of another group). */
export class IllegalPageAccessError extends AistorageError {
  readonly code = 'PAGE_ACCESS';
}

/** An argument outside its domain (wrong type, negative count, malformed id). */
export class InvalidArgumentError extends AistorageError {
  readonly code = 'INVALID_ARGUMENT';
}

/** A row or key larger than the storage accepts. */
export class RowTooLargeError extends AistorageError {
  readonly code = 'ROW_TOO_LARGE';
}

/** The storage (node, table, partition, index or cursor) was closed. */
export class StorageClosedError extends AistorageError {
  readonly code = 'STORAGE_CLOSED';
}

/** The storage was destroyed. */
export class StorageDestroyedError extends AistorageError {
  readonly code = 'STORAGE_DESTROYED';
}

/** The operation is not allowed while the partition is being rebalanced (or the rebalance call is invalid). */
export class StorageRebalanceError extends AistorageError {
  readonly code = 'STORAGE_REBALANCE';
}

/** Any other refusal of the storage lifecycle or of an SPI call (wrong partition, duplicate partition, ...). */
export class StorageError extends AistorageError {
  readonly code: string;
  constructor(message: string, code = 'STORAGE_ERROR') {
    super(message);
    this.code = code;
  }
}

/** The index is still being built; reads through it are refused until the build finishes. */
export class IndexNotBuiltError extends AistorageError {
  readonly code = 'INDEX_NOT_BUILT';
}

/** Stored bytes do not match their checksum or format. */
export class DataCorruptionError extends AistorageError {
  readonly code = 'DATA_CORRUPTION';
}

/** The work directory or one of its files cannot be used (locked, unreadable, disk full). */
export class StorageIoError extends AistorageError {
  readonly code: string;
  /** `cause`: the underlying failure (an errno error), when there is one. */
  constructor(message: string, code = 'STORAGE_IO', cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.code = code;
  }
}

/** Another node (in this process or another one) holds the work directory; `holderPid` names its process. */
export class WorkDirLockedError extends AistorageError {
  readonly code = 'WORKDIR_LOCKED';
  constructor(
    message: string,
    /** The process holding the lock (this process's own pid when another node of this process holds it). */
    readonly holderPid: number,
    /** The host name written into the lock file by the holder. */
    readonly holderHost: string,
  ) {
    super(message);
  }
}

/** createMvTable with the id of a table that is open in this engine; the open table is unchanged. */
export class TableExistsError extends AistorageError {
  readonly code = 'TABLE_EXISTS';
  constructor(readonly tableId: number) {
    super(
      `Table ${tableId} already exists and is open in this engine; use the MvTableStorage you created, or ` +
        `destroyMvTable(${tableId}) (or close it) before creating it again`,
    );
  }
}

/**
 * A commit timestamp not later than the newest committed version of its row (commitWrite, addWriteCommitted);
 * nothing was changed (an intent stays an intent).
 */
export class CommitTimestampOrderError extends AistorageError {
  readonly code = 'COMMIT_TIMESTAMP_ORDER';
  constructor(
    readonly rowId: string,
    readonly commitTimestamp: bigint,
    readonly newestCommitTimestamp: bigint,
  ) {
    super(
      `Commit timestamp ${commitTimestamp} of row ${rowId} is not later than its newest committed version ` +
        `(${newestCommitTimestamp}); commit timestamps must increase per row: commit with a later timestamp`,
    );
  }
}

/**
 * A call that must run inside a runConsistently closure of its partition ran outside one (no closure running, or
 * after the closure returned: code after an `await` in an async closure), or a closure's Locker was used after the
 * closure ended. Nothing was changed.
 */
export class OutsideClosureError extends AistorageError {
  readonly code = 'OUTSIDE_CLOSURE';
}

/**
 * Tables and transactions (README "Tables and transactions"). Each message names the table and, where there is one,
 * the column; `table`/`column` repeat them for programs.
 */
export abstract class TableLevelError extends AistorageError {
  constructor(
    message: string,
    /** The table concerned, as declared (null when none applies). */
    readonly table: string | null = null,
    /** The column concerned, as declared (null when none applies). */
    readonly column: string | null = null,
  ) {
    super(message);
  }
}

/**
 * A transaction met another pending transaction's write intent, or a row committed after it started (first committer
 * wins). The transaction has been rolled back; every further call on it throws this again. Retry the whole
 * transaction (`node.transaction` does, `retries` times).
 */
export class TransactionConflictError extends TableLevelError {
  readonly code = 'TX_CONFLICT';
}

/** insert() of a key that exists (or a unique constraint met); only that call failed. */
export class DuplicateKeyError extends TableLevelError {
  readonly code = 'DUPLICATE_KEY';
}

/** null (explicit, or an omitted column without a default) in a NOT NULL column; only that call failed. */
export class NotNullViolationError extends TableLevelError {
  readonly code = 'NOT_NULL_VIOLATION';
}

/** A table name that the catalog does not hold. */
export class TableNotFoundError extends TableLevelError {
  readonly code = 'TABLE_NOT_FOUND';
}

/** A column name that the table does not have. */
export class ColumnNotFoundError extends TableLevelError {
  readonly code = 'COLUMN_NOT_FOUND';
}

/** A zone name that the catalog does not hold. */
export class ZoneNotFoundError extends TableLevelError {
  readonly code = 'ZONE_NOT_FOUND';
}

/** An index name that the catalog does not hold. */
export class IndexNotFoundError extends TableLevelError {
  readonly code = 'INDEX_NOT_FOUND';
}

/** A zone, table, index or column of that name exists already; nothing was changed. */
export class AlreadyExistsError extends TableLevelError {
  readonly code = 'ALREADY_EXISTS';
}

/** A read at a timestamp below the low watermark: versions it would need may have been garbage-collected. */
export class TimestampTooOldError extends TableLevelError {
  readonly code = 'TIMESTAMP_TOO_OLD';
}

/**
 * SQL text that does not parse: `line` and `column` (1-based) locate the offending token, `expected` says what
 * would have been accepted there, and the message ends with the line and a caret under the token.
 */
export class SqlParseError extends AistorageError {
  readonly code = 'SQL_PARSE';
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
    readonly expected: readonly string[] = [],
  ) {
    super(message);
  }
}
