import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ConfigService } from '../../application/config/config-service';
import type { ProfileEngine } from '../../application/engine/profile-engine';
import { StorageIoError } from '../../domain/shared/errors';
import { createNodeContainer, engineToken, ENGINE_NAMES, type ContainerConfigurer } from '../composition/container';
import { TOKENS, type NodeOptions } from '../composition/tokens';
import { StorageNode } from './storage-node';

export interface OpenNodeOptions {
  /** Directory for the node's files (created if missing). Without it, configuration lives in memory only. */
  readonly workDir?: string;
  /** Configuration in the spec's JSON shape (`{ ignite: { storage: { engines, profiles } } }`), merged over the work dir's file. */
  readonly config?: unknown;
}

export interface OpenNodeHooks {
  /** Rebind adapters (memory provider, clock, system info, ...) before the node is built. For tests and embedders. */
  readonly configure?: ContainerConfigurer;
}

/**
 * Opens a storage node: builds its own DI container, loads and validates the configuration, and starts every engine
 * (one after the other, in ENGINE_NAMES order; a persistent engine recovers in its start). If a start fails, the
 * engines started so far are stopped again (in reverse order) and the start's error is thrown.
 */
export async function openNode(options: OpenNodeOptions = {}, hooks: OpenNodeHooks = {}): Promise<StorageNode> {
  const workDir = options.workDir === undefined ? undefined : resolve(options.workDir);
  if (workDir !== undefined) ensureDir(workDir);
  const nodeOptions: NodeOptions = { workDir, config: options.config };
  const container = createNodeContainer(nodeOptions, hooks.configure);
  const config = container.get<ConfigService>(TOKENS.ConfigService);
  const engines = new Map(ENGINE_NAMES.map((name) => [name, container.get(engineToken(name))] as const));
  const clock = container.get(TOKENS.Clock);
  const started = [...engines.values()];
  await startAll(started);
  return new StorageNode(workDir ?? null, config, (name) => engines.get(name)!, started, clock);
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

function ensureDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new StorageIoError(`cannot create work dir '${dir}' (${err.code ?? err.message}); choose a writable directory`, 'WORKDIR_UNUSABLE');
  }
}
