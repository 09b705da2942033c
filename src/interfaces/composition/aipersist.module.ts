/**
 * The aipersist engine. Its storage arrives with a later issue; until then its profiles are validated and
 * listed, and asking for their storage fails with EngineNotAvailableError.
 */
import { ContainerModule } from 'inversify';
import { UnavailableEngine } from '../../application/engine/unavailable-engine';
import { TOKENS } from './tokens';

export const aipersistModule = new ContainerModule(({ bind }) => {
  bind(TOKENS.AipersistEngine).toResolvedValue(() => new UnavailableEngine('aipersist')).inSingletonScope();
});
