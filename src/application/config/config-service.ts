/**
 * The node's configuration: loads what users set (store + the object given to openNode), resolves it with
 * defaults, shows it, and applies `config update` strings.
 *
 * Lifetimes: `atOpen` is fixed for the life of the service (one open of the node). Engine-level keys
 * (`ignite.storage.engines.*`) keep their open-time values until the next open, as the spec says. A profile's
 * settings are fixed from the moment it is first in force (at open, or when an update adds it) until the next
 * open — regions are built from them lazily and never resized underneath. Profiles added by an update are
 * usable at once. `latest` is what the next open will use.
 *
 * Every change is all-or-nothing: an update is parsed, applied to a copy, validated and resolved as a whole;
 * the store is written only if all of that succeeded, and memory only after the store succeeded.
 */
import type { SystemInfo } from '../../domain/ports/system-info.port';
import { ConfigValidationError, StorageIoError, UnknownProfileError } from '../../domain/shared/errors';
import { DEFAULT_PROFILE_NAME, type StorageConfig, type StorageProfileConfig } from './config.model';
import { ENGINES_PATH, PROFILES_PATH, pathSegment, profilePath } from './config-schema';
import { resolveConfig } from './config-resolver';
import type { ConfigStore } from './config-store.port';
import { validateRaw } from './config-validator';
import { configToDocument, selectPath } from './config-view';
import { cloneRaw, emptyRaw, flattenRaw, mergeRaw, rawFromDocument, rawToDocument, type RawConfig } from './raw-config';
import { applyUpdate } from './update-applier';
import { parseUpdate } from './update-parser';

/** What `ConfigService.update` reports. Keys are full paths (`ignite.storage.engines.aimem.pageSizeBytes`). */
export interface ConfigUpdateResult {
  /** Keys whose user-set value was added, changed or removed by the update. */
  readonly changedKeys: readonly string[];
  /** Changed keys whose new value only takes effect on the next open (engine-level keys, profiles in force). */
  readonly restartRequired: readonly string[];
  readonly message: string;
}

export interface ConfigServiceOptions {
  /**
   * Read the store, never write it (a read-only open of a work dir that another node may hold): nothing is saved
   * at open, and update/remove throw StorageIoError (WORKDIR_READ_ONLY).
   */
  readonly readOnly?: boolean;
}

export class ConfigService {
  readonly #store: ConfigStore;
  readonly #readOnly: boolean;
  readonly #system: SystemInfo;
  readonly #atOpen: StorageConfig;
  /** Profiles in force, by name: those of `atOpen`, then those added since, each as first added. */
  readonly #inForce = new Map<string, StorageProfileConfig>();
  #raw: RawConfig;
  #latest: StorageConfig;

