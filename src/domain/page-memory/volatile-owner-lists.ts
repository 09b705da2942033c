/**
 * Owner lists of the volatile page memory: every ALLOCATED slot is on the doubly linked list of its owner — one per
 * (group, partition, flags) — threaded through the slots' system headers (volatile-page.layout.ts: next, owner,
 * prev). That makes dropping all pages of a partition O(1): the list is retired (its id marked dead, so every page
 * on it is refused at once by the memory's liveness check) and kept whole as a dropped segment, whose slots the
 * memory reclaims one by one when it needs a slot (`takeDropped`), before it takes fresh memory.
 *
 * Ids are never reused (a retired id stays dead for good); `live` is indexed by id and grows by doubling.
 */
import { W_NEXT_FREE, W_OWNER, W_PINS, W_PREV } from './volatile-page.layout';

export interface OwnerList {
  readonly id: number;
  readonly key: number;
  /** Slot number + 1 of the first page, 0 when empty. */
  head: number;
  count: number;
}

const P20 = 2 ** 20;

export class VolatileOwnerLists {
  readonly #byKey = new Map<number, OwnerList>();
  readonly #byId: Array<OwnerList | null> = [null];
  /** live[id] is 1 while the list `id` owns its pages; 0 for id 0 and for dropped lists. */
  live = new Uint8Array(64);
  readonly #dropped: OwnerList[] = [];
  /** Slots of dropped lists not reclaimed yet. */
  droppedPages = 0;

  constructor(
    private readonly words: readonly Uint32Array[],
    private readonly localBits: number,
    private readonly slotWords: number,
  ) {
    this.#localMask = (1 << localBits) - 1;
  }

  readonly #localMask: number;

  /** The live list of an owner, created on first use. */
  listFor(groupId: number, partitionId: number, flags: number): OwnerList {
    const key = ownerKey(groupId, partitionId, flags);
    let list = this.#byKey.get(key);
    if (list === undefined) {
      list = { id: this.#byId.length, key, head: 0, count: 0 };
      this.#byId.push(list);
      if (list.id >= this.live.length) {
        const grown = new Uint8Array(this.live.length * 2);
        grown.set(this.live);
        this.live = grown;
      }
      this.live[list.id] = 1;
      this.#byKey.set(key, list);
    }
    return list;
  }

  /** Puts an ALLOCATED slot at the head of `list`. */
  link(slot: number, list: OwnerList): void {
    const h = this.words[slot >>> this.localBits]!;
    const w = (slot & this.#localMask) * this.slotWords;
    h[w + W_OWNER] = list.id;
    h[w + W_PREV] = 0;
    h[w + W_NEXT_FREE] = list.head;
    if (list.head !== 0) this.#setWord(list.head - 1, W_PREV, slot + 1);
    list.head = slot + 1;
    list.count++;
  }

  /** Takes an ALLOCATED slot off its (live) list. */
  unlink(slot: number): void {
    const h = this.words[slot >>> this.localBits]!;
    const w = (slot & this.#localMask) * this.slotWords;
    const list = this.#byId[h[w + W_OWNER]!]!;
    const prev = h[w + W_PREV]!;
    const next = h[w + W_NEXT_FREE]!;
    if (prev === 0) list.head = next;
    else this.#setWord(prev - 1, W_NEXT_FREE, next);
    if (next !== 0) this.#setWord(next - 1, W_PREV, prev);
    list.count--;
    h[w + W_OWNER] = 0;
  }

  /** Retires the owner's list (O(1)); returns how many pages it held (0 when it had none). */
  drop(groupId: number, partitionId: number, flags: number): number {
    const key = ownerKey(groupId, partitionId, flags);
    const list = this.#byKey.get(key);
    if (list === undefined) return 0;
    this.#byKey.delete(key);
    this.live[list.id] = 0;
    this.#byId[list.id] = null;
    if (list.count > 0) {
      this.#dropped.push(list);
      this.droppedPages += list.count;
    }
    return list.count;
  }

  /** A pinned slot of the owner's live list, or -1 (walks the list: only when something is pinned somewhere). */
  findPinned(groupId: number, partitionId: number, flags: number): number {
    const list = this.#byKey.get(ownerKey(groupId, partitionId, flags));
    for (let link = list?.head ?? 0; link !== 0; link = this.#word(link - 1, W_NEXT_FREE)) {
      if (this.#word(link - 1, W_PINS) !== 0) return link - 1;
    }
    return -1;
  }

  /** A slot of a dropped list (its header still says ALLOCATED with a dead owner), or -1 when there is none. */
  takeDropped(): number {
    const list = this.#dropped[this.#dropped.length - 1];
    if (list === undefined) return -1;
    const slot = list.head - 1;
    list.head = this.#word(slot, W_NEXT_FREE);
    if (--list.count === 0) this.#dropped.pop();
    this.droppedPages--;
    return slot;
  }

  /** Every live list and dropped segment, for the memory's self-check and stats (allocates). */
  snapshot(): { live: OwnerList[]; dropped: OwnerList[] } {
    return { live: [...this.#byKey.values()].map((l) => ({ ...l })), dropped: this.#dropped.map((l) => ({ ...l })) };
  }

  reset(): void {
    this.#byKey.clear();
    this.#byId.length = 1;
    this.#dropped.length = 0;
    this.droppedPages = 0;
    this.live.fill(0);
  }

  #word(slot: number, word: number): number {
    return this.words[slot >>> this.localBits]![(slot & this.#localMask) * this.slotWords + word]!;
  }

  #setWord(slot: number, word: number, value: number): void {
    this.words[slot >>> this.localBits]![(slot & this.#localMask) * this.slotWords + word] = value;
  }
}

/** The map key of an owner (group, partition, page-id flags). */
function ownerKey(groupId: number, partitionId: number, flags: number): number {
  return groupId * P20 + partitionId * 16 + flags;
}
