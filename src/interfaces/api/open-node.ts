import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { ConfigService } from '../../application/config/config-service';
import type { StorageConfigInput } from '../../application/config/config.model';
import { regionSizeWarnings } from '../../application/config/region-size-warnings';
import type { ProfileEngine } from '../../application/engine/profile-engine';
import type { WorkDirLease } from '../../domain/ports/work-dir-lock.port';
import { describeValue } from '../../domain/shared/describe-value';
import { InvalidArgumentError, StorageIoError } from '../../domain/shared/errors';
import { createNodeContainer, engineToken, ENGINE_NAMES, type ContainerConfigurer } from '../composition/container';
import { TOKENS, type NodeOptions } from '../composition/tokens';
import { checkLogger, type NodeLogger } from './node-logger';
import { HybridClock } from '../../domain/storage/hybrid-timestamp';
import type { EngineName } from '../../domain/storage/storage-engine.api';
import { Catalog } from '../../application/catalog/catalog';
import type { CatalogStore } from '../../application/catalog/catalog-store.port';
import { DEFAULT_TABLE_OPTIONS, TableService, type TableServiceOptions } from '../../application/tables/table-service';
import { StorageNode } from './storage-node';
import { ClockLease } from '../../application/tables/clock-lease';

export interface OpenNodeOptions {
  /**
   * Directory for the node's files (created if missing). The node owns it until `close()`: another open of the same
   * directory — in this process or another, however the path is spelled — throws WorkDirLockedError
   * (WORKDIR_LOCKED) naming the holder's pid; the lock of a process that died is taken over at once. Without a
   * work dir the configuration lives in memory only.
   */
  readonly workDir?: string;
  /** Configuration in the spec's JSON shape, merged over the work dir's file (engine keys replaced, profiles merged by name). */
  readonly config?: StorageConfigInput;
  /**
   * Open the work dir without taking it (it may be in use by another node) and without writing to it: the
   * configuration is read, never saved, and `config.update`/`config.remove` throw StorageIoError
   * (WORKDIR_READ_ONLY). A missing work dir is not created. For inspection: `aistorage config show`, `stats`.
   */
  readonly readOnly?: boolean;
  /**
   * A structured logger in pino's shape (`info/warn/error(obj, msg)`; a pino logger fits as it is), subscribed to
   * `events$` until close(): one `info` per finished checkpoint (`{ reason, pages, bytes, phasesMs, mbPerSec }`,
   * 'checkpoint finished'), compaction and partition log replay; a `warn` when a checkpoint waited more than 1 s
   * for running closures; an `error` for a region out of memory. Silent without one. A logger that throws is ignored.
   */
  readonly logger?: NodeLogger;
  /**
   * Garbage collection of old row versions of the tables (README "Tables and transactions"):
   * `dataAvailabilityTimeMillis` (default 600000) — how far back reads may go; versions older than that (and than
   * every running transaction's read timestamp) are vacuumed; `intervalMillis` (default 1000) — how often the
   * collector runs.
   */
  readonly gc?: { readonly dataAvailabilityTimeMillis?: number; readonly intervalMillis?: number };
}

export interface OpenNodeHooks {
  /** Rebind adapters (memory provider, clock, system info, ...) before the node is built. For tests and embedders. */
  readonly configure?: ContainerConfigurer;
}

/**
 * Opens a storage node: takes its work dir (unless read-only), builds its own DI container, loads and validates
 * the configuration, and starts every engine (one after the other, in ENGINE_NAMES order; a persistent engine
 * recovers in its start). If anything fails, the engines started so far are stopped again (in reverse order), the
 * work dir is released and the error is thrown. Region sizes larger than the machine's memory are reported in
 * `node.warnings` and as a process warning (code AISTORAGE_REGION_SIZE).
 *
 * @throws InvalidArgumentError (INVALID_ARGUMENT) for malformed options; WorkDirLockedError (WORKDIR_LOCKED);
 *   StorageIoError (WORKDIR_UNUSABLE) when the work dir cannot be created or used; ConfigValidationError
 *   (CONFIG_INVALID) / ConfigParseError (CONFIG_PARSE) for a bad configuration.
 */
