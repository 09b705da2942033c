/**
 * The raw configuration: only the keys users set (in the JSON file, the object given to openNode, or update
 * strings). It is what gets persisted; defaults are applied on resolution (config-resolver.ts), so dynamic
 * defaults follow the machine. Values are stored as given and judged by config-validator.ts.
 */
import { DEFAULT_PROFILE_NAME } from './config.model';
import {
  ENGINES_PATH,
  ENGINES_SCHEMA,
  PROFILES_PATH,
  describeValue,
  profilePath,
  unknownKeyProblem,
  type SectionSpec,
} from './config-schema';

export interface RawConfig {
  /** User-set engine keys by path relative to `ignite.storage.engines` (`aipersist.checkpoint.intervalMillis`). */
  readonly engines: Map<string, unknown>;
  /** User-set profiles by name, in definition order; each holds its set keys (`engine` included, `name` not). */
  readonly profiles: Map<string, Map<string, unknown>>;
}

export function emptyRaw(): RawConfig {
  return { engines: new Map(), profiles: new Map() };
}

export function cloneRaw(raw: RawConfig): RawConfig {
  const profiles = new Map<string, Map<string, unknown>>();
  for (const [name, values] of raw.profiles) profiles.set(name, new Map(values));
  return { engines: new Map(raw.engines), profiles };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The profile's set keys, creating the profile with none if needed. A new profile other than `default` is
 * invalid until its `engine` is set; `default` needs none (its engine is always aipersist).
 */
export function touchProfile(raw: RawConfig, name: string): Map<string, unknown> {
  let values = raw.profiles.get(name);
  if (values === undefined) {
    values = new Map();
    raw.profiles.set(name, values);
  }
  return values;
}

/**
 * Sets one profile key, creating the profile if needed. Changing the engine of a profile that already has one
 * is refused (its data would be unreadable); the `default` profile is left to the validator's own rule.
 */
export function setProfileValue(raw: RawConfig, name: string, key: string, value: unknown, problems: string[]): void {
  const values = touchProfile(raw, name);
  const current = values.get('engine');
  if (key === 'engine' && current !== undefined && current !== value && name !== DEFAULT_PROFILE_NAME) {
    problems.push(
      `${profilePath(name, 'engine')} cannot change from ${describeValue(current)} ` +
        `(a profile keeps its engine; define a new profile instead), got ${describeValue(value)}`,
    );
    return;
  }
  values.set(key, value);
}

/** Reads a JSON-shape document (`{ignite:{storage:{engines,profiles}}}`); structural problems are collected. */
export function rawFromDocument(doc: unknown, problems: string[]): RawConfig {
  const raw = emptyRaw();
  const ignite = expectKeys(doc, 'the configuration', ['ignite'], problems)?.['ignite'];
  if (ignite === undefined) return raw;
  const storage = expectKeys(ignite, 'ignite', ['storage'], problems)?.['storage'];
  if (storage === undefined) return raw;
  const sections = expectKeys(storage, 'ignite.storage', ['engines', 'profiles'], problems);
  if (sections?.['engines'] !== undefined) readSection(sections['engines'], ENGINES_SCHEMA, [], raw, problems);
  if (sections?.['profiles'] !== undefined) readProfiles(sections['profiles'], raw, problems);
  return raw;
}

/** The object if it is one and has only the given keys (unknown keys are reported and skipped). */
function expectKeys(
  node: unknown,
  path: string,
  keys: readonly string[],
  problems: string[],
): Record<string, unknown> | null {
  if (node === undefined) return null;
  if (!isPlainObject(node)) {
    problems.push(`${path} must be an object with keys ${keys.join(', ')}, got ${describeValue(node)}`);
    return null;
  }
  const known: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    const full = path === 'the configuration' ? key : `${path}.${key}`;
    if (keys.includes(key)) known[key] = value;
    else problems.push(unknownKeyProblem(full, value, keys, path === 'the configuration' ? 'at the top level' : `under ${path}`));
  }
  return known;
}

