import { describe, expect, it } from 'vitest';
import { ConfigService } from '../../../../src/application/config/config-service';
import { InMemoryConfigStore } from '../../../../src/application/config/in-memory-config-store';
import type { SystemInfo } from '../../../../src/domain/ports/system-info.port';
import { ConfigParseError, ConfigValidationError, UnknownProfileError } from '../../../../src/domain/shared/errors';

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

function ram(bytes: number): SystemInfo {
  return { totalMemoryBytes: () => bytes };
}

function open(initial?: unknown, system: SystemInfo = ram(8 * GiB)) {
  const store = new InMemoryConfigStore();
  const service = new ConfigService(store, system, initial);
  return { store, service };
}

describe('defaults', () => {
  it('resolves every engine key to its static default', () => {
    const { service } = open();
    expect(service.latest.engines).toEqual({
      aimem: { pageSizeBytes: 16384 },
      aipersist: {
        pageSizeBytes: 16384,
        checkpoint: {
          intervalMillis: 180000,
          intervalDeviationPercent: 40,
          checkpointThreads: 4,
          compactionThreads: 4,
          readLockTimeoutMillis: 10000,
          logReadLockThresholdTimeoutMillis: 0,
        },
        deltaLog: { syncMode: 'fsync', backgroundSyncIntervalMillis: 100, segmentSizeBytes: 64 * MiB },
        throttling: { policy: 'SPEED_BASED', minDirtyRatio: 0.5, maxDirtyRatio: 0.9 },
      },
    });
  });

  it('always has the aipersist default profile, first', () => {
    const { service } = open({ ignite: { storage: { profiles: [{ engine: 'aimem', name: 'c' }] } } });
    expect(service.latest.profiles.map((p) => p.name)).toEqual(['default', 'c']);
    expect(service.profile('default')).toEqual({ engine: 'aipersist', name: 'default', sizeBytes: Math.floor((8 * GiB) / 5), replacementMode: 'CLOCK' });
  });

  it('sizes regions at 20% of RAM above the 256 MiB floor: 8 GiB -> 1.6 GiB', () => {
    const { service } = open({ ignite: { storage: { profiles: [{ engine: 'aimem', name: 'c' }] } } }, ram(8 * GiB));
    const fifth = Math.floor((8 * GiB) / 5);
    expect(fifth).toBe(1717986918);
    expect(service.profile('default')).toMatchObject({ sizeBytes: fifth });
    expect(service.profile('c')).toEqual({ engine: 'aimem', name: 'c', initSizeBytes: fifth, maxSizeBytes: fifth });
  });

  it('sizes regions at 256 MiB when 20% of RAM is less: 1 GiB -> 256 MiB', () => {
    const { service } = open({ ignite: { storage: { profiles: [{ engine: 'aimem', name: 'c' }] } } }, ram(GiB));
    expect(service.profile('default')).toMatchObject({ sizeBytes: 256 * MiB });
    expect(service.profile('c')).toMatchObject({ initSizeBytes: 256 * MiB, maxSizeBytes: 256 * MiB });
  });

  it('switches at exactly 1280 MiB of RAM (20% = 256 MiB)', () => {
    expect(open(undefined, ram(1280 * MiB)).service.profile('default')).toMatchObject({ sizeBytes: 256 * MiB });
    expect(open(undefined, ram(1280 * MiB + 10)).service.profile('default')).toMatchObject({ sizeBytes: 256 * MiB + 2 });
  });

  it('defaults initSizeBytes to the profile maxSizeBytes', () => {
    const { service } = open();
    service.update('ignite.storage.profiles:{c{engine:aimem,maxSizeBytes:1GB}}');
    expect(service.profile('c')).toEqual({ engine: 'aimem', name: 'c', initSizeBytes: GiB, maxSizeBytes: GiB });
    service.update('ignite.storage.profiles:{d{engine:aimem,initSizeBytes:512MB}}');
    expect(service.profile('d')).toMatchObject({ initSizeBytes: 512 * MiB, maxSizeBytes: Math.floor((8 * GiB) / 5) });
  });

  it('persists only user-set keys, so dynamic defaults follow the machine', () => {
    const { store } = open({ ignite: { storage: { profiles: [{ engine: 'aimem', name: 'c' }] } } }, ram(8 * GiB));
    expect(store.load()).toEqual({ ignite: { storage: { profiles: [{ engine: 'aimem', name: 'c' }] } } });
    const bigger = new ConfigService(store, ram(16 * GiB));
    expect(bigger.profile('c')).toMatchObject({ maxSizeBytes: Math.floor((16 * GiB) / 5) });
  });
});

