import { describe, expect, it } from 'vitest';
import { ConfigService } from '../../../../src/application/config/config-service';
import { InMemoryConfigStore } from '../../../../src/application/config/in-memory-config-store';
import { ConfigValidationError } from '../../../../src/domain/shared/errors';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;
const RAM_8G = { totalMemoryBytes: () => 8 * GiB };

/** A `{ignite:{storage:...}}` document. */
function doc(storage: Record<string, unknown>): unknown {
  return { ignite: { storage } };
}

function open(initial?: unknown): ConfigService {
  return new ConfigService(new InMemoryConfigStore(), RAM_8G, initial);
}

function update(text: string): void {
  open().update(text);
}

/** Runs fn, expects a ConfigValidationError, returns the problem line that mentions `key`. */
function problemFor(fn: () => unknown, key: string): string {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ConfigValidationError);
  const error = caught as ConfigValidationError;
  expect(error.code).toBe('CONFIG_INVALID');
  const line = error.problems.find((p) => p.startsWith(key));
  expect(line, `problems: ${JSON.stringify(error.problems)}`).toBeDefined();
  expect(error.message).toContain(line!);
  return line!;
}

/** The problem names the key, the value and the rule. */
function expectRule(fn: () => unknown, key: string, value: string, rule: string): void {
  const line = problemFor(fn, key);
  expect(line).toContain(`got ${value}`);
  expect(line).toContain(rule);
}

describe('validation: page size', () => {
  const rule = 'must be a power of two between 1024 and 16384';

  it('rejects a page size that is not a power of two', () => {
    expect(() => update('ignite.storage.engines.aimem.pageSizeBytes=3000')).toThrow(
      'ignite.storage.engines.aimem.pageSizeBytes must be a power of two between 1024 and 16384, got 3000',
    );
    expectRule(() => update('ignite.storage.engines.aimem.pageSizeBytes=3000'), 'ignite.storage.engines.aimem.pageSizeBytes', '3000', rule);
  });

  it('rejects powers of two outside 1024..16384 and accepts both ends', () => {
    const key = 'ignite.storage.engines.aipersist.pageSizeBytes';
    expectRule(() => open(doc({ engines: { aipersist: { pageSizeBytes: 512 } } })), key, '512', rule);
    expectRule(() => open(doc({ engines: { aipersist: { pageSizeBytes: 32768 } } })), key, '32768', rule);
    expect(open(doc({ engines: { aipersist: { pageSizeBytes: 1024 } } })).latest.engines.aipersist.pageSizeBytes).toBe(1024);
    expect(open(doc({ engines: { aipersist: { pageSizeBytes: 16384 } } })).latest.engines.aipersist.pageSizeBytes).toBe(16384);
  });
});

describe('validation: region sizes', () => {
  it('rejects initSizeBytes above maxSizeBytes', () => {
    const initial = doc({ profiles: [{ engine: 'aimem', name: 'c', initSizeBytes: 2 * GiB, maxSizeBytes: GiB }] });
    expectRule(() => open(initial), 'ignite.storage.profiles.c.initSizeBytes', String(2 * GiB), `must not exceed maxSizeBytes (${GiB})`);
  });

  it('rejects initSizeBytes above the dynamic default of maxSizeBytes, naming that default', () => {
    const initial = doc({ profiles: [{ engine: 'aimem', name: 'c', initSizeBytes: 2 * GiB }] });
    const line = problemFor(() => open(initial), 'ignite.storage.profiles.c.initSizeBytes');
    expect(line).toContain(`must not exceed maxSizeBytes (${Math.floor((8 * GiB) / 5)}, its default max(256 MiB, 20% of physical RAM))`);
    expect(line).toContain(`got ${2 * GiB}`);
  });

  it.each(['initSizeBytes', 'maxSizeBytes'])('rejects aimem %s below 10 MiB and accepts exactly 10 MiB', (key) => {
    const rule = 'must be an integer number of bytes between 10485760 (10 MiB) and 2199023255552 (2 TiB)';
    const tooSmall = doc({ profiles: [{ engine: 'aimem', name: 'c', initSizeBytes: 10 * MiB, maxSizeBytes: 10 * MiB, [key]: 10 * MiB - 1 }] });
    expectRule(() => open(tooSmall), `ignite.storage.profiles.c.${key}`, String(10 * MiB - 1), rule);
    const ok = open(doc({ profiles: [{ engine: 'aimem', name: 'c', initSizeBytes: 10 * MiB, maxSizeBytes: 10 * MiB }] }));
    expect(ok.profile('c')).toEqual({ engine: 'aimem', name: 'c', initSizeBytes: 10 * MiB, maxSizeBytes: 10 * MiB });
  });

  it('rejects aipersist sizeBytes below 10 MiB', () => {
    expectRule(
      () => update('ignite.storage.profiles:{p{engine:aipersist,sizeBytes:1MB}}'),
      'ignite.storage.profiles.p.sizeBytes',
      String(MiB),
      'between 10485760 (10 MiB) and 2199023255552 (2 TiB)',
    );
  });

  it('rejects a delta log segment below 1 MiB', () => {
    expectRule(
      () => update('ignite.storage.engines.aipersist.deltaLog.segmentSizeBytes=4KiB'),
      'ignite.storage.engines.aipersist.deltaLog.segmentSizeBytes',
      '4096',
      '>= 1048576 (1 MiB)',
    );
  });
});