function readSection(node: unknown, spec: SectionSpec, rel: string[], raw: RawConfig, problems: string[]): void {
  const path = [ENGINES_PATH, ...rel].join('.');
  const valid = Object.keys(spec.keys);
  if (!isPlainObject(node)) {
    problems.push(`${path} must be an object with keys ${valid.join(', ')}, got ${describeValue(node)}`);
    return;
  }
  for (const [key, value] of Object.entries(node)) {
    if (value === undefined) continue;
    const child = spec.keys[key];
    if (child === undefined) problems.push(unknownKeyProblem(`${path}.${key}`, value, valid, `under ${path}`));
    else if (child.kind === 'section') readSection(value, child, [...rel, key], raw, problems);
    else raw.engines.set([...rel, key].join('.'), value);
  }
}

function readProfiles(node: unknown, raw: RawConfig, problems: string[]): void {
  if (!Array.isArray(node)) {
    const example = '[{"engine":"aimem","name":"cache_profile"}]';
    problems.push(`${PROFILES_PATH} must be an array of profiles like ${example}, got ${describeValue(node)}`);
    return;
  }
  const firstIndex = new Map<string, number>();
  node.forEach((entry: unknown, i) => {
    const at = `${PROFILES_PATH}[${i}]`;
    if (!isPlainObject(entry)) {
      problems.push(`${at} must be an object like {"engine":"aimem","name":"cache_profile"}, got ${describeValue(entry)}`);
      return;
    }
    const name = entry['name'];
    if (name === undefined) return void problems.push(`${at}.name is missing (got nothing): every profile needs a name`);
    if (typeof name !== 'string') return void problems.push(`${at}.name must be a string, got ${describeValue(name)}`);
    const first = firstIndex.get(name);
    if (first !== undefined) {
      return void problems.push(
        `${at}.name must differ from the name of ${PROFILES_PATH}[${first}] (profile names must be unique), ` +
          `got ${describeValue(name)}`,
      );
    }
    firstIndex.set(name, i);
    const values = new Map<string, unknown>();
    for (const [key, value] of Object.entries(entry)) if (key !== 'name' && value !== undefined) values.set(key, value);
    raw.profiles.set(name, values);
  });
}

/** `over` wins key by key; profiles merge by name (keys merge, engines may not change). */
export function mergeRaw(base: RawConfig, over: RawConfig, problems: string[]): RawConfig {
  const merged = cloneRaw(base);
  for (const [key, value] of over.engines) merged.engines.set(key, value);
  for (const [name, values] of over.profiles) {
    touchProfile(merged, name);
    for (const [key, value] of values) setProfileValue(merged, name, key, value, problems);
  }
  return merged;
}

/** Every set key by its full path (`ignite.storage.profiles.p.maxSizeBytes`), to tell what an update changed. */
export function flattenRaw(raw: RawConfig): Map<string, unknown> {
  const flat = new Map<string, unknown>();
  for (const [rel, value] of raw.engines) flat.set(`${ENGINES_PATH}.${rel}`, value);
  for (const [name, values] of raw.profiles) {
    if (values.size === 0) flat.set(profilePath(name), null);
    for (const [key, value] of values) flat.set(profilePath(name, key), value);
  }
  return flat;
}

/** The JSON document to persist: only set keys, engines in schema order, each profile as engine, name, keys. */
export function rawToDocument(raw: RawConfig): unknown {
  const storage: Record<string, unknown> = {};
  const engines = sectionDocument(ENGINES_SCHEMA, '', raw.engines);
  if (engines !== null) storage['engines'] = engines;
  if (raw.profiles.size > 0) {
    storage['profiles'] = [...raw.profiles].map(([name, values]) => {
      const profile: Record<string, unknown> = {};
      if (values.has('engine')) profile['engine'] = values.get('engine');
      profile['name'] = name;
      for (const [key, value] of values) if (key !== 'engine') profile[key] = value;
      return profile;
    });
  }
  return { ignite: { storage } };
}

function sectionDocument(spec: SectionSpec, prefix: string, values: ReadonlyMap<string, unknown>): object | null {
  const out: Record<string, unknown> = {};
  let any = false;
  for (const [key, child] of Object.entries(spec.keys)) {
    const rel = prefix === '' ? key : `${prefix}.${key}`;
    const value = child.kind === 'section' ? sectionDocument(child, rel, values) : values.get(rel);
    if (value === undefined || value === null) continue;
    out[key] = value;
    any = true;
  }
  return any ? out : null;
}
