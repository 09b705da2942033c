/**
 * How a volatile data region grows, decided once at construction (pure functions, no memory is touched here).
 *
 * Segments (the spec's "up to 16 segments, minimum 256 MB per segment expansion"): segment 0 holds
 * `initSizeBytes`; every further segment holds max((max − init) / 15, 256 MiB), the last one truncated so the
 * total never exceeds `maxSizeBytes`. Every size is rounded down to whole page slots (system header + page).
 *
 * Buffers: V8 caps one ArrayBuffer (`maxBufferBytes`), so a segment is backed by one or more buffers of at most
 * 2^localBits slots each. Buffers are numbered across the region in allocation order, which gives every slot a
 * region-global slot number `bufferNo * 2^localBits + slotInBuffer` that maps back to its buffer with a shift and
 * a mask, never a search.
 *
 * Page index (32 bits, see page-id.ts) = generation * 2^slotBits + slot number. The generation (1 .. maxGeneration,
 * never 0, so NULL_PAGE_ID is never produced) advances every time a freed slot is reused, so a stale page id of a
 * freed page is rejected even when the slot is handed out again to the same group and partition — until the
 * generation wraps after maxGeneration reuses of that one slot.
 */
import { InvalidArgumentError } from '../shared/errors';

export const MAX_SEGMENTS = 16;
export const MIN_EXPANSION_BYTES = 256 * 1024 * 1024;
/** Default cap of one backing buffer; V8 on 64-bit allows up to 4 GiB, smaller buffers fragment less. */
export const DEFAULT_MAX_BUFFER_BYTES = 1024 * 1024 * 1024;

/** Buffers per region are bounded so that slot numbers leave room for at least one generation bit. */
const MAX_SLOT_BITS = 31;
/** Keeps shift arithmetic in 32-bit integers whatever `maxBufferBytes` says. */
const MAX_LOCAL_BITS = 30;

export interface SegmentPlan {
  readonly slotSize: number;
  /** Bytes of each segment, in allocation order; every entry is a positive multiple of slotSize. */
  readonly segmentBytes: readonly number[];
  /** First buffer number of each segment; segment i owns buffers [segmentFirstBuffer[i], segmentFirstBuffer[i+1]). */
  readonly segmentFirstBuffer: readonly number[];
  /** Slots in each buffer (all planned buffers of all segments). */
  readonly bufferSlots: readonly number[];
  /** A buffer holds at most 2^localBits slots; slot number = bufferNo << localBits | slotInBuffer. */
  readonly localBits: number;
  /** Bits of the slot number; the page index's remaining high bits are the generation. */
  readonly slotBits: number;
  /** Largest generation (≥ 1); generations run 1..maxGeneration and wrap to 1. */
  readonly maxGeneration: number;
  /** Page slots of all segments together. */
  readonly totalSlots: number;
}

/**
 * Segment sizes in bytes for a region of `initSizeBytes`..`maxSizeBytes` whose pages take `slotSize` bytes each.
 * Throws InvalidArgumentError when the sizes are not integers, init does not hold one slot, or init > max.
 */
export function planSegmentSizes(initSizeBytes: number, maxSizeBytes: number, slotSize: number): number[] {
  requireSizes(initSizeBytes, maxSizeBytes, slotSize);
  const step = Math.max(Math.floor((maxSizeBytes - initSizeBytes) / (MAX_SEGMENTS - 1)), MIN_EXPANSION_BYTES);
  const sizes = [roundDown(initSizeBytes, slotSize)];
  let total = sizes[0]!;
  while (sizes.length < MAX_SEGMENTS) {
    const size = roundDown(Math.min(step, maxSizeBytes - total), slotSize);
    if (size === 0) break;
    sizes.push(size);
    total += size;
  }
  return sizes;
}

/** The full plan: segment sizes, their buffers, and the page index bit split. */
export function planSegments(
  initSizeBytes: number,
  maxSizeBytes: number,
  slotSize: number,
  maxBufferBytes = DEFAULT_MAX_BUFFER_BYTES,
): SegmentPlan {
  const segmentBytes = planSegmentSizes(initSizeBytes, maxSizeBytes, slotSize);
  const maxSlotsPerBuffer = Math.floor(maxBufferBytes / slotSize);
  if (!Number.isFinite(maxBufferBytes) || maxSlotsPerBuffer < 1) {
    throw new InvalidArgumentError(`maxBufferBytes must hold at least one page slot of ${slotSize} bytes, got ${maxBufferBytes}`);
  }
  let largest = 0;
  for (const bytes of segmentBytes) largest = Math.max(largest, bytes / slotSize);
  const localBits = Math.min(floorLog2(Math.min(maxSlotsPerBuffer, 2 ** MAX_LOCAL_BITS)), ceilLog2(largest));
  let buffers = 0;
  for (const bytes of segmentBytes) buffers += Math.ceil(bytes / slotSize / 2 ** localBits);
  const slotBits = localBits + ceilLog2(buffers);
  if (slotBits > MAX_SLOT_BITS) {
    throw new InvalidArgumentError(
      `a region of ${maxSizeBytes} bytes in ${buffers} buffers needs ${slotBits}-bit slot numbers ` +
        `(at most ${MAX_SLOT_BITS}); raise maxBufferBytes or the page size, or lower maxSizeBytes`,
    );
  }
  const segmentFirstBuffer: number[] = [];
  const bufferSlots: number[] = [];
  for (const bytes of segmentBytes) {
    segmentFirstBuffer.push(bufferSlots.length);
    for (let left = bytes / slotSize; left > 0; left -= 2 ** localBits) bufferSlots.push(Math.min(left, 2 ** localBits));
  }
  const totalSlots = bufferSlots.reduce((a, b) => a + b, 0);
  return { slotSize, segmentBytes, segmentFirstBuffer, bufferSlots, localBits, slotBits, maxGeneration: 2 ** (32 - slotBits) - 1, totalSlots };
}

function requireSizes(initSizeBytes: number, maxSizeBytes: number, slotSize: number): void {
  if (!Number.isSafeInteger(slotSize) || slotSize <= 0) {
    throw new InvalidArgumentError(`page slot size must be a positive integer, got ${slotSize}`);
  }
  if (!Number.isSafeInteger(initSizeBytes) || initSizeBytes < slotSize) {
    throw new InvalidArgumentError(`initSizeBytes must be an integer of at least one page slot (${slotSize} bytes), got ${initSizeBytes}`);
  }
  if (!Number.isSafeInteger(maxSizeBytes) || maxSizeBytes < initSizeBytes) {
    throw new InvalidArgumentError(`maxSizeBytes must be an integer not below initSizeBytes (${initSizeBytes}), got ${maxSizeBytes}`);
  }
}

function roundDown(bytes: number, unit: number): number {
  return bytes - (bytes % unit);
}

function floorLog2(n: number): number {
  return 31 - Math.clz32(n);
}

/** Smallest b with 2^b ≥ n (0 for n ≤ 1), for any safe integer n. */
function ceilLog2(n: number): number {
  let b = 0;
  while (2 ** b < n) b++;
  return b;
}
