/**
 * Checkpoint-buffer protection (both throttling policies): the copy-on-write buffer of a running checkpoint is in
 * danger above 2/3 of its capacity, and heavily so above 90% (DESIGN.md §5). Only writes to pages of the running
 * checkpoint are slowed for it — they are the ones that copy pages into the buffer.
 */
export const BUFFER_DANGER_FILL = 2 / 3;
export const BUFFER_HEAVY_FILL = 0.9;

export type BufferZone = 'safe' | 'danger' | 'heavy';

export function bufferZone(usedPages: number, capacityPages: number): BufferZone {
  if (capacityPages <= 0) return 'safe';
  const fill = usedPages / capacityPages;
  if (fill > BUFFER_HEAVY_FILL) return 'heavy';
  return fill > BUFFER_DANGER_FILL ? 'danger' : 'safe';
}
