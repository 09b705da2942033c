/**
 * The frames of the persistent page cache (persistent-page-memory.ts): `frames` page-sized slots in ArrayBuffers of
 * at most `maxBufferBytes`, allocated as the frames are first used, their metadata in typed arrays (group, partition, page index, partition generation,
 * pins, state bits), the loaded-page table that finds a frame by (group, partition, index, generation), the
 * replacement policy, and the counters (loaded, dirty, pinned). No allocation per call; single-threaded.
 */
import { LoadedPageTable, pageHash } from './loaded-page-table';
import { replacementPolicy, type Evictable, type ReplacementMode, type ReplacementPolicy } from './page-replacement';

export const ST_LOADED = 1;
export const ST_DIRTY = 2;
/** In the running checkpoint's snapshot, its image not taken yet (checkpoint-images.ts). */
export const ST_CP = 4;
/** Its snapshot image is written to the running checkpoint's files, not yet committed. */
export const ST_HOLD = 8;

export class PageFrames {
  readonly u8: Uint8Array[] = [];
  readonly dv: DataView[] = [];
  readonly #frameBits: number;
  readonly #frameMask: number;
  readonly #perBuffer: number;
  readonly group: Uint32Array;
  readonly part: Int32Array;
  readonly index: Uint32Array;
  readonly gen: Int32Array;
  readonly pins: Int32Array;
  readonly state: Uint8Array;
  readonly table: LoadedPageTable;
  readonly policy: ReplacementPolicy;
  /** Frames never used yet: [unused, frames). Frames given back wait on a stack. */
  unused = 0;
  readonly #freeFrames: Int32Array;
  #freeCount = 0;
  loaded = 0;
  dirty = 0;
  pinned = 0;

  constructor(readonly frames: number, readonly pageSize: number, mode: ReplacementMode, maxBufferBytes: number) {
    let perBuffer = 1;
    while (perBuffer * 2 * pageSize <= maxBufferBytes && perBuffer * 2 <= frames) perBuffer *= 2;
    this.#frameBits = Math.log2(perBuffer);
    this.#frameMask = perBuffer - 1;
    this.#perBuffer = perBuffer;
    this.group = new Uint32Array(frames);
    this.part = new Int32Array(frames);
    this.index = new Uint32Array(frames);
    this.gen = new Int32Array(frames);
    this.pins = new Int32Array(frames);
    this.state = new Uint8Array(frames);
    this.#freeFrames = new Int32Array(frames);
    this.table = new LoadedPageTable(frames);
    this.policy = replacementPolicy(mode, frames);
  }

  /** The loaded-page table's hash of the frame's key. */
  hashOf(frame: number): number {
    return pageHash(this.group[frame]!, this.part[frame]!, this.index[frame]!);
  }

  /** The frame's buffer, and the page's offset in it. */
  bufOf(frame: number): Uint8Array {
    return this.u8[frame >>> this.#frameBits]!;
  }

  dvOf(frame: number): DataView {
    return this.dv[frame >>> this.#frameBits]!;
  }

  off(frame: number): number {
    return (frame & this.#frameMask) * this.pageSize;
  }

  find(groupId: number, partitionId: number, index: number, gen: number): number {
    return this.table.find(pageHash(groupId, partitionId, index), index, gen);
  }

  /** A frame that is free or never used, or −1. Buffers are allocated as frames are first used (a cache costs
   * nothing until it fills, and opening a node does not wait for it). */
  takeFree(): number {
    if (this.#freeCount > 0) return this.#freeFrames[--this.#freeCount]!;
    if (this.unused >= this.frames) return -1;
    const frame = this.unused;
    if ((frame & this.#frameMask) === 0) {
      const buf = new ArrayBuffer(Math.min(this.frames - frame, this.#perBuffer) * this.pageSize);
      this.u8.push(new Uint8Array(buf));
      this.dv.push(new DataView(buf));
    }
    return this.unused++;
  }

  /** The replacement policy's victim among the frames `evictable` accepts (looking at about `maxSteps`), or −1. */
  victim(evictable: Evictable, maxSteps?: number): number {
    return this.policy.victim(evictable, maxSteps);
  }

  bind(frame: number, groupId: number, partitionId: number, index: number, gen: number): void {
    this.group[frame] = groupId;
    this.part[frame] = partitionId;
    this.index[frame] = index;
    this.gen[frame] = gen;
    this.pins[frame] = 0;
    this.state[frame] = ST_LOADED;
    this.loaded++;
    this.table.insert(frame, pageHash(groupId, partitionId, index), index, gen);
    this.policy.loaded(frame);
  }

  /** The frame gives its page up (frames of a dropped generation are in the table under their old key until then). */
  unbind(frame: number): void {
    this.table.remove(frame, this.hashOf(frame));
    if ((this.state[frame]! & ST_DIRTY) !== 0) this.dirty--;
    this.state[frame] = 0;
    this.loaded--;
    this.policy.removed(frame);
  }

  /** The loaded frame's page now belongs to generation `gen` (a drop that keeps the page). */
  regen(frame: number, gen: number): void {
    this.table.remove(frame, this.hashOf(frame));
    this.gen[frame] = gen;
    this.table.insert(frame, this.hashOf(frame), this.index[frame]!, gen);
  }

  giveBack(frame: number): void {
    this.#freeFrames[this.#freeCount++] = frame;
  }

  /** Marks the frame dirty; true when that made it dirty (it was clean). */
  markDirty(frame: number): boolean {
    if ((this.state[frame]! & ST_DIRTY) !== 0) return false;
    this.state[frame] = this.state[frame]! | ST_DIRTY;
    this.dirty++;
    return true;
  }

  markClean(frame: number): void {
    if ((this.state[frame]! & ST_DIRTY) === 0) return;
    this.state[frame] = this.state[frame]! & ~ST_DIRTY;
    this.dirty--;
  }

  isLoaded(frame: number): boolean {
    return (this.state[frame]! & ST_LOADED) !== 0;
  }

  isDirty(frame: number): boolean {
    return (this.state[frame]! & ST_DIRTY) !== 0;
  }

  close(): void {
    this.u8.length = 0;
    this.dv.length = 0;
  }

  /** Checks the counters against the frames; `current(f)`: the frame's page is of its partition's live generation. */
  checkInvariants(current: (frame: number) => boolean): void {
    let loaded = 0;
    let dirty = 0;
    let pinned = 0;
    for (let f = 0; f < this.unused; f++) {
      const s = this.state[f]!;
      if ((s & ST_LOADED) === 0) {
        if (s !== 0 || this.pins[f] !== 0) throw new Error(`free frame ${f} has state ${s}, pins ${this.pins[f]}`);
        continue;
      }
      loaded++;
      if ((s & ST_DIRTY) !== 0) dirty++;
      if (this.pins[f]! > 0) pinned++;
      if (this.pins[f]! < 0) throw new Error(`frame ${f} has ${this.pins[f]} pins`);
      if (current(f) && this.find(this.group[f]!, this.part[f]!, this.index[f]!, this.gen[f]!) !== f) {
        throw new Error(`frame ${f} (page ${this.index[f]}) is not in the loaded-page table`);
      }
    }
    if (loaded !== this.loaded) throw new Error(`loaded count ${this.loaded}, frames say ${loaded}`);
    if (dirty !== this.dirty) throw new Error(`dirty count ${this.dirty}, frames say ${dirty}`);
    if (pinned !== this.pinned) throw new Error(`pinned count ${this.pinned}, frames say ${pinned}`);
  }
}
