/**
 * The engines of the standard benchmark by id, in table order. Peers are loaded lazily so that a peer that is not
 * installed (or whose native part does not load) is reported and skipped instead of failing the run.
 */
import type { Subject } from './subject';
import type { AistorageEngineKind, RowIdKind } from './aistorage-subject';
import type { SqliteModule } from './native-peers';

export interface SubjectOptions {
  readonly engine: AistorageEngineKind;
  readonly pageSize?: number;
}

export const PEER_IDS = ['map', 'btree-number', 'btree-buffer', 'lmdb', 'lmdb-nosync', 'sqlite', 'level'] as const;
export const AISTORAGE_IDS = ['aistorage-random', 'aistorage-sequential'] as const;
export type SubjectId = (typeof PEER_IDS)[number] | (typeof AISTORAGE_IDS)[number];

/** Lazy CommonJS require (a dynamic import() would go through the ESM loader, which cannot resolve .ts files). */
function load<T>(specifier: string): T {
  return require(specifier) as T;
}

export function isAistorage(id: string): boolean {
  return id.startsWith('aistorage-');
}

/** Creates the subject `id`; throws (with the reason) when its package cannot be loaded. */
export async function createSubject(id: SubjectId, opts: SubjectOptions): Promise<Subject> {
  switch (id) {
    case 'map': return new (load<typeof import('./memory-peers')>('./memory-peers')).MapSubject();
    case 'btree-number': return new (load<typeof import('./memory-peers')>('./memory-peers')).NumberBTreeSubject();
    case 'btree-buffer': return new (load<typeof import('./memory-peers')>('./memory-peers')).BufferBTreeSubject();
    case 'lmdb':
    case 'lmdb-nosync': {
      const { LmdbSubject } = load<typeof import('./native-peers')>('./native-peers');
      return new LmdbSubject(load<typeof import('lmdb')>('lmdb'), id === 'lmdb-nosync');
    }
    case 'sqlite': {
      const { SqliteSubject } = load<typeof import('./native-peers')>('./native-peers');
      const mod = load<{ default?: unknown }>('better-sqlite3');
      return new SqliteSubject((mod.default ?? mod) as SqliteModule);
    }
    case 'level': {
      const { LevelSubject } = load<typeof import('./native-peers')>('./native-peers');
      return new LevelSubject(load<typeof import('classic-level')>('classic-level'));
    }
    case 'aistorage-random':
    case 'aistorage-sequential': {
      const { AistorageSubject } = load<typeof import('./aistorage-subject')>('./aistorage-subject');
      const rowIds: RowIdKind = id === 'aistorage-random' ? 'random' : 'sequential';
      return new AistorageSubject(opts.engine, rowIds, opts.pageSize);
    }
  }
}
