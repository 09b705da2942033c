/** A stored row: opaque bytes plus the schema version they were written with. `null` in APIs = tombstone. */
export interface BinaryRow {
  readonly schemaVersion: number;
  readonly bytes: Uint8Array;
}
