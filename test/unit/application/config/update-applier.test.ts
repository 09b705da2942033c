import { describe, expect, it } from 'vitest';
import { emptyRaw, rawToDocument, type RawConfig } from '../../../../src/application/config/raw-config';
import { applyUpdate } from '../../../../src/application/config/update-applier';
import { parseUpdate } from '../../../../src/application/config/update-parser';

function apply(text: string, raw: RawConfig = emptyRaw()): { raw: RawConfig; problems: string[] } {
  const problems: string[] = [];
  applyUpdate(raw, parseUpdate(text), problems);
  return { raw, problems };
}

describe('applying updates to the raw configuration', () => {
  it('types engine values by their key and lets a later entry win', () => {
    const { raw, problems } = apply('ignite.storage.engines.aimem.pageSizeBytes=8192, ignite.storage.engines.aimem.pageSizeBytes=4KiB');
    expect(problems).toEqual([]);
    expect(raw.engines.get('aimem.pageSizeBytes')).toBe(4096);
  });

  it('treats nested blocks like dotted keys', () => {
    const { raw } = apply('{ignite{storage{engines{aipersist{checkpoint{intervalMillis=5000}}}}}}');
    expect(raw.engines.get('aipersist.checkpoint.intervalMillis')).toBe(5000);
  });

  it('stores profile keys typed, with the engine', () => {
    const { raw, problems } = apply('ignite.storage.profiles:{c{engine:aimem,maxSizeBytes:1GB}}');
    expect(problems).toEqual([]);
    expect(rawToDocument(raw)).toEqual({ ignite: { storage: { profiles: [{ engine: 'aimem', name: 'c', maxSizeBytes: 1024 ** 3 }] } } });
  });

  it('accepts a name equal to the block key and refuses another', () => {
    expect(apply('ignite.storage.profiles:{c{name:c,engine:aimem}}').problems).toEqual([]);
    const { problems, raw } = apply('ignite.storage.profiles.c.name=d');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('ignite.storage.profiles.c.name cannot differ from the key of its block "c"');
    expect(problems[0]).toContain('got "d"');
    expect(raw.profiles.has('d')).toBe(false);
  });

  it('refuses paths below a profile key and below an engine key', () => {
    const profile = apply('ignite.storage.profiles:{c{engine:aimem}} ignite.storage.profiles.c.maxSizeBytes.x=1').problems;
    expect(profile).toEqual([
      'ignite.storage.profiles.c.maxSizeBytes.x is not a known key (value "1"); valid keys of a profile: engine, name, initSizeBytes, maxSizeBytes',
    ]);
    const engine = apply('ignite.storage.engines.aimem.pageSizeBytes.x=1').problems;
    expect(engine[0]).toContain('ignite.storage.engines.aimem.pageSizeBytes is a value, not a section');
  });

  it('treats empty blocks as naming a section or a profile only', () => {
    const { raw, problems } = apply('ignite.storage{} ignite.storage.engines.aimem{} ignite.storage.profiles:{p{}}');
    expect(problems).toEqual([]);
    expect(raw.engines.size).toBe(0);
    expect([...raw.profiles.keys()]).toEqual(['p']);
  });

  it('names the key and the valid keys when a top-level key is wrong', () => {
    expect(apply('storage.engines.aimem.pageSizeBytes=8192').problems).toEqual([
      'storage is not a known key (value "8192"); valid keys at the top level: ignite',
    ]);
  });
});
