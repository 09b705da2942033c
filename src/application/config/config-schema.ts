/**
 * The configuration schema: which keys exist, where, and which values each accepts. One source for the JSON
 * reader, the update applier, the validator and `show` — so "unknown key" and the list of valid keys agree
 * everywhere. Every leaf carries its rule as text; problems read `<full key> <rule>, got <value>`.
 */
import {
  ENGINE_NAMES,
  MIN_LOG_SEGMENT_BYTES,
  MAX_REGION_SIZE_BYTES,
  MIN_REGION_SIZE_BYTES,
  REPLACEMENT_MODES,
  SYNC_MODES,
  THROTTLING_POLICIES,
  type EngineName,
} from './config.model';

export interface LeafSpec {
  readonly kind: 'leaf';
  /** Completes the sentence "<key> <rule>, got <value>". */
  readonly rule: string;
  /** The key is a byte size: update strings may use size suffixes (512MB, 64KiB). */
  readonly bytes: boolean;
  /** The accepted strings of an enumeration; null for integer keys. */
  readonly values: readonly string[] | null;
  accepts(value: unknown): boolean;
}

export interface SectionSpec {
  readonly kind: 'section';
  readonly keys: Readonly<Record<string, SchemaNode>>;
}

export type SchemaNode = LeafSpec | SectionSpec;

export const ROOT_PATH = 'ignite.storage';
export const ENGINES_PATH = 'ignite.storage.engines';
export const PROFILES_PATH = 'ignite.storage.profiles';

function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

function integer(rule: string, min: number, max: number, bytes = false): LeafSpec {
  return {
    kind: 'leaf',
    rule,
    bytes,
    values: null,
    accepts: (v) => isInteger(v) && v >= min && v <= max,
  };
}

function oneOf(values: readonly string[]): LeafSpec {
  return {
    kind: 'leaf',
    rule: `must be one of ${values.join(', ')}`,
    bytes: false,
    values,
    accepts: (v) => typeof v === 'string' && values.includes(v),
  };
}

/**
 * A table looked up by keys that come from users: without a prototype, so `constructor`, `toString` or `__proto__`
 * read as unknown keys rather than as Object.prototype's members.
 */
export function keyTable<T>(entries: Record<string, T>): Readonly<Record<string, T>> {
  return Object.assign(Object.create(null) as Record<string, T>, entries);
}

function section(keys: Record<string, SchemaNode>): SectionSpec {
  return { kind: 'section', keys: keyTable(keys) };
}

const PAGE_SIZE: LeafSpec = {
  kind: 'leaf',
  rule: 'must be a power of two between 1024 and 16384',
  bytes: true,
  values: null,
  accepts: (v) => isInteger(v) && v >= 1024 && v <= 16384 && (v & (v - 1)) === 0,
};

/** A number in (min, max]: dirty-page ratios. */
function ratio(min: number, max: number): LeafSpec {
  return {
    kind: 'leaf',
    rule: `must be a number greater than ${min} and at most ${max}`,
    bytes: false,
    values: null,
    accepts: (v) => typeof v === 'number' && Number.isFinite(v) && v > min && v <= max,
  };
}

const MAX = Number.MAX_SAFE_INTEGER;
const MILLIS = integer('must be an integer number of milliseconds >= 0', 0, MAX);
const THREADS = integer('must be an integer >= 1', 1, MAX);

/** initSizeBytes, maxSizeBytes, sizeBytes. */
export const REGION_SIZE = integer(
  `must be an integer number of bytes between ${MIN_REGION_SIZE_BYTES} (10 MiB) and ${MAX_REGION_SIZE_BYTES} (2 TiB)`,
  MIN_REGION_SIZE_BYTES,
  MAX_REGION_SIZE_BYTES,
  true,
);

