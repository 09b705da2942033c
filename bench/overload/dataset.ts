/**
 * The overload benchmark's data: ROWS rows of VALUE_BYTES in one table of PARTITIONS partitions, with RowIds drawn
 * from a seed (so every child knows every row without an index or a scan), and the node that holds them.
 *
 * The data is loaded once per run into a template work dir with a cache large enough for all of it (a loading phase
 * is not what is measured, and with the small cache it would take minutes of evictions), checkpointed by the close;
 * each measured child then opens its own copy of that dir with the small cache: the same pages, the same files, a
 * cold cache that its warm-up fills.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '../standard/workload';
import type { StorageNode } from '../../src/interfaces/api/storage-node';
import type { BinaryRow, MvPartitionStorage, RowId, StorageConfigInput, ThrottlingPolicyName } from '../../src/interfaces/api/index';
import { CHECKPOINT_INTERVAL_MS, MiB, PARTITIONS, SEED, VALUE_BYTES } from './common';

type Api = typeof import('../../src/interfaces/api/index');

const TABLE_ID = 1;
const PROFILE = 'default';
const LOAD_BATCH = 1_000;
/** Distinct row values (views of one random pool); rows are immutable, so updates reuse them. */
const VALUES = 1024;

export interface OpenedData {
  readonly node: StorageNode;
  readonly parts: readonly MvPartitionStorage[];
}

/** The node's config: the `default` profile of `cacheBytes`, `policy`, `syncMode`, the checkpoint interval. */
export function nodeConfig(
  cacheBytes: number, policy: ThrottlingPolicyName, syncMode: 'background' | 'none', intervalMillis = CHECKPOINT_INTERVAL_MS,
): StorageConfigInput {
  return {
    ignite: {
      storage: {
        profiles: [{ name: PROFILE, sizeBytes: cacheBytes }],
        engines: { aipersist: { throttling: { policy }, checkpoint: { intervalMillis }, deltaLog: { syncMode } } },
      },
    },
  };
}

export async function openData(api: Api, workDir: string, config: StorageConfigInput, create: boolean): Promise<OpenedData> {
  const node = await api.openNode({ workDir, config });
  const table = node.engine('aipersist').createMvTable({ tableId: TABLE_ID, partitions: PARTITIONS, storageProfile: PROFILE });
  const parts: MvPartitionStorage[] = [];
  for (let p = 0; p < PARTITIONS; p++) {
    parts.push(create ? await table.createMvPartition(p) : (table.getMvPartition(p) ?? await table.createMvPartition(p)));
  }
  return { node, parts };
}

/** Every row's RowId as four order words, from the seed; row i is in partition i % PARTITIONS. */
export class RowIds {
  readonly #words: Uint32Array;
  readonly #api: Api;

  constructor(api: Api, readonly rows: number) {
    this.#api = api;
    this.#words = new Uint32Array(rows * 4);
    const rng = new Rng(SEED);
    // RowId order words are unsigned; fromWords takes them as they are (distinct with overwhelming probability).
    for (let i = 0; i < this.#words.length; i++) this.#words[i] = rng.next();
  }

  /** A new RowId object for row i (the API takes one per call; it is not kept by the bench). */
  rowId(i: number): RowId {
    const w = this.#words;
    const o = i * 4;
    return this.#api.RowId.fromWords(i % PARTITIONS, w[o]!, w[o + 1]!, w[o + 2]!, w[o + 3]!);
  }
}

/** VALUES rows of VALUE_BYTES random bytes, built once: the values every load and update writes. */
export function makeValues(): BinaryRow[] {
  const rng = new Rng(SEED + 1);
  const pool = Buffer.allocUnsafeSlow(VALUES * VALUE_BYTES);
  for (let i = 0; i < pool.length; i++) pool[i] = rng.next() & 0xff;
  const rows: BinaryRow[] = [];
  for (let i = 0; i < VALUES; i++) rows.push({ schemaVersion: 1, bytes: pool.subarray(i * VALUE_BYTES, (i + 1) * VALUE_BYTES) });
  return rows;
}

export const valueIndex = (i: number): number => (i * 2654435761) >>> 22; // a hash of i in 0..1023

/** Loads every row (LOAD_BATCH per runConsistently closure, partition by partition), then flushes. */
export async function loadRows(api: Api, data: OpenedData, ids: RowIds): Promise<void> {
  const values = makeValues();
  let ts = api.hybridTimestamp(Date.now(), 0);
  for (let p = 0; p < PARTITIONS; p++) {
    const part = data.parts[p]!;
    for (let from = p; from < ids.rows; from += PARTITIONS * LOAD_BATCH) {
      const to = Math.min(ids.rows, from + PARTITIONS * LOAD_BATCH);
      ts += 1n;
      const at = ts;
      part.runConsistently(() => {
        for (let i = from; i < to; i += PARTITIONS) {
          const r = part.addWriteCommitted(ids.rowId(i), values[valueIndex(i)]!, at);
          if (r.status !== 'SUCCESS') throw new Error(`load of row ${i}: ${r.status}`);
        }
      });
    }
  }
  for (const part of data.parts) await part.flush(true);
}

/** Bytes of the files under `dir` (the partition and delta files: the data's size on disk). */
export function dirBytes(dir: string): number {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    total += e.isDirectory() ? dirBytes(p) : statSync(p).size;
  }
  return total;
}

/** The loading cache: all of the data fits (rows and their version chains take well under 4 × the raw bytes). */
export const loadCacheBytes = (rows: number): number => Math.max(64 * MiB, Math.ceil((rows * (VALUE_BYTES + 16) * 4) / MiB) * MiB);
