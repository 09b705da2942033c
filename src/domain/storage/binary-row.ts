/**
 * A stored row: opaque bytes plus the schema version they were written with. `null` in APIs = tombstone. Callers may
 * pass plain `{ schemaVersion, bytes }` objects; a row that is neither null nor of this shape (schemaVersion a 32-bit
 * integer, bytes a Uint8Array) is refused with InvalidArgumentError (INVALID_ARGUMENT).
 */
export interface BinaryRow {
  /** The version of the table schema the bytes were written with; stored and returned as given. */
  readonly schemaVersion: number;
  /**
   * The row's bytes. Rows returned by reads may view a larger shared ArrayBuffer (like Node's Buffer pool): use
   * `bytes` itself (or its byteOffset/byteLength with `bytes.buffer`). The storage copies the bytes it is given.
   */
  readonly bytes: Uint8Array;
}
