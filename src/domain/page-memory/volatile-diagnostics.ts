/**
 * Slow-path diagnostics of VolatilePageMemory, kept apart from the hot code: its stats, its self-check (STYLE
 * rule 6) and the explanation of a refused page id. All read the memory's state as the memory hands it over.
 * The self-check walks every slot below the bump pointer plus the free stack; slots above the bump pointer are not
 * read: their buffers may be untouched (and uncommitted) OS memory.
 */
import { pageIdToString } from '../page/page-id';
import type { SegmentPlan } from './segment-plan';
import type { VolatileOwnerLists } from './volatile-owner-lists';
import {
  STATE_ALLOCATED, STATE_DIRTY, STATE_FREE, W_GROUP, W_ID_HI, W_ID_LO, W_NEXT_FREE, W_OWNER, W_PINS, W_PREV, W_STATE,
} from './volatile-page.layout';

export interface VolatileMemoryState {
  readonly name: string;
  readonly pageSize: number;
  readonly plan: SegmentPlan;
  readonly words: readonly Uint32Array[];
  readonly slotWords: number;
  readonly bufferCount: number;
  readonly segments: number;
  readonly totalBytes: number;
  readonly bumpBuffer: number;
  readonly bumpLocal: number;
  readonly freeHead: number;
  readonly freeCount: number;
  readonly allocated: number;
  readonly pinned: number;
  readonly dirty: number;
  readonly closed: boolean;
  readonly owners: VolatileOwnerLists;
}

/** A snapshot of the memory's counters (plain data, JSON-friendly). Byte counts include the system headers. */
export interface VolatilePageMemoryStats {
  readonly pageSize: number;
  /** Bytes per page in a segment: system header + page. */
  readonly slotSize: number;
  readonly segments: number;
  readonly plannedSegments: number;
  /** Bytes of each allocated segment, in allocation order. */
  readonly segmentSizes: readonly number[];
  readonly buffers: number;
  /** Page slots in the allocated segments. */
  readonly totalPages: number;
  /** Page slots of every planned segment: the most pages the region can ever hold. */
  readonly maxPages: number;
  readonly allocatedPages: number;
  /** Freed pages on the free stack, reused before fresh slots. */
  readonly freePages: number;
  /** Pages of dropped partitions not reclaimed yet (refused already; reused after the free stack). */
  readonly droppedPages: number;
  /** Slots of the allocated segments never handed out yet. */
  readonly unusedPages: number;
  readonly pinnedPages: number;
  readonly dirtyPages: number;
  readonly totalBytes: number;
  readonly allocatedBytes: number;
  readonly freeBytes: number;
}

export function volatileStats(s: VolatileMemoryState): VolatilePageMemoryStats {
  const { plan } = s;
  let totalPages = 0;
  for (let b = 0; b < s.bufferCount; b++) totalPages += plan.bufferSlots[b]!;
  return {
    pageSize: s.pageSize,
    slotSize: plan.slotSize,
    segments: s.segments,
    plannedSegments: plan.segmentBytes.length,
    segmentSizes: plan.segmentBytes.slice(0, s.segments),
    buffers: s.bufferCount,
    totalPages,
    maxPages: plan.totalSlots,
    allocatedPages: s.allocated,
    freePages: s.freeCount,
    droppedPages: s.owners.droppedPages,
    unusedPages: totalPages - s.allocated - s.freeCount - s.owners.droppedPages,
    pinnedPages: s.pinned,
    dirtyPages: s.dirty,
    totalBytes: s.totalBytes,
    allocatedBytes: s.allocated * plan.slotSize,
    freeBytes: s.freeCount * plan.slotSize,
  };
}

interface SlotCounts {
  allocated: number;
  dropped: number;
  free: number;
  pinned: number;
  dirty: number;
}

