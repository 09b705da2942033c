/**
 * The resolved configuration in the spec's JSON shape, and selection of a part of it by key path — what
 * `config show [path]` prints. Every call builds fresh objects, so callers may keep or modify them.
 */
import { ConfigValidationError } from '../../domain/shared/errors';
import type { StorageConfig } from './config.model';
import { PROFILES_PATH, pathSegment } from './config-schema';
import { parseKeyPath } from './update-parser';

export function configToDocument(config: StorageConfig): Record<string, unknown> {
  const engines = structuredClone(config.engines) as unknown;
  const profiles = config.profiles.map((profile) => ({ ...profile }));
  return { ignite: { storage: { engines, profiles } } };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The part of the document at `path` (`ignite.storage.engines.aimem`, `ignite.storage.profiles.cache_profile`,
 * `ignite.storage.profiles.cache_profile.maxSizeBytes`); profiles are addressed by name. An unknown path is a
 * ConfigValidationError naming it and the keys valid at that point.
 */
export function selectPath(doc: Record<string, unknown>, path: string): unknown {
  const segments = parseKeyPath(path);
  let node: unknown = doc;
  let at = '';
  for (const segment of segments) {
    const next = child(node, at, segment);
    if (next === undefined) {
      const where = at === '' ? 'at the top level' : `under ${at}`;
      throw new ConfigValidationError([`${path} is not a configuration path: ${where} the keys are ${keysOf(node, at)}`]);
    }
    node = next;
    at = at === '' ? segment : `${at}.${pathSegment(segment)}`;
  }
  return node;
}

function child(node: unknown, at: string, segment: string): unknown {
  if (at === PROFILES_PATH && Array.isArray(node)) {
    return node.find((profile: unknown) => isPlainObject(profile) && profile['name'] === segment);
  }
  return isPlainObject(node) && Object.hasOwn(node, segment) ? node[segment] : undefined;
}

function keysOf(node: unknown, at: string): string {
  if (at === PROFILES_PATH && Array.isArray(node)) {
    return `the profile names ${node.map((p: { name: string }) => pathSegment(p.name)).join(', ')}`;
  }
  if (isPlainObject(node)) return Object.keys(node).join(', ');
  return `none (${at} is a value)`;
}
