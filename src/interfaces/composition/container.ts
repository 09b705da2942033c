/**
 * The composition root: a new container per opened node (never a global one), the core bindings, and one
 * ContainerModule per engine. A profile's engine adapter is chosen by an exhaustive switch on its `engine`.
 */
import 'reflect-metadata';
import { Container, type ContainerModule, type ServiceIdentifier } from 'inversify';
import type { ProfileEngine } from '../../application/engine/profile-engine';
import type { EngineName } from '../../domain/storage/storage-engine.api';
import { aimemModule } from './aimem.module';
import { aipersistModule } from './aipersist.module';
import { coreModule } from './core.module';
import { TOKENS, type NodeOptions } from './tokens';

export const ENGINE_NAMES: readonly EngineName[] = ['aimem', 'aipersist'];

export function engineModule(engine: EngineName): ContainerModule {
  switch (engine) {
    case 'aimem':
      return aimemModule;
    case 'aipersist':
      return aipersistModule;
    default:
      return assertNever(engine);
  }
}

export function engineToken(engine: EngineName): ServiceIdentifier<ProfileEngine> {
  switch (engine) {
    case 'aimem':
      return TOKENS.AimemEngine;
    case 'aipersist':
      return TOKENS.AipersistEngine;
    default:
      return assertNever(engine);
  }
}

/** Hook for tests and embedders: runs after the default bindings, before anything is resolved. */
export type ContainerConfigurer = (container: Container) => void;

export function createNodeContainer(options: NodeOptions, configure?: ContainerConfigurer): Container {
  const container = new Container();
  container.bind(TOKENS.NodeOptions).toConstantValue(options);
  container.load(coreModule, ...ENGINE_NAMES.map(engineModule));
  configure?.(container);
  return container;
}

function assertNever(x: never): never {
  throw new Error(`unhandled engine ${String(x)}`);
}