export function checkVolatileInvariants(s: VolatileMemoryState): void {
  const fail = (what: string): never => {
    throw new Error(`page memory '${s.name}': invariant broken: ${what}`);
  };
  if (s.closed) {
    if (s.bufferCount !== 0 || s.allocated !== 0 || s.freeCount !== 0) fail('a closed memory still holds pages');
    return;
  }
  checkGeometry(s, fail);
  const counts = countSlots(s, fail);
  if (counts.allocated !== s.allocated) fail(`${counts.allocated} slots are ALLOCATED to live owners, counter says ${s.allocated}`);
  if (counts.dropped !== s.owners.droppedPages) fail(`${counts.dropped} slots belong to dropped owners, counter says ${s.owners.droppedPages}`);
  if (counts.free !== s.freeCount) fail(`${counts.free} slots are FREE, counter says ${s.freeCount}`);
  if (counts.pinned !== s.pinned) fail(`${counts.pinned} slots are pinned, counter says ${s.pinned}`);
  if (counts.dirty !== s.dirty) fail(`${counts.dirty} slots are dirty, counter says ${s.dirty}`);
  checkFreeStack(s, fail);
  checkOwnerLists(s, fail);
}

/** Every live list and dropped segment links its slots both ways, with the right owner and count. */
function checkOwnerLists(s: VolatileMemoryState, fail: (what: string) => never): void {
  const { plan } = s;
  const word = (slot: number, wd: number): number =>
    s.words[Math.floor(slot / 2 ** plan.localBits)]![(slot % 2 ** plan.localBits) * s.slotWords + wd]!;
  const { live, dropped } = s.owners.snapshot();
  let total = 0;
  for (const list of [...live, ...dropped]) {
    let prev = 0;
    let n = 0;
    for (let link = list.head; link !== 0; n++) {
      if (n > list.count) fail(`owner list ${list.id} is longer than its count ${list.count}`);
      const slot = link - 1;
      if (word(slot, W_OWNER) !== list.id) fail(`slot ${slot} on owner list ${list.id} names owner ${word(slot, W_OWNER)}`);
      if (live.includes(list) && word(slot, W_PREV) !== prev) fail(`slot ${slot} on owner list ${list.id} has prev ${word(slot, W_PREV)}, expected ${prev}`);
      prev = link;
      link = word(slot, W_NEXT_FREE);
    }
    if (n !== list.count) fail(`owner list ${list.id} links ${n} slots, its count says ${list.count}`);
    total += n;
  }
  if (total !== s.allocated + s.owners.droppedPages) fail(`owner lists hold ${total} slots, ${s.allocated} allocated + ${s.owners.droppedPages} dropped`);
}

function checkGeometry(s: VolatileMemoryState, fail: (what: string) => never): void {
  const { plan } = s;
  if (s.segments < 1 || s.segments > plan.segmentBytes.length) fail(`${s.segments} segments of ${plan.segmentBytes.length} planned`);
  const buffers = s.segments < plan.segmentBytes.length ? plan.segmentFirstBuffer[s.segments]! : plan.bufferSlots.length;
  if (s.bufferCount !== buffers || s.words.length !== buffers) fail(`${s.bufferCount} buffers for ${s.segments} segments, expected ${buffers}`);
  if (s.bumpBuffer < 0 || s.bumpBuffer >= s.bufferCount) fail(`bump buffer ${s.bumpBuffer} outside ${s.bufferCount} buffers`);
  if (s.bumpLocal < 0 || s.bumpLocal > plan.bufferSlots[s.bumpBuffer]!) fail(`bump slot ${s.bumpLocal} beyond its buffer`);
  if (s.bumpBuffer > 0 && s.bumpLocal === 0) fail('bump pointer moved to a buffer without using a slot of it');
  for (let b = 0; b < s.bufferCount; b++) {
    if (s.words[b]!.length !== plan.bufferSlots[b]! * s.slotWords) fail(`buffer ${b} has the wrong length`);
  }
}

