/**
 * Bad configuration input through the public API (issue 9, items 2 and 8): every refusal is a typed error with a
 * code, nothing is changed, and nothing an update accepts can make the next open fail.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AistorageError, hybridTimestamp, openNode, RowId, type StorageNode } from '../../src/interfaces/api/index';
import { TOKENS } from '../../src/interfaces/api/testing';
import { tempDir } from '../support/temp-dir';

const GiB = 1024 ** 3;

function thrown(fn: () => unknown): AistorageError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AistorageError);
    return e as AistorageError;
  }
  throw new Error('expected a throw');
}

describe('configuration: bad input changes nothing and never locks the work dir out', () => {
  let dir: { path: string; cleanup(): void };
  let node: StorageNode;
  const file = () => readFileSync(join(dir.path, 'aistorage.json'), 'utf8');
  beforeEach(async () => {
    dir = tempDir();
    node = await openNode({ workDir: dir.path });
  });
  afterEach(async () => {
    await node.close();
    dir.cleanup();
  });

  /** The update is refused with `code`, the file and the shown config are unchanged, and a reopen works. */
  async function refused(update: string, code: string): Promise<AistorageError> {
    const before = file();
    const shown = JSON.stringify(node.config.show());
    const e = thrown(() => node.config.update(update));
    expect(e.code).toBe(code);
    expect(file()).toBe(before);
    expect(JSON.stringify(node.config.show())).toBe(shown);
    await node.close();
    node = await openNode({ workDir: dir.path });
    expect(JSON.stringify(node.config.show())).toBe(shown);
    return e;
  }

  it('an empty profile name is refused by an update exactly as by a load', async () => {
    const e = await refused('ignite.storage.profiles:{""{engine:aimem}}', 'CONFIG_INVALID');
    expect(e.message).toContain('ignite.storage.profiles."" has an invalid name: a profile name must be a non-empty string');
  });

  it('a profile name with control characters or over 128 characters is refused', async () => {
    await refused('ignite.storage.profiles:{"a\\nb"{engine:aimem}}', 'CONFIG_INVALID');
    await refused(`ignite.storage.profiles:{${'p'.repeat(129)}{engine:aimem}}`, 'CONFIG_INVALID');
    node.config.update(`ignite.storage.profiles:{${'p'.repeat(128)}{engine:aimem}}`);
  });

  it('two blocks of the same profile in one update are refused', async () => {
    const e = await refused('ignite.storage.profiles:{d{engine:aimem},d{engine:aimem,maxSizeBytes:1GB}}', 'CONFIG_INVALID');
    expect(e.message).toContain('ignite.storage.profiles.d is defined twice in this update');
    // Dotted keys of one profile may still come one by one.
    node.config.update('ignite.storage.profiles.d.engine=aimem ignite.storage.profiles.d.maxSizeBytes=1GB');
    expect(node.profiles().find((p) => p.name === 'd')?.config).toMatchObject({ maxSizeBytes: GiB });
  });

  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'])(
    'the key %s is an unknown key wherever it appears, not a crash',
    async (key) => {
      await refused(`ignite.storage.profiles:{p{engine:aimem,${key}:1}}`, 'CONFIG_INVALID');
      await refused(`ignite.storage.engines.aimem.${key}=1`, 'CONFIG_INVALID');
      await refused(`ignite.storage.engines.${key}.x=1`, 'CONFIG_INVALID');
      await refused(`ignite.storage.profiles:{p{engine:aimem,maxSizeBytes:1${key}}}`, 'CONFIG_INVALID');
      const doc = JSON.parse(`{"ignite":{"storage":{"engines":{"aimem":{"${key}":1}},"profiles":[{"engine":"aimem","name":"q","${key}":1}]}}}`);
      await expect(openNode({ config: doc })).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    },
  );

  it('a configuration document nested 20,000 deep is CONFIG_INVALID, not a stack overflow', async () => {
    let deep: unknown = 1;
    for (let i = 0; i < 20_000; i++) deep = { a: deep };
    for (const config of [{ ignite: { storage: { engines: deep } } }, { ignite: { storage: { profiles: [{ engine: 'aimem', name: 'p', x: deep }] } } }, deep]) {
      await expect(openNode({ config: config as never })).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    }
  });

  it('blocks nested 20,000 deep are a CONFIG_PARSE error naming the limit, not a stack overflow', async () => {
    const deep = `ignite.storage.engines:${'{a'.repeat(20_000)}${'}'.repeat(20_000)}`;
    const e = await refused(deep, 'CONFIG_PARSE');
    expect(e.message).toContain('blocks may nest at most 32 deep');
    expect(e.message.length).toBeLessThan(400);
  });

  it('a size beyond the largest region names the real limit (2 TiB); 2 TiB itself is accepted', async () => {
    const e = await refused('ignite.storage.profiles:{h{engine:aimem,maxSizeBytes:1000000TB}}', 'CONFIG_INVALID');
    expect(e.message).toContain('must be an integer number of bytes between 10485760 (10 MiB) and 2199023255552 (2 TiB), got 1099511627776000000');
    await refused('ignite.storage.profiles:{h{engine:aipersist,sizeBytes:2049GB}}', 'CONFIG_INVALID');
    node.config.update('ignite.storage.profiles:{h{engine:aimem,maxSizeBytes:2TB}}');
  });

  it('config.remove: refused while a table uses the profile, then frees its region and persists', async () => {
    node.config.update('ignite.storage.profiles:{r{engine:aimem,maxSizeBytes:64MB}}');
    const table = node.engine('aimem').createMvTable({ tableId: 7, partitions: 1, storageProfile: 'r' });
    const part = await table.createMvPartition(0);
    part.runConsistently(() => part.addWriteCommitted(RowId.random(0), { schemaVersion: 1, bytes: new Uint8Array(8) }, hybridTimestamp(1000, 0)));
    const before = file();
    const e = thrown(() => node.config.remove('r'));
    expect(e.code).toBe('PROFILE_IN_USE');
    expect(e.message).toContain('used by table(s) 7');
    expect(file()).toBe(before);
    expect(node.stats().profiles.find((p) => p.name === 'r')?.region).not.toBeNull();
    await node.engine('aimem').destroyMvTable(7);
    expect(node.config.remove('r').changedKeys).toEqual(['ignite.storage.profiles.r']);
    expect(node.profiles().map((p) => p.name)).toEqual(['default']);
    expect(thrown(() => node.region('r')).code).toBe('PROFILE_NOT_FOUND');
    expect(JSON.parse(file()).ignite.storage.profiles).toBeUndefined();
    // The name can be defined again, with new settings and a new region.
    node.config.update('ignite.storage.profiles:{r{engine:aimem,maxSizeBytes:32MB}}');
    expect(node.region('r').stats()).toMatchObject({ maxSizeBytes: 32 * 1024 * 1024 });
    expect(thrown(() => node.config.remove('default')).code).toBe('CONFIG_INVALID');
    expect(thrown(() => node.config.remove('nope')).code).toBe('PROFILE_NOT_FOUND');
    expect(thrown(() => node.config.remove(42 as unknown as string)).code).toBe('INVALID_ARGUMENT');
  });

  it('saves use unique temp names and remove the leftovers of a crash', () => {
    writeFileSync(join(dir.path, 'aistorage.json.tmp'), 'torn');
    writeFileSync(join(dir.path, 'aistorage.json.4242.abcdef.tmp'), 'torn');
    node.config.update('ignite.storage.profiles:{t{engine:aimem}}');
    expect(readdirSync(dir.path).sort()).toEqual(['aistorage.json', 'aistorage.lock', 'catalog', 'clock']); // catalog: zones and tables; clock: the clock lease
  });
});