export async function openNode(options: OpenNodeOptions = {}, hooks: OpenNodeHooks = {}): Promise<StorageNode> {
  checkOptions(options, hooks);
  const readOnly = options.readOnly === true;
  const workDir = options.workDir === undefined ? undefined : resolve(options.workDir);
  if (workDir !== undefined && !readOnly) ensureDir(workDir);
  const nodeOptions: NodeOptions = { workDir, config: options.config, readOnly };
  const container = createNodeContainer(nodeOptions, hooks.configure);
  const lease: WorkDirLease | null = workDir !== undefined && !readOnly ? container.get(TOKENS.WorkDirLock).acquire(workDir) : null;
  try {
    const config = container.get<ConfigService>(TOKENS.ConfigService);
    const engines = new Map(ENGINE_NAMES.map((name) => [name, container.get(engineToken(name))] as const));
    const clock = container.get(TOKENS.Clock);
    const warnings = regionSizeWarnings(config.atOpen, container.get(TOKENS.SystemInfo));
    const started = [...engines.values()];
    await startAll(started);
    const hybridClock = new HybridClock(() => clock.nowMillis());
    let tables: TableService | null = null;
    try {
      const leaseStore = container.get(TOKENS.ClockLeaseStore);
      if (leaseStore !== null) new ClockLease(leaseStore, hybridClock).start(clock.nowMillis());
      const gc = gcOptions(options.gc ?? {});
      tables = await openTables(container.get(TOKENS.CatalogStore), config, engines, hybridClock, workDir !== undefined && !readOnly, readOnly, gc);
    } catch (e) {
      for (let j = started.length - 1; j >= 0; j--) await started[j]!.stop().catch(() => undefined);
      throw e;
    }
    for (const warning of warnings) process.emitWarning(warning, { code: 'AISTORAGE_REGION_SIZE' });
    return new StorageNode({
      workDir: workDir ?? null, config, engineFor: (name) => engines.get(name)!, engines: started, clock, lease, warnings,
      hybridClock, tables,
      ...(options.logger === undefined ? {} : { logger: options.logger }),
    });
  } catch (e) {
    lease?.release();
    throw e;
  }
}

/** openNode's `gc` option, checked, with defaults. */
function gcOptions(gc: unknown): TableServiceOptions {
  if (typeof gc !== 'object' || gc === null || Array.isArray(gc)) {
    throw new InvalidArgumentError(`openNode's gc must be an object { dataAvailabilityTimeMillis?, intervalMillis? }, got ${describeValue(gc)}`);
  }
  const o = gc as Record<string, unknown>;
  const unknown = Object.keys(o).filter((k) => k !== 'dataAvailabilityTimeMillis' && k !== 'intervalMillis');
  if (unknown.length > 0) throw new InvalidArgumentError(`openNode's gc does not know ${unknown.join(', ')}; its keys are dataAvailabilityTimeMillis, intervalMillis`);
  const millis = (key: string, min: number, fallback: number): number => {
    const v = o[key];
    if (v === undefined) return fallback;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) {
      throw new InvalidArgumentError(`openNode's gc.${key} must be an integer ≥ ${min} (milliseconds), got ${describeValue(v)}`);
    }
    return v;
  };
  return {
    dataAvailabilityTimeMillis: millis('dataAvailabilityTimeMillis', 0, DEFAULT_TABLE_OPTIONS.dataAvailabilityTimeMillis),
    gcIntervalMillis: millis('intervalMillis', 1, DEFAULT_TABLE_OPTIONS.gcIntervalMillis),
  };
}

/**
 * The catalog and the tables on it. A read-only node loads no tables (its engines must not write); without a work dir
 * the catalog lives in memory and there is no durable engine for the transaction-state store.
 */
async function openTables(
  store: CatalogStore, config: ConfigService, engines: ReadonlyMap<EngineName, ProfileEngine>, clock: HybridClock, durable: boolean,
  readOnly: boolean, gc: TableServiceOptions,
): Promise<TableService | null> {
  if (readOnly) return null;
  const catalog = Catalog.open(store, (name) => void config.profile(name));
  const tableEngines = {
    engineOf: (profile: string) => engines.get(config.profile(profile).engine)!,
    txStateProfile: durable ? 'default' : null,
  };
  try {
    return await TableService.open(catalog, tableEngines, clock, gc);
  } catch (e) {
    catalog.close();
    throw e;
  }
}