describe('validation: profiles', () => {
  it('rejects an unknown engine', () => {
    expectRule(
      () => open(doc({ profiles: [{ engine: 'rocksdb', name: 'r' }] })),
      'ignite.storage.profiles.r.engine',
      '"rocksdb"',
      'must be one of aimem, aipersist',
    );
  });

  it('rejects a duplicate profile name', () => {
    const initial = doc({ profiles: [{ engine: 'aimem', name: 'a' }, { engine: 'aipersist', name: 'a' }] });
    expectRule(() => open(initial), 'ignite.storage.profiles[1].name', '"a"', 'profile names must be unique');
    const line = problemFor(() => open(initial), 'ignite.storage.profiles[1].name');
    expect(line).toContain('must differ from the name of ignite.storage.profiles[0]');
  });

  it('rejects a profile without a name, or with an empty one', () => {
    expectRule(() => open(doc({ profiles: [{ engine: 'aimem' }] })), 'ignite.storage.profiles[0].name', 'nothing', 'every profile needs a name');
    expectRule(() => open(doc({ profiles: [{ engine: 'aimem', name: '' }] })), 'ignite.storage.profiles.""', '""', 'must be a non-empty string');
  });

  it('rejects a profile without an engine (JSON and update)', () => {
    const rule = 'every profile needs an engine, aimem or aipersist';
    expectRule(() => open(doc({ profiles: [{ name: 'p', sizeBytes: GiB }] })), 'ignite.storage.profiles.p.engine', 'nothing', rule);
    expectRule(() => update('ignite.storage.profiles:{p{maxSizeBytes:1GB}}'), 'ignite.storage.profiles.p.engine', 'nothing', rule);
  });

  it('keeps the default profile on aipersist', () => {
    const rule = 'must be aipersist (the default profile always uses aipersist)';
    expectRule(() => open(doc({ profiles: [{ engine: 'aimem', name: 'default' }] })), 'ignite.storage.profiles.default.engine', '"aimem"', rule);
    expectRule(() => update('ignite.storage.profiles.default.engine=aimem'), 'ignite.storage.profiles.default.engine', '"aimem"', rule);
  });

  it("refuses to change an existing profile's engine", () => {
    const service = open(doc({ profiles: [{ engine: 'aimem', name: 'c' }] }));
    expectRule(
      () => service.update('ignite.storage.profiles:{c{engine:aipersist}}'),
      'ignite.storage.profiles.c.engine',
      '"aipersist"',
      'cannot change from "aimem"',
    );
    const store = new InMemoryConfigStore(doc({ profiles: [{ engine: 'aimem', name: 'c' }] }));
    const initial = doc({ profiles: [{ engine: 'aipersist', name: 'c' }] });
    expectRule(() => new ConfigService(store, RAM_8G, initial), 'ignite.storage.profiles.c.engine', '"aipersist"', 'a profile keeps its engine');
  });

  it('rejects an unknown replacementMode', () => {
    expectRule(
      () => update('ignite.storage.profiles.default.replacementMode=LRU'),
      'ignite.storage.profiles.default.replacementMode',
      '"LRU"',
      'must be one of CLOCK, SEGMENTED_LRU, RANDOM_LRU',
    );
  });
});

