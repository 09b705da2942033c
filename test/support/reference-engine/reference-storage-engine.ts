/**
 * A naive in-memory StorageEngine (Maps and sorted arrays, clarity over speed) that passes every contract suite in
 * test/contract, so that the suites are known to be consistent before a real engine runs them. Volatile: a table
 * created again after close (or destroy) starts empty.
 */
import { checkTableDescriptor, checkTableId } from '../../../src/application/engine/mv/mv-arguments';
import { TableExistsError } from '../../../src/domain/shared/errors';
import type { EngineName, MvTableStorage, StorageEngine } from '../../../src/domain/storage/storage-engine.api';
import { ReferenceTableStorage } from './table-storage';

export class ReferenceStorageEngine implements StorageEngine {
  readonly isVolatile = true;
  readonly #tables = new Map<number, ReferenceTableStorage>();

  constructor(readonly name: EngineName = 'aimem') {}

  /**
   * A new, empty table storage. An id whose table is open is refused (TableExistsError, that table unchanged); after
   * its close or destroy the id starts over empty — volatile data does not survive.
   */
  createMvTable(desc: { tableId: number; partitions: number; storageProfile: string }): MvTableStorage {
    checkTableDescriptor(desc);
    if (this.#tables.get(desc.tableId)?.isOpen) throw new TableExistsError(desc.tableId);
    const table = new ReferenceTableStorage(desc.tableId, desc.partitions, (t) => {
      if (this.#tables.get(t.tableId) === t) this.#tables.delete(t.tableId);
    });
    this.#tables.set(desc.tableId, table);
    return table;
  }

  async destroyMvTable(tableId: number): Promise<void> {
    checkTableId(tableId);
    await this.#tables.get(tableId)?.destroy();
  }

  /** Closes every table (the end of a test). */
  async close(): Promise<void> {
    for (const table of [...this.#tables.values()]) await table.close();
    this.#tables.clear();
  }
}
