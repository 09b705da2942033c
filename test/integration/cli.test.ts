import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli as run } from '../support/run-cli';
import { tempDir } from '../support/temp-dir';

describe('aistorage CLI', () => {
  let dir: { path: string; cleanup(): void };
  beforeEach(() => (dir = tempDir()));
  afterEach(() => dir.cleanup());

  it('config update accepts both forms of the spec verbatim and persists them', async () => {
    const a = await run('config', 'update', 'ignite.storage.engines.aimem.pageSizeBytes=8192', '-w', dir.path);
    expect(a.code).toBe(0);
    expect(a.out).toMatch(/next open/);
    const b = await run('config', 'update', 'ignite.storage.profiles:{cache_profile{engine:aimem,maxSizeBytes:1073741824}}', '-w', dir.path);
    expect(b.code).toBe(0);
    const file = JSON.parse(readFileSync(join(dir.path, 'aistorage.json'), 'utf8'));
    expect(file.ignite.storage.engines.aimem.pageSizeBytes).toBe(8192);
    expect(file.ignite.storage.profiles).toEqual([{ engine: 'aimem', name: 'cache_profile', maxSizeBytes: 1073741824 }]);
  });

  it('config show prints JSON of a path', async () => {
    await run('config', 'update', 'ignite.storage.engines.aipersist.checkpoint.intervalMillis=120000', '-w', dir.path);
    const r = await run('config', 'show', 'ignite.storage.engines.aipersist.checkpoint', '-w', dir.path);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ intervalMillis: 120000, intervalDeviationPercent: 40 });
  });

  it('an invalid update exits 2 with the typed error code and changes nothing', async () => {
    await run('config', 'update', 'ignite.storage.profiles:{a{engine:aimem}}', '-w', dir.path);
    const before = readFileSync(join(dir.path, 'aistorage.json'), 'utf8');
    const r = await run('config', 'update', 'ignite.storage.engines.aimem.pageSizeBytes=3000', '-w', dir.path);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/CONFIG_INVALID.*pageSizeBytes.*power of two.*3000/);
    expect(readFileSync(join(dir.path, 'aistorage.json'), 'utf8')).toBe(before);
  });

  it('stats lists profiles with their sizes, as text and JSON', async () => {
    await run('config', 'update', 'ignite.storage.profiles:{cache_profile{engine:aimem,maxSizeBytes:1GB}}', '-w', dir.path);
    const text = await run('stats', '-w', dir.path);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/cache_profile\s+engine=aimem\s+initSizeBytes=1073741824/);
    const json = await run('stats', '--json', '-w', dir.path);
    expect(JSON.parse(json.out).profiles.map((p: { name: string }) => p.name)).toEqual(['default', 'cache_profile']);
  });

  it('--version prints the package version', async () => {
    const r = await run('--version');
    expect(r.code).toBe(0);
    expect(r.out).toBe(JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')).version);
  });

  it('config remove removes a profile and persists it; unknown and default profiles are refused with their codes', async () => {
    await run('config', 'update', 'ignite.storage.profiles:{a{engine:aimem},b{engine:aimem}}', '-w', dir.path);
    const r = await run('config', 'remove', 'a', '-w', dir.path);
    expect(r.code).toBe(0);
    expect(r.out).toBe('Removed profile a.');
    const file = JSON.parse(readFileSync(join(dir.path, 'aistorage.json'), 'utf8'));
    expect(file.ignite.storage.profiles.map((p: { name: string }) => p.name)).toEqual(['b']);
    const unknown = await run('config', 'remove', 'a', '-w', dir.path);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/PROFILE_NOT_FOUND.*"a" is not defined; defined profiles: default, b/);
    const dflt = await run('config', 'remove', 'default', '-w', dir.path);
    expect(dflt.code).toBe(2);
    expect(dflt.err).toMatch(/CONFIG_INVALID.*default profile always exists/);
  });

  it('config show and stats write nothing to the work dir (they open it read-only)', async () => {
    expect((await run('config', 'show', '-w', dir.path)).code).toBe(0);
    expect((await run('stats', '-w', dir.path)).code).toBe(0);
    expect(readdirSync(dir.path)).toEqual([]);
  });

  it('an update into a directory that can never be created fails fast with WORKDIR_UNUSABLE', async () => {
    const r = await run('config', 'update', 'ignite.storage.profiles:{a{engine:aimem}}', '-w', '/proc/aistorage-x/y');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/WORKDIR_UNUSABLE.*cannot create '\/proc\/aistorage-x'/);
  });

  it('unknown commands exit 2', async () => {
    expect((await run('frobnicate')).code).toBe(2);
  });
});