describe('validation: unknown keys name the key and list the valid ones', () => {
  it('in an engine section', () => {
    const line = problemFor(() => update('ignite.storage.engines.aimem.pageSize=8192'), 'ignite.storage.engines.aimem.pageSize');
    expect(line).toContain('is not a known key (value "8192")');
    expect(line).toContain('valid keys under ignite.storage.engines.aimem: pageSizeBytes');
    const nested = problemFor(
      () => open(doc({ engines: { aipersist: { checkpoint: { interval: 5 } } } })),
      'ignite.storage.engines.aipersist.checkpoint.interval',
    );
    expect(nested).toContain('(value 5)');
    expect(nested).toContain('intervalMillis, intervalDeviationPercent, checkpointThreads');
  });

  it('in a profile, listing the keys of its engine', () => {
    const line = problemFor(() => update('ignite.storage.profiles:{c{engine:aimem,sizeBytes:1GB}}'), 'ignite.storage.profiles.c.sizeBytes');
    expect(line).toContain(`is not a known key (value ${GiB})`);
    expect(line).toContain('valid keys of an aimem profile: engine, name, initSizeBytes, maxSizeBytes');
    const json = problemFor(() => open(doc({ profiles: [{ engine: 'aipersist', name: 'p', colour: 'red' }] })), 'ignite.storage.profiles.p.colour');
    expect(json).toContain('valid keys of an aipersist profile: engine, name, sizeBytes, replacementMode');
  });

  it('at the top and in the storage section', () => {
    expect(problemFor(() => open({ ignition: {} }), 'ignition')).toContain('valid keys at the top level: ignite');
    expect(problemFor(() => update('ignite.store.x=1'), 'ignite.store')).toContain('valid keys under ignite: storage');
    expect(problemFor(() => open(doc({ regions: [] })), 'ignite.storage.regions')).toContain('valid keys under ignite.storage: engines, profiles');
  });
});