describe('openNode: malformed options are typed errors', () => {
  it.each([
    ['workDir: 42', { workDir: 42 }],
    ["workDir: ''", { workDir: '' }],
    ["workDir: '  '", { workDir: '  ' }],
    ['workDir with NUL', { workDir: 'a\0b' }],
    ['readOnly: "yes"', { readOnly: 'yes' }],
    ["config: 'x'", { config: 'x' }],
    ['config: []', { config: [] }],
    ['options 42', 42],
    ['options null', null],
    ['an unknown option (workdir)', { workdir: '/tmp/x' }],
  ])('%s → INVALID_ARGUMENT, and nothing is written', async (_label, options) => {
    const cwdFiles = () => ['aistorage.json', 'aistorage.lock'].filter((f) => existsSync(join(process.cwd(), f)));
    expect(cwdFiles()).toEqual([]);
    await expect(openNode(options as never)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(cwdFiles()).toEqual([]);
  });

  it('options are typed: a size given as a string does not compile (npm run typecheck checks this file), and is refused at run time', async () => {
    const config = {
      ignite: { storage: { profiles: [{ engine: 'aimem', name: 'x', maxSizeBytes: '1GB' }] } },
    } as const;
    // @ts-expect-error maxSizeBytes is a number of bytes; '1GB' is for update strings only
    await expect(openNode({ config })).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });

  it('a work dir under a path that can never be created fails fast with WORKDIR_UNUSABLE', async () => {
    await expect(openNode({ workDir: '/proc/aistorage-x/data' })).rejects.toMatchObject({ code: 'WORKDIR_UNUSABLE' });
    const dir = tempDir();
    try {
      writeFileSync(join(dir.path, 'file'), 'x');
      await expect(openNode({ workDir: join(dir.path, 'file', 'sub') })).rejects.toMatchObject({
        code: 'WORKDIR_UNUSABLE',
        message: expect.stringContaining('exists and is not a directory'),
      });
      const nested = join(dir.path, 'a', 'b', 'c');
      const node = await openNode({ workDir: nested });
      expect(existsSync(join(nested, 'aistorage.json'))).toBe(true);
      await node.close();
    } finally {
      dir.cleanup();
    }
  });

  it('region sizes beyond the machine memory are a warning at open (node.warnings and a process warning)', async () => {
    const warnings: Error[] = [];
    const listener = (w: Error) => warnings.push(w);
    process.on('warning', listener);
    try {
      const node = await openNode(
        { config: { ignite: { storage: { profiles: [{ engine: 'aimem', name: 'big', maxSizeBytes: 4 * GiB }, { engine: 'aimem', name: 'ok', maxSizeBytes: GiB / 2 }] } } } },
        { configure: (c) => c.rebind(TOKENS.SystemInfo).toConstantValue({ totalMemoryBytes: () => 2 * GiB }) },
      );
      await node.close();
      expect(node.warnings).toHaveLength(1);
      expect(node.warnings[0]).toContain(`ignite.storage.profiles.big.maxSizeBytes is ${4 * GiB} bytes, more than this machine's physical memory (${2 * GiB} bytes)`);
      await new Promise((r) => setImmediate(r));
      expect(warnings.map((w) => (w as Error & { code?: string }).code)).toContain('AISTORAGE_REGION_SIZE');
    } finally {
      process.off('warning', listener);
    }
  });
});