/** Counts slot states below the bump pointer; every such slot is exactly one of ALLOCATED and FREE. */
function countSlots(s: VolatileMemoryState, fail: (what: string) => never): SlotCounts {
  const { plan } = s;
  const counts: SlotCounts = { allocated: 0, dropped: 0, free: 0, pinned: 0, dirty: 0 };
  for (let b = 0; b <= s.bumpBuffer; b++) {
    const h = s.words[b]!;
    const used = b < s.bumpBuffer ? plan.bufferSlots[b]! : s.bumpLocal;
    for (let local = 0; local < used; local++) {
      const w = local * s.slotWords;
      const slot = b * 2 ** plan.localBits + local;
      const state = h[w + W_STATE]!;
      const allocated = (state & STATE_ALLOCATED) !== 0;
      if (allocated === ((state & STATE_FREE) !== 0)) fail(`slot ${slot} has state ${state}: not exactly one of ALLOCATED, FREE`);
      const index = h[w + W_ID_LO]!;
      const generation = Math.floor(index / 2 ** plan.slotBits);
      if (index % 2 ** plan.slotBits !== slot || generation < 1 || generation > plan.maxGeneration) {
        fail(`slot ${slot} carries page index ${index}, which does not map back to it`);
      }
      const live = allocated && s.owners.live[h[w + W_OWNER]!] === 1;
      if (live) counts.allocated++;
      else if (allocated) counts.dropped++;
      else counts.free++;
      if (h[w + W_PINS]! > 0) {
        if (!live) fail(`free or dropped slot ${slot} is pinned`);
        counts.pinned++;
      }
      if ((state & STATE_DIRTY) !== 0) {
        if (!allocated) fail(`free slot ${slot} is dirty`);
        counts.dirty++;
      }
    }
  }
  return counts;
}

function checkFreeStack(s: VolatileMemoryState, fail: (what: string) => never): void {
  const { plan } = s;
  let steps = 0;
  for (let link = s.freeHead; link !== 0; steps++) {
    if (steps >= s.freeCount) fail(`the free stack is longer than ${s.freeCount} entries (a cycle?)`);
    const slot = link - 1;
    const b = Math.floor(slot / 2 ** plan.localBits);
    const local = slot % 2 ** plan.localBits;
    const below = b < s.bumpBuffer || (b === s.bumpBuffer && local < s.bumpLocal);
    if (!below) fail(`the free stack links to slot ${slot}, which was never handed out`);
    const w = local * s.slotWords;
    if (s.words[b]![w + W_STATE] !== STATE_FREE) fail(`the free stack holds slot ${slot} in state ${s.words[b]![w + W_STATE]}`);
    link = s.words[b]![w + W_NEXT_FREE]!;
  }
  if (steps !== s.freeCount) fail(`the free stack has ${steps} entries, counter says ${s.freeCount}`);
}

/**
 * Why (groupId, pageId) names no live page of the memory (the memory already knows that it does not).
 * `pageId` is a non-negative safe integer.
 */
export function explainDeadPage(s: VolatileMemoryState, groupId: number, pageId: number): string {
  const { plan } = s;
  const index = pageId % 2 ** 32;
  const slot = index % 2 ** plan.slotBits;
  const b = Math.floor(slot / 2 ** plan.localBits);
  const local = slot % 2 ** plan.localBits;
  if (b >= s.bufferCount || local >= plan.bufferSlots[b]!) return 'its index is beyond the memory allocated so far';
  const h = s.words[b]!;
  const w = local * s.slotWords;
  const state = h[w + W_STATE]!;
  if (state === 0) return 'it was never allocated';
  if (h[w + W_ID_LO] !== index) return 'its slot has been reused since (stale page id)';
  if ((state & STATE_FREE) !== 0) return 'it was freed';
  if (s.owners.live[h[w + W_OWNER]!] !== 1) return 'its partition\'s pages were dropped (cleared or destroyed)';
  if (h[w + W_GROUP] !== groupId) return `it belongs to group ${h[w + W_GROUP]}`;
  return `the page in its slot is ${pageIdToString(index + h[w + W_ID_HI]! * 2 ** 32)}`;
}
