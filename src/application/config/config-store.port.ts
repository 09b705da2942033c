/**
 * Where the raw configuration (only what users set, in the spec's JSON shape) is kept between opens.
 * Both calls are synchronous: they run at open and on `config update`, never on a hot path.
 */
export interface ConfigStore {
  /** The stored document, or null if none was ever saved. Throws ConfigParseError if it is unreadable. */
  load(): unknown | null;
  /** Replaces the stored document; atomic: after a crash, load() returns either the old or the new one. */
  save(raw: unknown): void;
}