describe('update: the forms of the spec', () => {
  it('applies ignite.storage.engines.aimem.pageSizeBytes=8192 on the next open', () => {
    const { store, service } = open();
    const result = service.update('ignite.storage.engines.aimem.pageSizeBytes=8192');
    expect(result.changedKeys).toEqual(['ignite.storage.engines.aimem.pageSizeBytes']);
    expect(result.restartRequired).toEqual(['ignite.storage.engines.aimem.pageSizeBytes']);
    expect(result.message).toContain('Engine-level keys take effect on the next open: ignite.storage.engines.aimem.pageSizeBytes');
    expect(service.atOpen.engines.aimem.pageSizeBytes).toBe(16384);
    expect(service.latest.engines.aimem.pageSizeBytes).toBe(8192);
    expect(new ConfigService(store, ram(8 * GiB)).atOpen.engines.aimem.pageSizeBytes).toBe(8192);
  });

  it('applies ignite.storage.engines.aipersist.checkpoint.intervalMillis=120000', () => {
    const { service } = open();
    const result = service.update('ignite.storage.engines.aipersist.checkpoint.intervalMillis=120000');
    expect(result.restartRequired).toEqual(['ignite.storage.engines.aipersist.checkpoint.intervalMillis']);
    expect(service.latest.engines.aipersist.checkpoint.intervalMillis).toBe(120000);
    expect(service.atOpen.engines.aipersist.checkpoint.intervalMillis).toBe(180000);
  });

  it('adds a profile with ignite.storage.profiles:{cache_profile{engine:aimem,maxSizeBytes:1073741824}}, usable at once', () => {
    const { service } = open();
    const result = service.update('ignite.storage.profiles:{cache_profile{engine:aimem,maxSizeBytes:1073741824}}');
    expect(result.changedKeys).toEqual(['ignite.storage.profiles.cache_profile.engine', 'ignite.storage.profiles.cache_profile.maxSizeBytes']);
    expect(result.restartRequired).toEqual([]);
    expect(result.message).toContain('New profiles usable now: cache_profile');
    expect(service.profile('cache_profile')).toEqual({ engine: 'aimem', name: 'cache_profile', initSizeBytes: GiB, maxSizeBytes: GiB });
    expect(service.profiles().map((p) => p.name)).toEqual(['default', 'cache_profile']);
  });

  it('adds several profiles in one string', () => {
    const { service } = open();
    service.update('ignite.storage.profiles:{a{engine:aimem},b{engine:aipersist,sizeBytes:2147483648}}');
    expect(service.profile('a').engine).toBe('aimem');
    expect(service.profile('b')).toEqual({ engine: 'aipersist', name: 'b', sizeBytes: 2 * GiB, replacementMode: 'CLOCK' });
  });

  it('takes quoted values, key:value, several pairs and size suffixes', () => {
    const { service } = open();
    service.update(
      'ignite.storage.engines.aipersist.deltaLog.syncMode="background", ignite.storage.engines.aimem.pageSizeBytes:4KiB ' +
        'ignite.storage.profiles."my profile".engine="aimem" ignite.storage.profiles."my profile".maxSizeBytes="512MB"',
    );
    expect(service.latest.engines.aipersist.deltaLog.syncMode).toBe('background');
    expect(service.latest.engines.aimem.pageSizeBytes).toBe(4096);
    expect(service.profile('my profile')).toMatchObject({ engine: 'aimem', maxSizeBytes: 512 * MiB });
    expect(service.show('ignite.storage.profiles."my profile".maxSizeBytes')).toBe(512 * MiB);
  });

  it('merges keys into an existing profile by block and by path', () => {
    const { service } = open({ ignite: { storage: { profiles: [{ engine: 'aimem', name: 'c', initSizeBytes: 64 * MiB, maxSizeBytes: GiB }] } } });
    service.update('ignite.storage.profiles:{c{maxSizeBytes:2GB}}');
    expect(service.latest.profiles[1]).toEqual({ engine: 'aimem', name: 'c', initSizeBytes: 64 * MiB, maxSizeBytes: 2 * GiB });
    service.update('ignite.storage.profiles.c.initSizeBytes=128MB');
    expect(service.latest.profiles[1]).toMatchObject({ initSizeBytes: 128 * MiB, maxSizeBytes: 2 * GiB });
  });

  it('keeps a profile in use at its open-time settings and says so', () => {
    const { service } = open({ ignite: { storage: { profiles: [{ engine: 'aimem', name: 'c', maxSizeBytes: GiB }] } } });
    const result = service.update('ignite.storage.profiles.c.maxSizeBytes=2147483648');
    expect(result.restartRequired).toEqual(['ignite.storage.profiles.c.maxSizeBytes']);
    expect(result.message).toContain('keep their current settings until the next open');
    expect(service.profile('c')).toMatchObject({ maxSizeBytes: GiB });
    expect(service.show('ignite.storage.profiles.c.maxSizeBytes')).toBe(2 * GiB);
  });

  it('needs no restart when an engine key returns to its open-time value', () => {
    const { service } = open();
    service.update('ignite.storage.engines.aimem.pageSizeBytes=8192');
    const back = service.update('ignite.storage.engines.aimem.pageSizeBytes=16384');
    expect(back.changedKeys).toEqual(['ignite.storage.engines.aimem.pageSizeBytes']);
    expect(back.restartRequired).toEqual([]);
  });

  it('reports an update that changes nothing, and does not write', () => {
    const { store, service } = open();
    service.update('ignite.storage.engines.aimem.pageSizeBytes=8192');
    const saves = store.saveCount;
    const result = service.update('ignite.storage.engines.aimem.pageSizeBytes=8KiB');
    expect(result.changedKeys).toEqual([]);
    expect(result.message).toContain('Nothing changed');
    expect(store.saveCount).toBe(saves);
  });
});

