/**
 * The package's two entries: the main entry (`aistorage`) exports what a user of the node needs and none of its
 * inside; the testing entry (`aistorage/testing`) exports the container tokens, port types and page-level names
 * that adapter-swap tests and embedders who rebind adapters use. Runtime names are checked here; type-only names
 * by the `@ts-expect-error` lines below (`npm run typecheck` fails if one of them becomes importable from the main
 * entry); the re-exports themselves by the `public-entry-no-internals` rule of .dependency-cruiser.cjs.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as api from '../../src/interfaces/api/index';
import * as testing from '../../src/interfaces/api/testing';

const INTERNAL_VALUES = ['TOKENS', 'PageView', 'pageId', 'pageIndex', 'partitionIdOf', 'flagsOf', 'FLAG_DATA', 'FLAG_AUX', 'DataRegion', 'Container'];

// @ts-expect-error PageMemory is not on the main entry (it is on the testing entry)
export type NoPageMemory = import('../../src/interfaces/api/index').PageMemory;
// @ts-expect-error MemoryProvider is not on the main entry
export type NoMemoryProvider = import('../../src/interfaces/api/index').MemoryProvider;
// @ts-expect-error Clock is not on the main entry
export type NoClock = import('../../src/interfaces/api/index').Clock;
// @ts-expect-error ContainerConfigurer is not on the main entry
export type NoContainerConfigurer = import('../../src/interfaces/api/index').ContainerConfigurer;
// @ts-expect-error DataRegion is not on the main entry: users see the Region interface
export type NoDataRegion = import('../../src/interfaces/api/index').DataRegion;
/** The main entry's region type is Region, and StorageNode.region returns it. */
export type RegionFromNode = ReturnType<api.StorageNode['region']> extends api.Region ? true : never;
export const regionFromNode: RegionFromNode = true;

describe('public API entries', () => {
  it('the main entry exports the node, the SPI values and the errors', () => {
    for (const name of ['openNode', 'StorageNode', 'streamsOf', 'RowId', 'HybridClock', 'hybridTimestamp', 'MAX_VALUE', 'ColumnType', 'GREATER_OR_EQUAL', 'AistorageError', 'StorageClosedError', 'OutOfMemoryError']) {
      expect(Object.keys(api), name).toContain(name);
    }
  });

  it('the main entry exports none of the internals', () => {
    const keys = Object.keys(api);
    for (const name of INTERNAL_VALUES) expect(keys, name).not.toContain(name);
    for (const name of Object.keys(testing)) expect(keys, name).not.toContain(name);
  });

  it('the testing entry exports the tokens and the page-level names, and nothing of the main entry', () => {
    expect(Object.keys(testing).sort()).toEqual(['FLAG_AUX', 'FLAG_DATA', 'PageView', 'TOKENS', 'flagsOf', 'pageId', 'pageIndex', 'partitionIdOf']);
    expect(Object.keys(testing.TOKENS)).toEqual(expect.arrayContaining(['MemoryProvider', 'Clock', 'SystemInfo', 'AimemEngine', 'AipersistEngine']));
  });

  it('package.json maps "." and "./testing" to the built entries, with their types', () => {
    const root = resolve(__dirname, '../..');
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      main: string; types: string; exports: Record<string, { types: string; default: string }>;
    };
    expect(pkg.exports['.']).toEqual({ types: './dist/interfaces/api/index.d.ts', default: './dist/interfaces/api/index.js' });
    expect(pkg.exports['./testing']).toEqual({ types: './dist/interfaces/api/testing.d.ts', default: './dist/interfaces/api/testing.js' });
    expect(`./${pkg.main}`).toBe(pkg.exports['.']!.default);
    expect(`./${pkg.types}`).toBe(pkg.exports['.']!.types);
    // dist mirrors src (tsconfig rootDir src, outDir dist): each mapped file is built from an entry that exists.
    for (const entry of ['index', 'testing']) {
      expect(() => readFileSync(join(root, 'src/interfaces/api', `${entry}.ts`))).not.toThrow();
    }
  });
});