const OPTION_KEYS: readonly string[] = ['workDir', 'config', 'readOnly', 'logger', 'gc'];

function checkOptions(options: OpenNodeOptions, hooks: OpenNodeHooks): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new InvalidArgumentError(`openNode takes an options object such as { workDir: './data' }, got ${describeValue(options)}`);
  }
  const unknown = Object.keys(options).filter((k) => !OPTION_KEYS.includes(k));
  if (unknown.length > 0) {
    throw new InvalidArgumentError(
      `openNode does not know the option(s) ${unknown.map((k) => JSON.stringify(k)).join(', ')}; its options are ${OPTION_KEYS.join(', ')}`,
    );
  }
  const { workDir, readOnly, config, logger } = options;
  if (workDir !== undefined && (typeof workDir !== 'string' || workDir.trim() === '')) {
    throw new InvalidArgumentError(
      `openNode's workDir must be a non-empty directory path, got ${describeValue(workDir)}; omit it for a node that keeps nothing on disk`,
    );
  }
  if (typeof workDir === 'string' && workDir.includes('\0')) throw new InvalidArgumentError(`openNode's workDir contains a NUL character`);
  if (readOnly !== undefined && typeof readOnly !== 'boolean') {
    throw new InvalidArgumentError(`openNode's readOnly must be true or false, got ${describeValue(readOnly)}`);
  }
  if (config !== undefined && (typeof config !== 'object' || config === null || Array.isArray(config))) {
    throw new InvalidArgumentError(
      `openNode's config must be an object in the spec's shape { ignite: { storage: { engines, profiles } } }, got ${describeValue(config)}`,
    );
  }
  if (logger !== undefined) checkLogger(logger);
  if (options.gc !== undefined) gcOptions(options.gc);
  if (typeof hooks !== 'object' || hooks === null || (hooks.configure !== undefined && typeof hooks.configure !== 'function')) {
    throw new InvalidArgumentError(`openNode's second argument must be { configure?: (container) => void }`);
  }
}

async function startAll(engines: readonly ProfileEngine[]): Promise<void> {
  for (let i = 0; i < engines.length; i++) {
    try {
      await engines[i]!.start();
    } catch (e) {
      // The failed engine is stopped too: its stop releases whatever its start had acquired.
      for (let j = i; j >= 0; j--) await engines[j]!.stop().catch(() => undefined);
      throw e;
    }
  }
}

/**
 * Creates the work dir and its missing parents one level at a time. (Node's recursive mkdir spins for ever on
 * some paths that can never be created, such as under /proc; this fails at once with the level that failed.)
 */
function ensureDir(dir: string): void {
  const missing: string[] = [];
  let at = dir;
  for (;;) {
    const kind = kindOf(at);
    if (kind === 'dir') break;
    if (kind === 'other') throw unusable(dir, `'${at}' exists and is not a directory`);
    missing.push(at);
    const parent = dirname(at);
    if (parent === at) break;
    at = parent;
  }
  for (let i = missing.length - 1; i >= 0; i--) {
    try {
      mkdirSync(missing[i]!);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err.code === 'EEXIST' && kindOf(missing[i]!) === 'dir') continue; // created concurrently
      throw unusable(dir, `cannot create '${missing[i]}' (${err.code ?? err.message})`);
    }
  }
}

function kindOf(path: string): 'dir' | 'other' | 'missing' {
  try {
    return statSync(path).isDirectory() ? 'dir' : 'other';
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'missing';
    if (code === 'ENOTDIR') return 'other';
    throw new StorageIoError(`cannot use work dir: '${path}' cannot be examined (${code ?? (e as Error).message})`, 'WORKDIR_UNUSABLE');
  }
}

function unusable(dir: string, why: string): StorageIoError {
  return new StorageIoError(`cannot use work dir '${dir}': ${why}; choose a writable directory`, 'WORKDIR_UNUSABLE');
}