describe('an invalid update changes nothing', () => {
  it.each([
    ['a validation problem', 'ignite.storage.engines.aimem.pageSizeBytes=8192, ignite.storage.engines.aipersist.pageSizeBytes=3000', ConfigValidationError],
    ['a syntax error', 'ignite.storage.engines.aimem.pageSizeBytes=8192, ignite.storage.profiles:{a{engine:aimem}', ConfigParseError],
    ['a problem in a new profile', 'ignite.storage.profiles:{ok{engine:aimem},bad{engine:aimem,maxSizeBytes:1KB}}', ConfigValidationError],
  ])('%s', (_what, text, errorClass) => {
    const { store, service } = open();
    service.update('ignite.storage.engines.aimem.pageSizeBytes=4096');
    const before = { latest: service.latest, shown: service.show(), stored: store.load(), saves: store.saveCount };
    expect(() => service.update(text)).toThrow(errorClass);
    expect(service.latest).toBe(before.latest);
    expect(service.show()).toEqual(before.shown);
    expect(store.load()).toEqual(before.stored);
    expect(store.saveCount).toBe(before.saves);
    expect(service.profiles().map((p) => p.name)).toEqual(['default']);
  });

  it('a failing store leaves memory unchanged', () => {
    const store = new InMemoryConfigStore();
    const service = new ConfigService(store, ram(8 * GiB));
    store.save = () => {
      throw new Error('disk full');
    };
    expect(() => service.update('ignite.storage.profiles:{c{engine:aimem}}')).toThrow('disk full');
    expect(service.latest.profiles).toHaveLength(1);
    expect(() => service.profile('c')).toThrow(UnknownProfileError);
  });
});

