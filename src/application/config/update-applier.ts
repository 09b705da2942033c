/**
 * Applies parsed update entries to a copy of the raw configuration. Blocks are flattened (`a:{b{c:1}}` sets
 * `a.b.c`); each leaf is routed by the schema: engine keys are typed from their text and stored, profile keys
 * merge into the named profile (creating it). Problems are collected, never thrown: the caller validates the
 * result as a whole and discards it if anything is wrong, so an invalid update changes nothing.
 */
import {
  ENGINES_PATH,
  allProfileKeys,
  ENGINES_SCHEMA,
  PROFILES_PATH,
  describeValue,
  isEngineName,
  leafProblem,
  profileKeySpec,
  profileKeys,
  profilePath,
  unknownKeyProblem,
  type SchemaNode,
} from './config-schema';
import { valueFromText } from './config-value-text';
import { setProfileValue, touchProfile, type RawConfig } from './raw-config';
import type { UpdateEntry, UpdateValue } from './update-parser';

/** A leaf of the flattened update: text, or an empty block (which only names a section or profile). */
type Leaf = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'empty' };

const EMPTY: Leaf = { kind: 'empty' };

export function applyUpdate(raw: RawConfig, entries: readonly UpdateEntry[], problems: string[]): void {
  const blocks = new Set<string>();
  for (const entry of entries) visit(raw, [], entry, problems, blocks);
}

/**
 * `blocks` holds the names of the profiles defined by a block so far in this update: a second block of the same
 * name is a mistake (two definitions, one would silently win), while dotted keys of one profile may repeat.
 */
function visit(raw: RawConfig, prefix: readonly string[], entry: UpdateEntry, problems: string[], blocks: Set<string>): void {
  const key = [...prefix, ...entry.key];
  const value: UpdateValue = entry.value;
  if (value.kind === 'text') return assign(raw, key, value, problems);
  if (key.length === 4 && key.slice(0, 3).join('.') === PROFILES_PATH) {
    const name = key[3]!;
    if (blocks.has(name)) {
      return void problems.push(
        `${profilePath(name)} is defined twice in this update (profile names must be unique); merge the two blocks into one`,
      );
    }
    blocks.add(name);
  }
  if (value.entries.length === 0) return assign(raw, key, EMPTY, problems);
  for (const child of value.entries) visit(raw, key, child, problems, blocks);
}

function shown(leaf: Leaf): string {
  return leaf.kind === 'text' ? describeValue(leaf.text) : '{}';
}

function assign(raw: RawConfig, key: readonly string[], leaf: Leaf, problems: string[]): void {
  const roots: readonly [string, readonly string[]][] = [
    ['', ['ignite']],
    ['ignite', ['storage']],
    ['ignite.storage', ['engines', 'profiles']],
  ];
  for (let depth = 0; depth < roots.length; depth++) {
    const [path, valid] = roots[depth]!;
    if (key.length === depth) return sectionGotLeaf(path, valid, leaf, problems);
    if (!valid.includes(key[depth]!)) {
      const full = key.slice(0, depth + 1).join('.');
      return void problems.push(unknownKeyProblem(full, textOf(leaf), valid, depth === 0 ? 'at the top level' : `under ${path}`));
    }
  }
  if (key[2] === 'engines') assignEngine(raw, key.slice(3), leaf, problems);
  else assignProfile(raw, key.slice(3), leaf, problems);
}

function textOf(leaf: Leaf): unknown {
  return leaf.kind === 'text' ? leaf.text : {};
}

/** A section named with a value instead of a block: an error, unless it was an empty block (a no-op). */
function sectionGotLeaf(path: string, valid: readonly string[], leaf: Leaf, problems: string[]): void {
  if (leaf.kind === 'text') {
    problems.push(`${path} is a section with keys ${valid.join(', ')}, not a value, got ${shown(leaf)}`);
  }
}

function assignEngine(raw: RawConfig, rel: readonly string[], leaf: Leaf, problems: string[]): void {
  let node: SchemaNode = ENGINES_SCHEMA;
  let path = ENGINES_PATH;
  for (const segment of rel) {
    if (node.kind === 'leaf') {
      return void problems.push(`${path} is a value, not a section; ${path}.${segment} does not exist (got ${shown(leaf)})`);
    }
    const child: SchemaNode | undefined = node.keys[segment];
    if (child === undefined) {
      return void problems.push(unknownKeyProblem(`${path}.${segment}`, textOf(leaf), Object.keys(node.keys), `under ${path}`));
    }
    node = child;
    path = `${path}.${segment}`;
  }
  if (node.kind === 'section') return sectionGotLeaf(path, Object.keys(node.keys), leaf, problems);
  if (leaf.kind === 'empty') return void problems.push(leafProblem(path, node, {}));
  raw.engines.set(rel.join('.'), valueFromText(node, leaf.text));
}

function assignProfile(raw: RawConfig, rel: readonly string[], leaf: Leaf, problems: string[]): void {
  if (rel.length === 0) {
    const example = `${PROFILES_PATH}:{name{engine:aimem}}`;
    if (leaf.kind === 'text') problems.push(`${PROFILES_PATH} must be a block of named profiles like ${example}, got ${shown(leaf)}`);
    return;
  }
  const name = rel[0]!;
  if (rel.length === 1) {
    if (leaf.kind === 'empty') touchProfile(raw, name);
    else problems.push(`${profilePath(name)} must be a profile block like {engine:aimem,maxSizeBytes:1GB}, got ${shown(leaf)}`);
    return;
  }
  const key = rel.slice(1).join('.');
  if (rel.length > 2 || leaf.kind === 'empty') {
    const engine = raw.profiles.get(name)?.get('engine');
    const valid = isEngineName(engine) ? profileKeys(engine) : allProfileKeys();
    const why = leaf.kind === 'empty' && rel.length === 2 ? 'is a value, not a block' : 'is not a known key';
    problems.push(`${profilePath(name, key)} ${why} (value ${shown(leaf)}); valid keys of a profile: ${valid.join(', ')}`);
    return;
  }
  if (key !== 'name') {
    setProfileValue(raw, name, key, valueFromText(profileKeySpec(key), leaf.text), problems);
  } else if (leaf.text === name) {
    touchProfile(raw, name);
  } else {
    const rule = `cannot differ from the key of its block ${describeValue(name)} (define a new profile to rename)`;
    problems.push(`${profilePath(name, 'name')} ${rule}, got ${shown(leaf)}`);
  }
}
