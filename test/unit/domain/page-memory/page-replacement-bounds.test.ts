/**
 * The bounded victim search of the replacement policies (page-replacement.ts): with `maxSteps` a policy proposes
 * about that many frames and gives up (the persistent cache then spills a dirty page instead of sweeping a cache of
 * dirty frames per miss); without it the search is complete. The cache falls back to a complete search when it has
 * no spill area.
 */
import { describe, expect, it } from 'vitest';
import { CLEAN_SCAN_STEPS, replacementPolicy, type ReplacementMode } from '../../../../src/domain/page-memory/page-replacement';

const FRAMES = 2048;

function loadedPolicy(mode: ReplacementMode) {
  const p = replacementPolicy(mode, FRAMES);
  for (let f = 0; f < FRAMES; f++) p.loaded(f);
  return p;
}

describe('bounded victim search', () => {
  it.each(['CLOCK', 'SEGMENTED_LRU'] as const)('%s: one evictable frame past the bound is not found with it, and is without it', (mode) => {
    const only = FRAMES - 1; // the last the clock reaches; the most recent on the LRU list
    let proposed = 0;
    const evictable = (f: number): boolean => {
      proposed++;
      return f === only;
    };
    expect(loadedPolicy(mode).victim(evictable, CLEAN_SCAN_STEPS)).toBe(-1);
    expect(proposed).toBeLessThanOrEqual(CLEAN_SCAN_STEPS);
    expect(loadedPolicy(mode).victim(evictable)).toBe(only);
  });

  it('RANDOM_LRU: bounded, it gives up after its sampled rounds instead of scanning every frame', () => {
    let proposed = 0;
    const never = (): boolean => {
      proposed++;
      return false;
    };
    expect(loadedPolicy('RANDOM_LRU').victim(never, CLEAN_SCAN_STEPS)).toBe(-1);
    expect(proposed).toBeLessThan(FRAMES);
    expect(loadedPolicy('RANDOM_LRU').victim((f) => f === 1234)).toBe(1234);
  });
});
