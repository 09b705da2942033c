import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigService } from '../../../../src/application/config/config-service';
import { ConfigParseError, ConfigValidationError, StorageIoError } from '../../../../src/domain/shared/errors';
import { JsonFileConfigStore } from '../../../../src/infrastructure/config/json-file-config-store';
import { NodeFileIo } from '../../../../src/infrastructure/fs/node-file-io';
import { tempDir } from '../../../support/temp-dir';

const GiB = 1024 ** 3;
const RAM = { totalMemoryBytes: () => 8 * GiB };

let tmp: { readonly path: string; cleanup(): void };
let dir: string;
let file: string;

beforeEach(() => {
  tmp = tempDir('aistorage-config-');
  dir = tmp.path;
  file = path.join(dir, 'aistorage.json');
});

afterEach(() => {
  tmp.cleanup();
});

describe('JsonFileConfigStore', () => {
  it('loads null when the file does not exist', () => {
    expect(new JsonFileConfigStore(file).load()).toBeNull();
  });

  it('saves pretty JSON atomically, leaving no .tmp, and loads it back', () => {
    const store = new JsonFileConfigStore(file);
    const document = { ignite: { storage: { engines: { aimem: { pageSizeBytes: 8192 } } } } };
    store.save(document);
    expect(fs.readdirSync(dir)).toEqual(['aistorage.json']);
    expect(fs.readFileSync(file, 'utf8')).toBe(`${JSON.stringify(document, null, 2)}\n`);
    expect(new JsonFileConfigStore(file).load()).toEqual(document);
    store.save({ ignite: { storage: {} } });
    expect(fs.readdirSync(dir)).toEqual(['aistorage.json']);
    expect(store.load()).toEqual({ ignite: { storage: {} } });
  });

  it('ignores and overwrites a .tmp left by a crash', () => {
    fs.writeFileSync(`${file}.tmp`, '{"half":');
    const store = new JsonFileConfigStore(file);
    expect(store.load()).toBeNull();
    store.save({ ignite: { storage: {} } });
    expect(fs.readdirSync(dir)).toEqual(['aistorage.json']);
  });

  it('reports a corrupt file as ConfigParseError naming the file and what to do', () => {
    fs.writeFileSync(file, '{"ignite": {"storage": ');
    let caught: unknown;
    try {
      new JsonFileConfigStore(file).load();
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigParseError);
    expect((caught as ConfigParseError).code).toBe('CONFIG_PARSE');
    expect((caught as Error).message).toContain(file);
    expect((caught as Error).message).toContain('is not valid JSON');
    expect((caught as Error).message).toContain('Fix the file');
  });

  it('reports an unreadable path as ConfigParseError', () => {
    fs.mkdirSync(file);
    expect(() => new JsonFileConfigStore(file).load()).toThrow(ConfigParseError);
    expect(() => new JsonFileConfigStore(file).load()).toThrow(`Cannot read configuration file ${file}`);
  });

  it('reports a failed save as StorageIoError and keeps the previous file', () => {
    const store = new JsonFileConfigStore(file);
    store.save({ ignite: { storage: {} } });
    // The same file through a FileIo whose rename fails as on a full disk.
    const failing = new JsonFileConfigStore(
      file,
      new (class extends NodeFileIo {
        override rename(): void {
          throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
        }
      })(),
    );
    expect(() => failing.save({ ignite: { storage: { engines: {} } } })).toThrow(StorageIoError);
    expect(store.load()).toEqual({ ignite: { storage: {} } });
    expect(fs.readdirSync(dir)).toEqual(['aistorage.json']); // the temp file is removed
  });
});

describe('ConfigService on a JSON file', () => {
  it('keeps updates across a new service on the same file', () => {
    const first = new ConfigService(new JsonFileConfigStore(file), RAM);
    first.update('ignite.storage.engines.aipersist.checkpoint.intervalMillis=120000');
    first.update('ignite.storage.profiles:{cache_profile{engine:aimem,maxSizeBytes:1073741824}}');
    const second = new ConfigService(new JsonFileConfigStore(file), RAM);
    expect(second.atOpen.engines.aipersist.checkpoint.intervalMillis).toBe(120000);
    expect(second.profile('cache_profile')).toEqual({ engine: 'aimem', name: 'cache_profile', initSizeBytes: GiB, maxSizeBytes: GiB });
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({
      ignite: {
        storage: {
          engines: { aipersist: { checkpoint: { intervalMillis: 120000 } } },
          profiles: [{ engine: 'aimem', name: 'cache_profile', maxSizeBytes: GiB }],
        },
      },
    });
    expect(fs.readdirSync(dir)).toEqual(['aistorage.json']);
  });

  it('leaves the file untouched when an update is invalid', () => {
    const service = new ConfigService(new JsonFileConfigStore(file), RAM);
    service.update('ignite.storage.engines.aimem.pageSizeBytes=8192');
    const before = fs.readFileSync(file, 'utf8');
    const mtime = fs.statSync(file).mtimeMs;
    expect(() => service.update('ignite.storage.engines.aimem.pageSizeBytes=4096 ignite.storage.profiles.default.engine=aimem')).toThrow(
      ConfigValidationError,
    );
    expect(fs.readFileSync(file, 'utf8')).toBe(before);
    expect(fs.statSync(file).mtimeMs).toBe(mtime);
    expect(fs.readdirSync(dir)).toEqual(['aistorage.json']);
  });

  it('refuses to open on a corrupt file', () => {
    fs.writeFileSync(file, 'not json');
    expect(() => new ConfigService(new JsonFileConfigStore(file), RAM)).toThrow(ConfigParseError);
  });

  it('refuses to open on a hand-edited invalid file, naming the key', () => {
    fs.writeFileSync(file, JSON.stringify({ ignite: { storage: { engines: { aimem: { pageSizeBytes: 3000 } } } } }));
    expect(() => new ConfigService(new JsonFileConfigStore(file), RAM)).toThrow(
      'ignite.storage.engines.aimem.pageSizeBytes must be a power of two between 1024 and 16384, got 3000',
    );
  });
});
