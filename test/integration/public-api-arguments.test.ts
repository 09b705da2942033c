/**
 * Every public entry point refuses wrong-typed arguments with a typed error of the catalog (InvalidArgumentError,
 * code INVALID_ARGUMENT) — never a raw TypeError/RangeError — and changes nothing (issue 9, items 7 and 8). Run
 * against the aimem engine of a node and the reference engine, which follow the same rules.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  InvalidArgumentError, MAX_VALUE, openNode, RowId, streamsOf,
  type MvPartitionStorage, type MvTableStorage, type StorageEngine, type StorageNode,
} from '../../src/interfaces/api/index';
import { expectRejects, expectThrows } from '../contract/support/expect-errors';
import { ReferenceStorageEngine } from '../support/reference-engine/reference-storage-engine';

const TX = '00000000-0000-4000-8000-000000000001';
const GARBAGE: readonly unknown[] = [
  null, undefined, 42, -1, 1.5, Number.NaN, Infinity, 'x', '', 2n ** 70n, {}, [], Object.create(null), Symbol('s'), () => 1,
];
const bad = (what: string, fn: () => unknown): void => expectThrows(fn, InvalidArgumentError, 'INVALID_ARGUMENT', what);
const badAsync = (what: string, fn: () => Promise<unknown>): Promise<void> => expectRejects(fn, InvalidArgumentError, 'INVALID_ARGUMENT', what);
const any = <T>(v: unknown): T => v as T;

const ENGINES: Array<[string, () => Promise<{ engine: StorageEngine; close: () => Promise<void> }>]> = [
  ['aimem', async () => {
    const node = await openNode({ config: { ignite: { storage: { profiles: [{ engine: 'aimem', name: 'p', initSizeBytes: 16 << 20, maxSizeBytes: 64 << 20 }] } } } });
    return { engine: node.engine('aimem'), close: () => node.close() };
  }],
  ['reference', async () => {
    const engine = new ReferenceStorageEngine();
    return { engine, close: () => engine.close() };
  }],
];

describe.each(ENGINES)('public entry points refuse wrong-typed arguments (%s)', (_name, open) => {
  let close: (() => Promise<void>) | null = null;
  afterEach(async () => {
    await close?.();
    close = null;
  });

  async function scene(): Promise<{ engine: StorageEngine; table: MvTableStorage; partition: MvPartitionStorage }> {
    const opened = await open();
    close = opened.close;
    const table = opened.engine.createMvTable({ tableId: 1, partitions: 2, storageProfile: 'p' });
    return { engine: opened.engine, table, partition: await table.createMvPartition(0) };
  }

  it('createMvTable() / (null) / bad tableId, partitions or storageProfile', async () => {
    const { engine } = await scene();
    bad('createMvTable()', () => any<{ createMvTable(): unknown }>(engine).createMvTable());
    const descriptors: unknown[] = [
      null, 42, 'x', { tableId: '2', partitions: 1, storageProfile: 'p' }, { tableId: 2.5, partitions: 1, storageProfile: 'p' },
      { tableId: 2 ** 40, partitions: 1, storageProfile: 'p' }, { tableId: 2, partitions: 0, storageProfile: 'p' },
      { tableId: 2, partitions: '1', storageProfile: 'p' }, { tableId: 2, partitions: 65537, storageProfile: 'p' },
      { tableId: 2, partitions: 1, storageProfile: 42 }, { tableId: 2, partitions: 1, storageProfile: {} },
      { tableId: 2, partitions: 1, storageProfile: '' }, { tableId: 2, partitions: 1 },
    ];
    descriptors.forEach((d, i) => bad(`createMvTable #${i}`, () => engine.createMvTable(any(d))));
    await badAsync('destroyMvTable("x")', () => engine.destroyMvTable(any('x')));
  });

  it('partition ids: createMvPartition(-1) / (1.5) / beyond partitions / a string', async () => {
    const { table } = await scene();
    for (const id of [-1, 1.5, 2, '1', null, Number.NaN]) {
      await badAsync(`createMvPartition(${String(id)})`, () => table.createMvPartition(any(id)));
      bad(`getMvPartition(${String(id)})`, () => table.getMvPartition(any(id)));
    }
    expect(table.getMvPartition(1)).toBeNull();
    bad('getIndex(0, "x")', () => table.getIndex(0, any('x')));
    await badAsync('destroyIndex(-1)', () => table.destroyIndex(-1));
  });

  it('MV partition: runConsistently(42), read(null, ts), read(rowId, "x"), bad rows, txIds, counts, flags', async () => {
    const { partition } = await scene();
    const rowId = RowId.random(0);
    for (const g of GARBAGE.filter((v) => typeof v !== 'function')) bad(`runConsistently(${typeof g})`, () => partition.runConsistently(any(g)));
    bad('read(null, ts)', () => partition.read(any(null), MAX_VALUE));
    bad('read(rowId, "x")', () => partition.read(rowId, any('x')));
    bad('read(other partition)', () => partition.read(RowId.random(1), MAX_VALUE));
    const inClosure = (what: string, fn: () => unknown): void => bad(what, () => partition.runConsistently(fn));
    for (const row of [5, 'x', {}, { schemaVersion: 1 }, { bytes: new Uint8Array(1) }, { schemaVersion: 1.5, bytes: new Uint8Array(1) }, undefined]) {
      inClosure(`addWrite row ${JSON.stringify(row)}`, () => partition.addWrite(rowId, any(row), TX, 1, 0));
      inClosure(`addWriteCommitted row ${JSON.stringify(row)}`, () => partition.addWriteCommitted(rowId, any(row), 10n));
    }
    for (const tx of [42, 'not-a-uuid', null, {}]) inClosure(`addWrite tx ${String(tx)}`, () => partition.addWrite(rowId, null, any(tx), 1, 0));
    inClosure('commitWrite ts "x"', () => partition.commitWrite(rowId, any('x'), TX));
    inClosure('lastApplied("a", 1)', () => partition.lastApplied(any('a'), 1));
    for (const count of ['x', 1.5, Infinity, Number.NaN, 2n]) bad(`peek count ${String(count)}`, () => partition.peek(MAX_VALUE, any(count)));
    inClosure('vacuum(null)', () => partition.vacuum(any(null)));
    await badAsync('flush("x")', () => partition.flush(any('x')));
    expect(partition.estimatedSize()).toBe(0);
    expect([...partition.scan(MAX_VALUE)]).toEqual([]);
  });

  it('indexes: put(null), remove(null), get(null), scan with bad bounds or flags', async () => {
    const { table, partition } = await scene();
    const index = table.createSortedIndex(0, { id: 7, columns: [{ name: 'a', type: 'INT32', nullable: false, asc: true }] });
    partition.runConsistently(() => index.setNextRowIdToBuild(null));
    for (const row of [null, undefined, 42, {}, { key: 1, rowId: RowId.random(0) }, { key: [1] }, { key: [1], rowId: RowId.random(1) }]) {
      bad(`put(${String(row)})`, () => partition.runConsistently(() => index.put(any(row))));
      bad(`remove(${String(row)})`, () => partition.runConsistently(() => index.remove(any(row))));
    }
    bad('get(null)', () => index.get(any(null)));
    bad('get([1, 2])', () => index.get([1, 2]));
    bad('get(["x"])', () => index.get(['x']));
    for (const flags of ['x', -1, 2 ** 40, 1.5, Number.NaN, null, 1n]) bad(`scan flags ${String(flags)}`, () => index.scan(null, null, any(flags)));
    bad('scan(5, null, 0)', () => index.scan(any(5), null, 0));
    bad('scan(["x"], null, 0)', () => index.scan(['x'], null, 0));
    expect([...index.scan(null, null, 0)]).toEqual([]);
  });

  it('index descriptors: refused with the descriptor field named, and nothing is created', async () => {
    const { table } = await scene();
    const col = { name: 'a', type: 'INT32', nullable: false, asc: true };
    const cases: Array<[unknown, RegExp]> = [
      [null, /must be an object/], [{ id: 3 }, /columns/], [{ id: 3, columns: [] }, /columns/], [{ id: 3, columns: 'a' }, /columns/],
      [{ id: -1, columns: [col] }, /\bid\b/], [{ id: 1.5, columns: [col] }, /\bid\b/], [{ id: '3', columns: [col] }, /\bid\b/],
      [{ columns: [col] }, /\bid\b/], [{ id: 3, columns: [null] }, /columns\[0\]/],
      [{ id: 3, columns: [{ ...col, name: '' }] }, /columns\[0\]\.name/], [{ id: 3, columns: [{ ...col, name: undefined }] }, /columns\[0\]\.name/],
      [{ id: 3, columns: [col, { ...col, type: 'VARCHAR' }] }, /columns\[1\]\.type/],
      [{ id: 3, columns: [{ ...col, nullable: 'no' }] }, /columns\[0\]\.nullable/],
      [{ id: 3, columns: [{ ...col, type: 'STRING', length: 1.5 }] }, /columns\[0\]\.length/],
      [{ id: 3, columns: [{ ...col, type: 'STRING', length: -1 }] }, /columns\[0\]\.length/],
      [{ id: 3, columns: [{ ...col, type: 'BYTES', length: 0 }] }, /columns\[0\]\.length/],
      [{ id: 3, columns: [{ ...col, type: 'DECIMAL', precision: 0 }] }, /columns\[0\]\.precision/],
      [{ id: 3, columns: [{ ...col, type: 'DECIMAL', precision: 5, scale: 6 }] }, /columns\[0\]\.scale/],
      [{ id: 3, columns: [{ ...col, type: 'DECIMAL', precision: 5, scale: -1 }] }, /columns\[0\]\.scale/],
      [{ id: 3, columns: [{ ...col, type: 'TIMESTAMP', precision: 2.5 }] }, /columns\[0\]\.precision/],
      [{ id: 3, columns: [col], primary: 'yes' }, /primary/],
    ];
    for (const [desc, field] of cases) {
      for (const create of [() => table.createSortedIndex(0, any(desc)), () => table.createHashIndex(0, any(desc))]) {
        let thrown: unknown;
        try {
          create();
        } catch (e) {
          thrown = e;
        }
        expect(thrown, JSON.stringify(desc)).toBeInstanceOf(InvalidArgumentError);
        expect((thrown as Error).message, JSON.stringify(desc)).toMatch(field);
      }
    }
    expect(() => table.createSortedIndex(0, any({ id: 3, columns: [{ ...col, asc: 1 }] }))).toThrow(/columns\[0\]\.asc/);
    expect(table.getIndex(0, 3)).toBeNull();
  });

  it('finishRebalancePartition refuses meta that lastApplied would refuse, and changes nothing', async () => {
    const { table } = await scene();
    await table.startRebalancePartition(0);
    const metas: unknown[] = [
      null, 42, { lastAppliedIndex: 'a', lastAppliedTerm: 1, groupConfig: new Uint8Array(1) },
      { lastAppliedIndex: 1, lastAppliedTerm: 1.5, groupConfig: new Uint8Array(1) }, { lastAppliedIndex: 1, lastAppliedTerm: 1, groupConfig: 'x' },
      { lastAppliedIndex: 1, lastAppliedTerm: 1 }, { lastAppliedIndex: 1, lastAppliedTerm: 1, groupConfig: [1, 2] },
    ];
    for (const meta of metas) await badAsync(`finish ${JSON.stringify(meta)}`, () => table.finishRebalancePartition(0, any(meta)));
    const partition = table.getMvPartition(0)!;
    expect([partition.lastAppliedIndex(), partition.lastAppliedTerm(), partition.committedGroupConfiguration()]).toEqual([-1, -1, null]);
    await table.finishRebalancePartition(0, { lastAppliedIndex: 5, lastAppliedTerm: 2, groupConfig: new Uint8Array([9]) });
    expect([partition.lastAppliedIndex(), partition.lastAppliedTerm(), partition.committedGroupConfiguration()]).toEqual([5, 2, new Uint8Array([9])]);
  });
});

describe('StorageNode entry points refuse wrong-typed arguments', () => {
  let node: StorageNode | null = null;
  afterEach(async () => {
    await node?.close();
    node = null;
  });

  it('engine(42), region(42), config.update(non-string), config.show(non-string)', async () => {
    node = await openNode({ config: { ignite: { storage: { profiles: [{ engine: 'aimem', name: 'p', initSizeBytes: 16 << 20, maxSizeBytes: 64 << 20 }] } } } });
    const n = node;
    const before = JSON.stringify(n.config.show());
    for (const g of GARBAGE.filter((v) => v !== undefined)) {
      bad(`engine(${typeof g})`, () => n.engine(any(g)));
      bad(`streamsOf(${typeof g})`, () => streamsOf(any(g)));
      if (typeof g === 'string') continue;
      bad(`region(${typeof g})`, () => n.region(any(g)));
      bad(`config.update(${typeof g})`, () => n.config.update(any(g)));
      bad(`config.show(${typeof g})`, () => n.config.show(any(g)));
    }
    expect(JSON.stringify(n.config.show())).toBe(before);
  });
});