  /**
   * @param initial a JSON-shape object (`{ignite:{storage:{...}}}`) merged over the stored document (engine keys
   *   replaced, profiles merged by name), validated with it, and saved if it changes what is stored.
   * @throws ConfigValidationError listing every problem; ConfigParseError if the store cannot be read.
   */
  constructor(store: ConfigStore, system: SystemInfo, initial?: unknown, options: ConfigServiceOptions = {}) {
    this.#store = store;
    this.#readOnly = options.readOnly === true;
    this.#system = system;
    const problems: string[] = [];
    const stored = store.load();
    const storedRaw = stored === null ? emptyRaw() : rawFromDocument(stored, problems);
    const raw = initial === undefined ? storedRaw : mergeRaw(storedRaw, rawFromDocument(initial, problems), problems);
    this.#atOpen = this.#resolve(raw, problems);
    const document = rawToDocument(raw);
    const changed = stored === null || JSON.stringify(document) !== JSON.stringify(rawToDocument(storedRaw));
    if (changed && !this.#readOnly) store.save(document);
    this.#raw = raw;
    this.#latest = this.#atOpen;
    for (const profile of this.#atOpen.profiles) this.#inForce.set(profile.name, profile);
  }

  /** Resolved config in force since open. Engine-level keys (ignite.storage.engines.*) keep these values until the next open. */
  get atOpen(): StorageConfig {
    return this.#atOpen;
  }

  /** Resolved config including updates made since open (what the next open will use). */
  get latest(): StorageConfig {
    return this.#latest;
  }

  /** The latest resolved configuration (or the part at `path`) in the spec's JSON shape. */
  show(path?: string): unknown {
    const document = configToDocument(this.#latest);
    return path === undefined || path.trim() === '' ? document : selectPath(document, path.trim());
  }

  /** Applies an update string; see update-parser.ts for the syntax. Throws ConfigParseError / ConfigValidationError. */
  update(text: string): ConfigUpdateResult {
    this.#checkWritable('update');
    const entries = parseUpdate(text);
    const problems: string[] = [];
    const next = cloneRaw(this.#raw);
    applyUpdate(next, entries, problems);
    const latest = this.#resolve(next, problems);
    const changedKeys = changedBetween(this.#raw, next);
    if (changedKeys.length > 0) this.#store.save(rawToDocument(next));
    this.#raw = next;
    this.#latest = latest;
    const restartRequired = changedKeys.filter((key) => this.#requiresRestart(key));
    const added: string[] = [];
    for (const profile of latest.profiles) {
      if (this.#inForce.has(profile.name)) continue;
      this.#inForce.set(profile.name, profile);
      added.push(profile.name);
    }
    return { changedKeys, restartRequired, message: updateMessage(changedKeys, restartRequired, added) };
  }

  /**
   * Removes a profile the user defined (the `default` profile always exists). The caller (the node) first makes
   * sure no table uses it. Throws UnknownProfileError if no such profile is defined, ConfigValidationError for
   * `default`; persists like update, and changes nothing if the store cannot be written.
   */
  remove(name: string): ConfigUpdateResult {
    this.#checkWritable('remove');
    if (name === DEFAULT_PROFILE_NAME) {
      throw new ConfigValidationError([`${profilePath(name)} cannot be removed: the default profile always exists`]);
    }
    if (!this.#raw.profiles.has(name)) this.profile(name); // throws PROFILE_NOT_FOUND listing the defined ones
    const next = cloneRaw(this.#raw);
    next.profiles.delete(name);
    const problems: string[] = [];
    const latest = this.#resolve(next, problems);
    this.#store.save(rawToDocument(next));
    this.#raw = next;
    this.#latest = latest;
    this.#inForce.delete(name);
    const key = profilePath(name);
    return { changedKeys: [key], restartRequired: [], message: `Removed profile ${pathSegment(name)}.` };
  }

  #checkWritable(what: string): void {
    if (this.#readOnly) {
      throw new StorageIoError(
        `config ${what} is not possible on a read-only node: open the work dir without readOnly (it must not be in use)`,
        'WORKDIR_READ_ONLY',
      );
    }
  }

  /** A profile in force (see the class comment); UnknownProfileError (PROFILE_NOT_FOUND) lists the defined ones. */
  profile(name: string): StorageProfileConfig {
    const profile = this.#inForce.get(name);
    if (profile !== undefined) return profile;
    const names = [...this.#inForce.keys()];
    throw new UnknownProfileError(
      `Storage profile ${JSON.stringify(name)} is not defined; defined profiles: ${names.join(', ')}. ` +
        `Define it with config update "${PROFILES_PATH}:{${pathSegment(name)}{engine:aimem}}" (or engine:aipersist).`,
    );
  }

  /** The profiles in force: those at open, then those added by updates since. */
  profiles(): readonly StorageProfileConfig[] {
    return [...this.#inForce.values()];
  }

  #resolve(raw: RawConfig, problems: string[]): StorageConfig {
    validateRaw(raw, problems);
    const config = resolveConfig(raw, this.#system, problems);
    if (problems.length > 0) throw new ConfigValidationError(problems);
    return config;
  }

  /** An engine key, or a key of a profile already in force, whose latest value differs from the one in force. */
  #requiresRestart(key: string): boolean {
    if (key.startsWith(`${ENGINES_PATH}.`)) {
      return !Object.is(selectPath(configToDocument(this.#atOpen), key), selectPath(configToDocument(this.#latest), key));
    }
    const latest = this.show();
    for (const [name, profile] of this.#inForce) {
      const prefix = `${PROFILES_PATH}.${pathSegment(name)}.`;
      if (!key.startsWith(prefix)) continue;
      const field = key.slice(prefix.length);
      return !Object.is((profile as unknown as Record<string, unknown>)[field], selectPath(latest as Record<string, unknown>, key));
    }
    return false;
  }
}

/** Full keys whose user-set value was added, changed or removed. */
function changedBetween(before: RawConfig, after: RawConfig): string[] {
  const a = flattenRaw(before);
  const b = flattenRaw(after);
  const changed: string[] = [];
  for (const [key, value] of b) if (!a.has(key) || !Object.is(a.get(key), value)) changed.push(key);
  for (const key of a.keys()) if (!b.has(key)) changed.push(key);
  return changed;
}

function updateMessage(changed: readonly string[], restart: readonly string[], added: readonly string[]): string {
  if (changed.length === 0) return 'Nothing changed: the configuration already has these values.';
  const parts = [`Updated ${changed.join(', ')}.`];
  const engineKeys = restart.filter((key) => key.startsWith(`${ENGINES_PATH}.`));
  const profileKeys = restart.filter((key) => !key.startsWith(`${ENGINES_PATH}.`));
  if (engineKeys.length > 0) parts.push(`Engine-level keys take effect on the next open: ${engineKeys.join(', ')}.`);
  if (profileKeys.length > 0) {
    parts.push(`Profiles in use keep their current settings until the next open: ${profileKeys.join(', ')}.`);
  }
  if (added.length > 0) parts.push(`New profiles usable now: ${added.join(', ')}.`);
  return parts.join(' ');
}
