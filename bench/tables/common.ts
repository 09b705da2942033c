/**
 * What the tables benchmark's children (./child.ts) and its parent (bench/tables.bench.ts) share: the subject ids and
 * labels, the sizes of the durable-commit figures, what a child reports, and the stores' sizing (the same for
 * level 2 and level 3, so that the two levels run on equal regions and caches).
 */
import type { RunResult } from '../standard/run-result';
import { KEY_SIZE, VALUE_SIZE } from '../standard/workload';

/** The standard workload's phases, one child per subject and run. */
export const PHASE_IDS = ['l2-aimem', 'l3-aimem', 'l2-aipersist', 'l3-aipersist'] as const;
/** The same level-2 subjects on a zone of the default 25 partitions: one run, an extra line. */
export const EXTRA_IDS = ['l2-aimem-p25', 'l2-aipersist-p25'] as const;
/** Durable single-row commits: level 2 (1 and 25 partitions), level 3 (runDurably), better-sqlite3. */
export const COMMIT_IDS = ['commits-l2', 'commits-l2-p25', 'commits-l3', 'commits-sqlite'] as const;

export type PhaseId = (typeof PHASE_IDS)[number] | (typeof EXTRA_IDS)[number];
export type CommitId = (typeof COMMIT_IDS)[number];
export type ChildId = PhaseId | CommitId;
export const CHILD_IDS: readonly ChildId[] = [...PHASE_IDS, ...EXTRA_IDS, ...COMMIT_IDS];

/** The level-3 subject each level-2 subject is compared with. */
export const LEVEL3_OF: Readonly<Record<'l2-aimem' | 'l2-aipersist', 'l3-aimem' | 'l3-aipersist'>> = {
  'l2-aimem': 'l3-aimem',
  'l2-aipersist': 'l3-aipersist',
};

export const LABELS: Readonly<Record<ChildId, string>> = {
  'l2-aimem': 'level 2 aimem (1 partition)',
  'l3-aimem': 'level 3 aimem (SPI)',
  'l2-aipersist': 'level 2 aipersist (1 partition)',
  'l3-aipersist': 'level 3 aipersist (SPI, runDurably per batch)',
  'l2-aimem-p25': 'level 2 aimem (25 partitions)',
  'l2-aipersist-p25': 'level 2 aipersist (25 partitions)',
  'commits-l2': 'level 2 aipersist, table.upsert (1 partition)',
  'commits-l2-p25': 'level 2 aipersist, table.upsert (25 partitions)',
  'commits-l3': 'level 3 aipersist, runDurably (SPI)',
  'commits-sqlite': 'better-sqlite3 (WAL, synchronous=FULL, INSERT OR REPLACE)',
};

export const isPhaseId = (id: string): id is PhaseId => (PHASE_IDS as readonly string[]).includes(id) || (EXTRA_IDS as readonly string[]).includes(id);

/** Figures of a durable-commit child: rates per second, latencies in ms. */
export interface CommitFigures {
  singleCommitsPerSec?: number;
  singleP50Ms?: number;
  singleP99Ms?: number;
  concurrentCommitsPerSec?: number;
  concurrentCommits?: number;
  concurrentSeconds?: number;
  concurrentP50Ms?: number;
  concurrentP99Ms?: number;
}

export interface CommitResult {
  readonly id: string;
  readonly label: string;
  readonly figures: CommitFigures;
  /** Set by the parent. */
  readonly commit?: string;
  readonly run?: number;
}

export type ChildResult = RunResult | CommitResult;

const MiB = 1024 * 1024;
const MIN_PROFILE_BYTES = 10 * MiB;
const roundUpMiB = (bytes: number): number => Math.ceil(bytes / MiB) * MiB;
const rawOf = (rows: number): number => rows * (KEY_SIZE + VALUE_SIZE);

/** aimem region for `rows` rows: as bench/standard/aistorage-subject.ts sizes the level-3 one. */
export const aimemMaxBytes = (rows: number): number => Math.max(256 * MiB, roundUpMiB(4 * rawOf(rows)));
export const AIMEM_INIT_BYTES = 64 * MiB;
/** aipersist cache for `rows` rows: as bench/aipersist/child.ts sizes its cache-resident run (≥ 4 × raw). */
export const aipersistCacheBytes = (rows: number): number => Math.max(MIN_PROFILE_BYTES, roundUpMiB(4 * rawOf(rows)));
