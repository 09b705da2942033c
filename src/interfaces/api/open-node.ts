import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ConfigService } from '../../application/config/config-service';
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

/** Opens a storage node: builds its own DI container, loads and validates the configuration. */
export async function openNode(options: OpenNodeOptions = {}, hooks: OpenNodeHooks = {}): Promise<StorageNode> {
  const workDir = options.workDir === undefined ? undefined : resolve(options.workDir);
  if (workDir !== undefined) ensureDir(workDir);
  const nodeOptions: NodeOptions = { workDir, config: options.config };
  const container = createNodeContainer(nodeOptions, hooks.configure);
  const config = container.get<ConfigService>(TOKENS.ConfigService);
  const engines = new Map(ENGINE_NAMES.map((name) => [name, container.get(engineToken(name))] as const));
  return new StorageNode(workDir ?? null, config, (name) => engines.get(name)!, [...engines.values()], container.get(TOKENS.Clock));
}

function ensureDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new StorageIoError(`cannot create work dir '${dir}' (${err.code ?? err.message}); choose a writable directory`, 'WORKDIR_UNUSABLE');
  }
}