describe('validation: types and ranges of engine keys', () => {
  const PAGE = 'ignite.storage.engines.aimem.pageSizeBytes';
  const CP = 'ignite.storage.engines.aipersist.checkpoint';

  it('rejects a string where a number is expected', () => {
    expectRule(() => open(doc({ engines: { aimem: { pageSizeBytes: '8192' } } })), PAGE, '"8192"', 'must be a power of two');
    expectRule(() => update(`${PAGE}=big`), PAGE, '"big"', 'must be a power of two');
  });

  it('rejects fractions', () => {
    expectRule(() => update(`${CP}.intervalMillis=1.5`), `${CP}.intervalMillis`, '1.5', 'must be an integer number of milliseconds >= 0');
    expectRule(() => open(doc({ engines: { aipersist: { checkpoint: { checkpointThreads: 2.5 } } } })), `${CP}.checkpointThreads`, '2.5', 'must be an integer >= 1');
  });

  it('rejects NaN and booleans', () => {
    expectRule(() => open(doc({ engines: { aipersist: { checkpoint: { intervalMillis: NaN } } } })), `${CP}.intervalMillis`, 'NaN', 'must be an integer');
    expectRule(() => update(`${CP}.compactionThreads=true`), `${CP}.compactionThreads`, 'true', 'must be an integer >= 1');
    expectRule(() => open(doc({ engines: { aimem: { pageSizeBytes: false } } })), PAGE, 'false', 'must be a power of two');
  });

  it('rejects negative intervals', () => {
    expectRule(() => update(`${CP}.intervalMillis=-1`), `${CP}.intervalMillis`, '-1', '>= 0');
    expectRule(() => update(`${CP}.readLockTimeoutMillis=-10`), `${CP}.readLockTimeoutMillis`, '-10', '>= 0');
    expectRule(() => update(`${CP}.logReadLockThresholdTimeoutMillis=-1`), `${CP}.logReadLockThresholdTimeoutMillis`, '-1', '>= 0');
    const bg = 'ignite.storage.engines.aipersist.deltaLog.backgroundSyncIntervalMillis';
    expectRule(() => update(`${bg}=0`), bg, '0', 'must be an integer number of milliseconds >= 1');
  });

  it('rejects thread counts below 1', () => {
    expectRule(() => update(`${CP}.checkpointThreads=0`), `${CP}.checkpointThreads`, '0', 'must be an integer >= 1');
    expectRule(() => update(`${CP}.compactionThreads=-2`), `${CP}.compactionThreads`, '-2', 'must be an integer >= 1');
  });

  it('keeps intervalDeviationPercent within 0..100', () => {
    const key = `${CP}.intervalDeviationPercent`;
    expectRule(() => update(`${key}=101`), key, '101', 'must be an integer between 0 and 100');
    expectRule(() => update(`${key}=-1`), key, '-1', 'must be an integer between 0 and 100');
    const service = open();
    service.update(`${key}=0`);
    expect(service.latest.engines.aipersist.checkpoint.intervalDeviationPercent).toBe(0);
    service.update(`${key}=100`);
    expect(service.latest.engines.aipersist.checkpoint.intervalDeviationPercent).toBe(100);
  });

  it('rejects an unknown syncMode', () => {
    const key = 'ignite.storage.engines.aipersist.deltaLog.syncMode';
    expectRule(() => update(`${key}=sometimes`), key, '"sometimes"', 'must be one of fsync, background, none');
    expectRule(() => update(`${key}=FSYNC`), key, '"FSYNC"', 'must be one of fsync, background, none');
  });

  it('throttling: a policy of SPEED_BASED, TARGET_RATIO, DISABLED; ratios in their ranges; min below max', () => {
    const T = 'ignite.storage.engines.aipersist.throttling';
    expectRule(() => update(`${T}.policy=FAST`), `${T}.policy`, '"FAST"', 'must be one of SPEED_BASED, TARGET_RATIO, DISABLED');
    expectRule(() => update(`${T}.minDirtyRatio=0.01`), `${T}.minDirtyRatio`, '0.01', 'must be a number greater than 0.01 and at most 0.75');
    expectRule(() => update(`${T}.minDirtyRatio=0.8`), `${T}.minDirtyRatio`, '0.8', 'at most 0.75');
    expectRule(() => update(`${T}.maxDirtyRatio=0.5`), `${T}.maxDirtyRatio`, '0.5', 'must be a number greater than 0.5 and at most 0.99999');
    expectRule(() => update(`${T}.maxDirtyRatio=1`), `${T}.maxDirtyRatio`, '1', 'at most 0.99999');
    expectRule(() => update(`${T}.maxDirtyRatio=high`), `${T}.maxDirtyRatio`, '"high"', 'must be a number');
    expectRule(() => open(doc({ engines: { aipersist: { throttling: { minDirtyRatio: 0.7, maxDirtyRatio: 0.6 } } } })), `${T}.minDirtyRatio`, '0.7', 'must be below maxDirtyRatio (0.6)');
    const service = open();
    service.update(`${T}{policy=TARGET_RATIO, minDirtyRatio=0.25, maxDirtyRatio=0.95}`);
    expect(service.latest.engines.aipersist.throttling).toEqual({ policy: 'TARGET_RATIO', minDirtyRatio: 0.25, maxDirtyRatio: 0.95 });
    service.update(`${T}.policy=DISABLED`);
    expect(service.latest.engines.aipersist.throttling.policy).toBe('DISABLED');
  });

  it('rejects a section given a value and a value given a block', () => {
    expect(problemFor(() => update('ignite.storage.engines.aimem=5'), 'ignite.storage.engines.aimem')).toContain('is a section with keys pageSizeBytes');
    expectRule(() => update(`${PAGE}{}`), PAGE, 'an object {}', 'must be a power of two');
    expect(problemFor(() => update('ignite.storage.profiles=x'), 'ignite.storage.profiles')).toContain('must be a block of named profiles');
    expect(problemFor(() => open(doc({ profiles: {} })), 'ignite.storage.profiles')).toContain('must be an array of profiles');
  });
});

describe('validation: all problems at once', () => {
  it('collects every violated rule into one error', () => {
    let caught: unknown;
    try {
      update('ignite.storage.engines.aimem.pageSizeBytes=3000, ignite.storage.engines.aipersist.checkpoint.checkpointThreads=0, ignite.storage.profiles:{x{engine:nope}}');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigValidationError);
    const error = caught as ConfigValidationError;
    expect(error.problems).toHaveLength(3);
    expect(error.message).toContain('3 configuration problems');
  });
});
