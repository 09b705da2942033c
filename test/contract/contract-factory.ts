/**
 * What a contract suite needs from an engine under test. Each test calls create() once, uses the engine, and
 * calls close() at its end (after closing the tables it opened). Suites use only the SPI (src/domain/storage).
 */
import type { StorageEngine } from '../../src/domain/storage/storage-engine.api';

export interface ContractEnvironment {
  readonly engine: StorageEngine;
  /** The profile passed to createMvTable; 'default' when absent. */
  readonly storageProfile?: string;
  close(): Promise<void>;
}

export interface ContractFactory {
  create(): Promise<ContractEnvironment>;
}

/** Knobs an engine may set; every rule of DESIGN.md §6/§6.1 is required, so there are no feature switches. */
export interface ContractSupports {
  /** Size of the rows and index keys that must not fit a page; default 40_000 bytes (pages are at most 16 KiB). */
  readonly largeValueBytes?: number;
}
