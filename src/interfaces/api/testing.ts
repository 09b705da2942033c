/**
 * aistorage's second entry (`aistorage/testing`): what adapter-swap tests and embedders who rebind adapters need,
 * kept out of the main entry because it exposes the node's inside and may change with it.
 *
 * - Rebinding: `openNode(options, { configure: (c) => c.rebind(TOKENS.MemoryProvider).toConstantValue(mine) })`.
 *   TOKENS name every binding of a node's container; the port types say what a replacement must implement
 *   (MemoryProvider: where volatile regions get their segments; Clock: wall time; SystemInfo: RAM size for the
 *   dynamic defaults; ConfigStore: where the configuration is kept; WorkDirLock: who owns a work dir; FileIo: every file the node
 *   keeps (swap in a power-loss simulation); ProfileEngine: an engine adapter, with the
 *   start/stop lifecycle the node drives).
 * - Page level: a region's `pageMemory` (PageMemory), the caller-owned PageView it fills, and page ids (flags,
 *   partition, index) for tests that work on pages directly.
 */
export { TOKENS, type NodeOptions } from '../composition/tokens';
export type { ContainerConfigurer } from '../composition/container';
export type { OpenNodeHooks } from './open-node';

export type { MemoryProvider } from '../../domain/ports/memory-provider.port';
export type { Clock } from '../../domain/ports/clock.port';
export type { SystemInfo } from '../../domain/ports/system-info.port';
export type { WorkDirLock, WorkDirLease } from '../../domain/ports/work-dir-lock.port';
export type { FileIo, FileHandle, OpenMode } from '../../domain/ports/file-io.port';
export type { ConfigStore } from '../../application/config/config-store.port';
export type { ProfileEngine } from '../../application/engine/profile-engine';

export type { PageMemory } from '../../domain/page-memory/page-memory.port';
export { PageView } from '../../domain/page-memory/page-memory.port';
export { pageId, pageIndex, partitionIdOf, flagsOf, FLAG_DATA, FLAG_AUX } from '../../domain/page/page-id';
