/**
 * Per-key rules of the raw configuration. Every violation adds one line naming the full key, the value and the
 * rule; nothing stops at the first problem, so one ConfigValidationError lists them all. Cross-key rules that
 * need defaults (initSizeBytes <= maxSizeBytes) live in config-resolver.ts.
 */
import { DEFAULT_PROFILE_NAME } from './config.model';
import {
  ENGINES_PATH,
  allProfileKeys,
  ENGINES_SCHEMA,
  ENGINE_SPEC,
  PROFILE_SCHEMA,
  describeValue,
  isEngineName,
  leafProblem,
  profileKeySpec,
  profileKeys,
  profilePath,
  unknownKeyProblem,
  type LeafSpec,
  type SchemaNode,
} from './config-schema';
import type { RawConfig } from './raw-config';

/** The leaf at a path relative to `ignite.storage.engines`, or null if there is none. */
export function engineLeafAt(rel: string): LeafSpec | null {
  let node: SchemaNode = ENGINES_SCHEMA;
  for (const segment of rel.split('.')) {
    if (node.kind !== 'section') return null;
    const child: SchemaNode | undefined = node.keys[segment];
    if (child === undefined) return null;
    node = child;
  }
  return node.kind === 'leaf' ? node : null;
}

/**
 * Every rule of the raw configuration, whatever its source (file, openNode's object, an update string): one code
 * path, so nothing an update is allowed to store can make the next open fail.
 */
export function validateRaw(raw: RawConfig, problems: string[]): void {
  for (const [rel, value] of raw.engines) {
    const spec = engineLeafAt(rel);
    if (spec === null) problems.push(`${ENGINES_PATH}.${rel} is not a known key (value ${describeValue(value)})`);
    else if (!spec.accepts(value)) problems.push(leafProblem(`${ENGINES_PATH}.${rel}`, spec, value));
  }
  for (const [name, values] of raw.profiles) validateProfile(name, values, problems);
}

/** Profile names: non-empty, at most 128 characters, no control characters (they appear in paths and messages). */
const MAX_PROFILE_NAME_LENGTH = 128;

function profileNameProblem(name: string): string | null {
  if (name.length === 0) return 'must be a non-empty string';
  if (name.length > MAX_PROFILE_NAME_LENGTH) return `must be at most ${MAX_PROFILE_NAME_LENGTH} characters long`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'must not contain control characters';
  return null;
}

function validateProfile(name: string, values: ReadonlyMap<string, unknown>, problems: string[]): void {
  const nameProblem = profileNameProblem(name);
  if (nameProblem !== null) {
    problems.push(`${profilePath(name)} has an invalid name: a profile name ${nameProblem}, got ${describeValue(name)}`);
    return;
  }
  const isDefault = name === DEFAULT_PROFILE_NAME;
  const engine = values.has('engine') ? values.get('engine') : isDefault ? 'aipersist' : undefined;
  if (!isEngineName(engine)) {
    problems.push(
      engine === undefined
        ? `${profilePath(name, 'engine')} is missing (got nothing): every profile needs an engine, aimem or aipersist`
        : leafProblem(profilePath(name, 'engine'), ENGINE_SPEC, engine),
    );
    validateWithoutEngine(name, values, problems);
    return;
  }
  if (isDefault && engine !== 'aipersist') {
    const key = profilePath(name, 'engine');
    problems.push(`${key} must be aipersist (the default profile always uses aipersist), got ${describeValue(engine)}`);
    return;
  }
  const schema = PROFILE_SCHEMA[engine];
  for (const [key, value] of values) {
    if (key === 'engine') continue;
    const spec = schema[key];
    if (spec === undefined) {
      problems.push(unknownKeyProblem(profilePath(name, key), value, profileKeys(engine), `of an ${engine} profile`));
    } else if (!spec.accepts(value)) {
      problems.push(leafProblem(profilePath(name, key), spec, value));
    }
  }
}

/** Without a valid engine, each key is still judged by the rule it has in any engine's profile. */
function validateWithoutEngine(name: string, values: ReadonlyMap<string, unknown>, problems: string[]): void {
  for (const [key, value] of values) {
    if (key === 'engine') continue;
    const spec = profileKeySpec(key);
    if (spec === null) {
      problems.push(unknownKeyProblem(profilePath(name, key), value, allProfileKeys(), 'of a profile'));
    } else if (!spec.accepts(value)) {
      problems.push(leafProblem(profilePath(name, key), spec, value));
    }
  }
}
