/** The aimem engine: volatile data regions in ArrayBuffer segments. */
import { ContainerModule } from 'inversify';
import type { ConfigService } from '../../application/config/config-service';
import { AimemEngine } from '../../application/engine/aimem/aimem-engine';
import type { MemoryProvider } from '../../domain/ports/memory-provider.port';
import { TOKENS } from './tokens';

export const aimemModule = new ContainerModule(({ bind }) => {
  bind(TOKENS.AimemEngine)
    .toResolvedValue(
      (config: ConfigService, memory: MemoryProvider) => new AimemEngine(config, memory),
      [TOKENS.ConfigService, TOKENS.MemoryProvider],
    )
    .inSingletonScope();
});