/** Keys under `ignite.storage.engines`; engine-level values take effect on the next open. */
export const ENGINES_SCHEMA: SectionSpec = section({
  aimem: section({ pageSizeBytes: PAGE_SIZE }),
  aipersist: section({
    pageSizeBytes: PAGE_SIZE,
    checkpoint: section({
      intervalMillis: MILLIS,
      intervalDeviationPercent: integer('must be an integer between 0 and 100', 0, 100),
      checkpointThreads: THREADS,
      compactionThreads: THREADS,
      readLockTimeoutMillis: MILLIS,
      logReadLockThresholdTimeoutMillis: MILLIS,
    }),
    deltaLog: section({
      syncMode: oneOf(SYNC_MODES),
      backgroundSyncIntervalMillis: integer('must be an integer number of milliseconds >= 1', 1, MAX),
      segmentSizeBytes: integer(
        `must be an integer number of bytes >= ${MIN_LOG_SEGMENT_BYTES} (1 MiB)`,
        MIN_LOG_SEGMENT_BYTES,
        MAX,
        true,
      ),
    }),
    throttling: section({
      policy: oneOf(THROTTLING_POLICIES),
      minDirtyRatio: ratio(0.01, 0.75),
      maxDirtyRatio: ratio(0.5, 0.99999),
    }),
  }),
});

export const ENGINE_SPEC = oneOf(ENGINE_NAMES);

/** Profile keys besides `engine` and `name`, per engine, in the order `show` prints them. */
export const PROFILE_SCHEMA: Readonly<Record<EngineName, Readonly<Record<string, LeafSpec>>>> = {
  aimem: keyTable({ initSizeBytes: REGION_SIZE, maxSizeBytes: REGION_SIZE }),
  aipersist: keyTable({ sizeBytes: REGION_SIZE, replacementMode: oneOf(REPLACEMENT_MODES) }),
};

export function isEngineName(value: unknown): value is EngineName {
  return typeof value === 'string' && (ENGINE_NAMES as readonly string[]).includes(value);
}

/** The spec of a profile key of any engine (to type update text before the engine is known), or null. */
export function profileKeySpec(key: string): LeafSpec | null {
  if (key === 'engine') return ENGINE_SPEC;
  for (const engine of ENGINE_NAMES) {
    const spec = PROFILE_SCHEMA[engine][key];
    if (spec !== undefined) return spec;
  }
  return null;
}

/** Valid profile keys of an engine, for "unknown key" messages. */
export function profileKeys(engine: EngineName): string[] {
  return ['engine', 'name', ...Object.keys(PROFILE_SCHEMA[engine])];
}

/** Valid keys of a profile whose engine is unknown: those of every engine. */
export function allProfileKeys(): string[] {
  return [...new Set(ENGINE_NAMES.flatMap((engine) => profileKeys(engine)))];
}

/** A path segment as it appears in a full key: profile names that are not plain words are quoted. */
export function pathSegment(segment: string): string {
  return /^[A-Za-z0-9_-]+$/.test(segment) ? segment : JSON.stringify(segment);
}

export function profilePath(name: string, key?: string): string {
  const base = `${PROFILES_PATH}.${pathSegment(name)}`;
  return key === undefined ? base : `${base}.${key}`;
}

/** How a value appears in a problem message: strings quoted, everything else as written in JSON/JS. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (Array.isArray(value)) return `an array ${safeJson(value)}`;
  return `an object ${safeJson(value)}`;
}

function safeJson(value: unknown): string {
  try {
    const text = JSON.stringify(value) ?? typeof value;
    return text.length > 60 ? `${text.slice(0, 57)}...` : text;
  } catch {
    // Nested too deep for the stack, cyclic, or holding a bigint: String() could fail the same way.
    return '(a value that cannot be shown as JSON, e.g. nested too deeply)';
  }
}

export function leafProblem(key: string, spec: LeafSpec, value: unknown): string {
  return `${key} ${spec.rule}, got ${describeValue(value)}`;
}

export function unknownKeyProblem(key: string, value: unknown, validKeys: readonly string[], where: string): string {
  return `${key} is not a known key (value ${describeValue(value)}); valid keys ${where}: ${validKeys.join(', ')}`;
}
