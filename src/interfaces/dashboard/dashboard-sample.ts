/**
 * What the dashboard charts, derived from two `node.metrics()` snapshots: rates and ratios per interval from the
 * node's cumulative counters, so the page never sees a counter and a chart's point means "during the last interval".
 * Pure: no timers, no I/O. Fields the node may not fill yet (writes, throttling: added by issue 12's wiring) are read
 * defensively and charted as gaps (null) while absent.
 */
import type { NodeMetrics } from '../../application/engine/node-metrics';

/** One region's point of each chart. null: nothing to show (a volatile region, a cache with no accesses). */
export interface DashboardRegionSample {
  readonly profile: string;
  readonly engine: string;
  /** aimem: nothing is ever checkpointed, so no dirty pages, no checkpoint buffer, no throttling. */
  readonly volatile: boolean;
  /** Dirty pages / the region's pages. */
  readonly dirtyRatio: number | null;
  /** The dirty ratio the throttling policy allows now. */
  readonly targetDirtyRatio: number | null;
  /** Checkpoint buffer pages in use / its capacity. */
  readonly bufferFill: number | null;
  /** Milliseconds writers were held back by throttling, per second of the interval. */
  readonly throttleMillisPerSec: number | null;
  /** True while the policy delays writers. */
  readonly throttling: boolean;
  /** Page-cache hits / (hits + misses) during the interval. */
  readonly hitRatio: number | null;
}

/** One point of every chart; `t` is wall-clock ms at the sample. */
export interface DashboardSample {
  readonly t: number;
  /** Write closures (outermost runConsistently / runDurably) per second during the interval. */
  readonly writesPerSec: number | null;
  readonly regions: readonly DashboardRegionSample[];
}

/** The cumulative counters a sample is the difference of. */
export interface SampleCounters {
  readonly atMillis: number;
  readonly closures: number | null;
  readonly profiles: ReadonlyMap<string, { readonly hits: number; readonly misses: number; readonly throttleMillis: number | null }>;
}

type Durable = NonNullable<NodeMetrics['aipersist']>;
type Cache = Durable['caches'][number];
type Throttling = Durable['throttling'][number];

/** The counters of a snapshot, taken at `atMillis` (wall clock of the sampler, not the node's Clock adapter). */
export function sampleCounters(m: NodeMetrics, atMillis: number): SampleCounters {
  const profiles = new Map<string, { hits: number; misses: number; throttleMillis: number | null }>();
  for (const c of m.aipersist?.caches ?? []) profiles.set(c.profile, { hits: c.hits, misses: c.misses, throttleMillis: null });
  for (const t of throttlingOf(m)) {
    const p = profiles.get(t.profile) ?? { hits: 0, misses: 0, throttleMillis: null };
    profiles.set(t.profile, { ...p, throttleMillis: t.totalThrottleMillis });
  }
  return { atMillis, closures: closuresOf(m), profiles };
}

/** The sample of the interval from `prev` to `now` (both counters of snapshots; `m` is the snapshot of `now`). */
export function deriveSample(prev: SampleCounters, now: SampleCounters, m: NodeMetrics): DashboardSample {
  const seconds = Math.max(now.atMillis - prev.atMillis, 1) / 1000;
  const rate = (a: number | null | undefined, b: number | null | undefined): number | null =>
    a === null || a === undefined || b === null || b === undefined ? null : round(Math.max(b - a, 0) / seconds);
  const caches = new Map<string, Cache>((m.aipersist?.caches ?? []).map((c) => [c.profile, c]));
  const throttling = new Map<string, Throttling>(throttlingOf(m).map((t) => [t.profile, t]));
  const regions = m.regions.map((r): DashboardRegionSample => {
    const cache = caches.get(r.profile);
    const policy = throttling.get(r.profile);
    const before = prev.profiles.get(r.profile);
    const after = now.profiles.get(r.profile);
    return {
      profile: r.profile,
      engine: r.engine,
      volatile: r.volatile,
      dirtyRatio: r.volatile || r.pages.max === 0 ? null : round(r.pages.dirty / r.pages.max),
      targetDirtyRatio: finiteOrNull(policy?.targetDirtyRatio),
      bufferFill: cache === undefined ? null : fill(cache.checkpointBuffer.usedPages, cache.checkpointBuffer.capacityPages),
      throttleMillisPerSec: rate(before?.throttleMillis, after?.throttleMillis),
      throttling: policy?.active === true,
      hitRatio: before === undefined || after === undefined ? null : hitRatio(after.hits - before.hits, after.misses - before.misses),
    };
  });
  return { t: now.atMillis, writesPerSec: rate(prev.closures, now.closures), regions };
}

function closuresOf(m: NodeMetrics): number | null {
  const closures = (m as { writes?: { closures?: unknown } }).writes?.closures;
  return typeof closures === 'number' ? closures : null;
}

function throttlingOf(m: NodeMetrics): readonly Throttling[] {
  const t = (m.aipersist as { throttling?: unknown } | null)?.throttling;
  return Array.isArray(t) ? (t as Throttling[]) : [];
}

function hitRatio(hits: number, misses: number): number | null {
  return hits < 0 || misses < 0 || hits + misses === 0 ? null : round(hits / (hits + misses));
}

function fill(used: number, capacity: number): number | null {
  return capacity > 0 ? round(Math.min(used / capacity, 1)) : null;
}

function finiteOrNull(v: number | undefined): number | null {
  return v !== undefined && Number.isFinite(v) ? round(v) : null;
}

/** Six significant figures at most: more than a chart can show, and a sample stays short on the wire. */
function round(v: number): number {
  return v === 0 || !Number.isFinite(v) ? v : Number(v.toPrecision(6));
}