describe('initial config given at open', () => {
  it('merges over the stored document, profiles by name, and saves the result', () => {
    const store = new InMemoryConfigStore({
      ignite: { storage: { engines: { aimem: { pageSizeBytes: 4096 } }, profiles: [{ engine: 'aimem', name: 'c', maxSizeBytes: GiB }] } },
    });
    const service = new ConfigService(store, ram(8 * GiB), {
      ignite: { storage: { engines: { aipersist: { pageSizeBytes: 8192 } }, profiles: [{ engine: 'aimem', name: 'c', initSizeBytes: 64 * MiB }, { engine: 'aipersist', name: 'p' }] } },
    });
    expect(service.atOpen.engines.aimem.pageSizeBytes).toBe(4096);
    expect(service.atOpen.engines.aipersist.pageSizeBytes).toBe(8192);
    expect(service.profile('c')).toMatchObject({ initSizeBytes: 64 * MiB, maxSizeBytes: GiB });
    expect(store.load()).toEqual({
      ignite: {
        storage: {
          engines: { aimem: { pageSizeBytes: 4096 }, aipersist: { pageSizeBytes: 8192 } },
          profiles: [{ engine: 'aimem', name: 'c', maxSizeBytes: GiB, initSizeBytes: 64 * MiB }, { engine: 'aipersist', name: 'p' }],
        },
      },
    });
  });

  it('does not save when the initial config changes nothing stored', () => {
    const stored = { ignite: { storage: { engines: { aimem: { pageSizeBytes: 4096 } } } } };
    const store = new InMemoryConfigStore(stored);
    new ConfigService(store, ram(8 * GiB), { ignite: { storage: { engines: { aimem: { pageSizeBytes: 4096 } } } } });
    expect(store.saveCount).toBe(0);
  });

  it('refuses an invalid initial config and saves nothing', () => {
    const store = new InMemoryConfigStore();
    expect(() => new ConfigService(store, ram(8 * GiB), { ignite: { storage: { engines: { aimem: { pageSizeBytes: 3 } } } } })).toThrow(
      ConfigValidationError,
    );
    expect(store.saveCount).toBe(0);
    expect(store.load()).toBeNull();
  });
});

describe('show', () => {
  const { service } = open({ ignite: { storage: { profiles: [{ engine: 'aimem', name: 'cache_profile', maxSizeBytes: GiB }] } } });

  it('shows the whole configuration in the spec shape', () => {
    const shown = service.show() as { ignite: { storage: { engines: unknown; profiles: unknown[] } } };
    expect(Object.keys(shown.ignite.storage)).toEqual(['engines', 'profiles']);
    expect(shown.ignite.storage.profiles).toHaveLength(2);
  });

  it('shows a section, a profile and a single key', () => {
    expect(service.show('ignite.storage.engines.aimem')).toEqual({ pageSizeBytes: 16384 });
    expect(service.show('ignite.storage.profiles.cache_profile')).toEqual({ engine: 'aimem', name: 'cache_profile', initSizeBytes: GiB, maxSizeBytes: GiB });
    expect(service.show('ignite.storage.engines.aimem.pageSizeBytes')).toBe(16384);
    expect(service.show('ignite.storage.engines.aipersist.checkpoint')).toMatchObject({ intervalMillis: 180000 });
  });

  it('returns copies that cannot change the configuration', () => {
    const section = service.show('ignite.storage.engines.aimem') as { pageSizeBytes: number };
    section.pageSizeBytes = 1;
    expect(service.show('ignite.storage.engines.aimem.pageSizeBytes')).toBe(16384);
  });

  it('names an unknown path and the keys valid there', () => {
    let caught: unknown;
    try {
      service.show('ignite.storage.engines.rocksdb');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigValidationError);
    expect((caught as ConfigValidationError).code).toBe('CONFIG_INVALID');
    expect((caught as Error).message).toContain('ignite.storage.engines.rocksdb is not a configuration path');
    expect((caught as Error).message).toContain('aimem, aipersist');
    expect(() => service.show('ignite.storage.profiles.nope')).toThrow('the profile names default, cache_profile');
    expect(() => service.show('ignite.storage.engines.aimem.pageSizeBytes.x')).toThrow('is a value');
  });
});

describe('profiles', () => {
  it('throws UnknownProfileError listing the defined names', () => {
    const { service } = open({ ignite: { storage: { profiles: [{ engine: 'aimem', name: 'c' }] } } });
    let caught: unknown;
    try {
      service.profile('missing');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UnknownProfileError);
    expect((caught as UnknownProfileError).code).toBe('PROFILE_NOT_FOUND');
    expect((caught as Error).message).toContain('"missing"');
    expect((caught as Error).message).toContain('defined profiles: default, c');
  });
});
