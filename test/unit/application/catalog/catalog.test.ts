/**
 * The catalog: immutable versions, changes$ with versions, name rules (case-insensitive uniqueness, declared case
 * kept), reopen from the log and from a compacted snapshot, and refusals that change nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Catalog } from '../../../../src/application/catalog/catalog';
import type { CatalogChange } from '../../../../src/application/catalog/catalog-types';
import { FileCatalogStore } from '../../../../src/infrastructure/catalog/file-catalog-store';
import { NodeFileIo } from '../../../../src/infrastructure/fs/node-file-io';
import { UnknownProfileError } from '../../../../src/domain/shared/errors';
import { tempDir } from '../../../support/temp-dir';

const dirs: { cleanup(): void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));

const PROFILES = ['default', 'mem'];
const checkProfile = (name: string): void => {
  if (!PROFILES.includes(name)) throw new UnknownProfileError(`no profile ${name}`);
};

function openCatalog(dir: string, compactEvery = 1000): Catalog {
  return Catalog.open(new FileCatalogStore(new NodeFileIo(), dir), checkProfile, compactEvery);
}

function fresh(): string {
  const d = tempDir();
  dirs.push(d);
  return d.path;
}

const COLUMNS = [{ name: 'Id', type: 'BIGINT' as const }, { name: 'v', type: 'VARCHAR' as const, default: 'x' }];

describe('Catalog', () => {
  it('starts with the Default zone and streams each change with its version; old versions stay as they were', () => {
    const catalog = openCatalog(fresh());
    expect(catalog.current.version).toBe(0);
    expect(catalog.current.zoneByName('default')?.name).toBe('Default');
    const seen: CatalogChange[] = [];
    catalog.changes$.subscribe((c) => seen.push(c));
    const v0 = catalog.current;
    catalog.createZone({ name: 'Cache', partitions: 3, storageProfiles: ['mem'] });
    catalog.createTable({ name: 'T', zone: 'cache', columns: COLUMNS, primaryKey: ['id'] });
    expect(seen.map((c) => [c.type, c.version])).toEqual([['zone.created', 1], ['table.created', 2]]);
    expect(v0.zoneByName('cache')).toBeUndefined();
    expect(catalog.current.tableByName('t')?.schemas[0]!.primaryKey).toEqual(['Id']);
    expect(catalog.current.tableByName('T')?.storageProfile).toBe('mem');
  });

  it('refuses duplicates case-insensitively, unknown zones and profiles, a profile outside the zone; nothing changes', () => {
    const catalog = openCatalog(fresh());
    catalog.createZone({ name: 'z', storageProfiles: ['default'] });
    const before = catalog.current;
    expect(() => catalog.createZone({ name: 'Z' })).toThrow(expect.objectContaining({ code: 'ALREADY_EXISTS' }));
    expect(() => catalog.createZone({ name: 'p', storageProfiles: ['nope'] })).toThrow(expect.objectContaining({ code: 'PROFILE_NOT_FOUND' }));
    expect(() => catalog.createZone({ name: 'p', partitions: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => catalog.createZone({ name: 'p', storageProfiles: [] })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => catalog.createZone({ name: 'p', bogus: 1 } as never)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => catalog.createTable({ name: 't', zone: 'none', columns: COLUMNS, primaryKey: ['Id'] })).toThrow(expect.objectContaining({ code: 'ZONE_NOT_FOUND' }));
    expect(() => catalog.createTable({ name: 't', zone: 'z', storageProfile: 'mem', columns: COLUMNS, primaryKey: ['Id'] }))
      .toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => catalog.createTable({ name: 't', zone: 'z', columns: [...COLUMNS, { name: 'ID', type: 'INT' }], primaryKey: ['Id'] }))
      .toThrow(expect.objectContaining({ code: 'ALREADY_EXISTS' }));
    expect(() => catalog.dropZone('Default')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => catalog.dropTable('none')).toThrow(expect.objectContaining({ code: 'TABLE_NOT_FOUND' }));
    expect(catalog.current).toBe(before);
  });

  it('reopens to the same version from the log, and from a snapshot plus the entries after it', () => {
    const dir = fresh();
    const catalog = openCatalog(dir, 4);
    catalog.createZone({ name: 'z', partitions: 2 });
    for (let i = 0; i < 6; i++) catalog.createTable({ name: `t${i}`, zone: 'z', columns: COLUMNS, primaryKey: ['Id'] });
    catalog.addColumn('t1', { name: 'extra', type: 'INT' });
    catalog.dropColumn('t1', 'v');
    catalog.createIndex({ name: 'i1', table: 't2', columns: [{ name: 'v', order: 'DESC' }], type: 'SORTED' });
    catalog.markIndexAvailable(catalog.current.indexByName('i1')!.id);
    catalog.dropTable('t0');
    const version = catalog.current;
    catalog.close();
    const again = openCatalog(dir, 4);
    expect(again.current.version).toBe(version.version);
    expect(again.current.snapshot()).toEqual(version.snapshot());
    expect(again.current.tableByName('t1')!.schemas.map((s) => s.columns.map((c) => c.name))).toEqual([['Id', 'v'], ['Id', 'v', 'extra'], ['Id', 'extra']]);
    expect(again.current.indexByName('i1')).toMatchObject({ available: true, columns: [{ name: 'v', order: 'DESC' }] });
    // ids are never reused: the next table gets a fresh one
    const t = again.createTable({ name: 't0', zone: 'z', columns: COLUMNS, primaryKey: ['Id'] });
    expect(t.id).toBeGreaterThan(Math.max(...version.tables().map((x) => x.id)));
    again.close();
  });

  it('keeps the zone rules: partitions fixed while it holds tables, profiles in use kept, drop only when empty', () => {
    const catalog = openCatalog(fresh());
    catalog.createZone({ name: 'z', partitions: 2, storageProfiles: ['default', 'mem'] });
    catalog.createTable({ name: 't', zone: 'z', storageProfile: 'mem', columns: COLUMNS, primaryKey: ['Id'] });
    expect(() => catalog.alterZone('z', { partitions: 3 })).toThrow(expect.objectContaining({ code: 'ZONE_IN_USE' }));
    expect(() => catalog.alterZone('z', { storageProfiles: ['default'] })).toThrow(expect.objectContaining({ code: 'PROFILE_IN_USE' }));
    expect(catalog.alterZone('z', { replicas: 3 }).replicas).toBe(3);
    expect(() => catalog.dropZone('z')).toThrow(expect.objectContaining({ code: 'ZONE_IN_USE' }));
    catalog.dropTable('t');
    catalog.dropZone('z');
    expect(catalog.current.zoneByName('z')).toBeUndefined();
  });
});
