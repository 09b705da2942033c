/**
 * In-process peers on the JS heap: Map (hash, no order) and sorted-btree with number keys and with 8-byte Buffer
 * keys (the latter compares bytes, as an ordered store of BIGINT keys does). Values are the workload's 100-byte
 * views, stored by reference — the fairest case for these peers, which copy nothing.
 *
 * The Buffer-key peer counts only as its users run it: `Buffer.compare` itself is the comparator (no wrapper
 * function between the tree and the native compare), and the one allocation per call is the key Buffer a caller
 * holding a BIGINT makes anyway.
 */
import BTree from 'sorted-btree';
import { RANGE_LEN, keyBytes, updatedValueOf, valueOf, type Workload } from './workload';
import type { Subject } from './subject';

export class MapSubject implements Subject {
  readonly label = 'Map (no order)';
  readonly ordered = false;
  #map = new Map<number, Buffer>();

  async open(): Promise<void> {}

  insert(w: Workload): void {
    const m = this.#map;
    const order = w.insertOrder;
    for (let i = 0; i < order.length; i++) m.set(order[i]!, valueOf(w, order[i]!));
  }

  pointReads(w: Workload): number {
    let found = 0;
    const order = w.readOrder;
    for (let i = 0; i < order.length; i++) if (this.#map.get(order[i]!)?.length === 100) found++;
    return found;
  }

  /** Iteration in insertion order: what a Map offers instead of an ordered scan. */
  fullScan(): number {
    let rows = 0;
    for (const v of this.#map.values()) if (v.length === 100) rows++;
    return rows;
  }

  update(w: Workload): void {
    const keys = w.updateKeys;
    for (let i = 0; i < keys.length; i++) this.#map.set(keys[i]!, updatedValueOf(w, keys[i]!));
  }

  delete(w: Workload): void {
    const keys = w.deleteKeys;
    for (let i = 0; i < keys.length; i++) this.#map.delete(keys[i]!);
  }

  lookup(key: number): Buffer | undefined {
    return this.#map.get(key);
  }

  async close(): Promise<void> {
    this.#map = new Map();
  }
}

export class NumberBTreeSubject implements Subject {
  readonly label = 'sorted-btree (number keys)';
  readonly ordered = true;
  #tree = new BTree<number, Buffer>();

  async open(): Promise<void> {}

  insert(w: Workload): void {
    const t = this.#tree;
    const order = w.insertOrder;
    for (let i = 0; i < order.length; i++) t.set(order[i]!, valueOf(w, order[i]!));
  }

  pointReads(w: Workload): number {
    let found = 0;
    const order = w.readOrder;
    for (let i = 0; i < order.length; i++) if (this.#tree.get(order[i]!)?.length === 100) found++;
    return found;
  }

  fullScan(): number {
    let rows = 0;
    this.#tree.forEachPair((_k, v) => {
      if (v.length === 100) rows++;
    });
    return rows;
  }

  rangeScans(w: Workload): number {
    let rows = 0;
    const visit = (_k: number, v: Buffer): void => {
      if (v.length === 100) rows++;
    };
    const starts = w.rangeStarts;
    for (let i = 0; i < starts.length; i++) this.#tree.forRange(starts[i]!, starts[i]! + RANGE_LEN - 1, true, visit);
    return rows;
  }

  update(w: Workload): void {
    const keys = w.updateKeys;
    for (let i = 0; i < keys.length; i++) this.#tree.set(keys[i]!, updatedValueOf(w, keys[i]!));
  }

  delete(w: Workload): void {
    const keys = w.deleteKeys;
    for (let i = 0; i < keys.length; i++) this.#tree.delete(keys[i]!);
  }

  lookup(key: number): Buffer | undefined {
    return this.#tree.get(key);
  }

  async close(): Promise<void> {
    this.#tree = new BTree<number, Buffer>();
  }
}

/** Keys are encoded once per operation (8 big-endian bytes), as a caller holding a BIGINT key would. */
export class BufferBTreeSubject implements Subject {
  readonly label = 'sorted-btree (Buffer keys)';
  readonly ordered = true;
  #tree = new BTree<Buffer, Buffer>(undefined, Buffer.compare);

  async open(): Promise<void> {}

  insert(w: Workload): void {
    const t = this.#tree;
    const order = w.insertOrder;
    for (let i = 0; i < order.length; i++) t.set(keyBytes(order[i]!), valueOf(w, order[i]!));
  }

  pointReads(w: Workload): number {
    let found = 0;
    const order = w.readOrder;
    for (let i = 0; i < order.length; i++) if (this.#tree.get(keyBytes(order[i]!))?.length === 100) found++;
    return found;
  }

  fullScan(): number {
    let rows = 0;
    this.#tree.forEachPair((_k, v) => {
      if (v.length === 100) rows++;
    });
    return rows;
  }

  rangeScans(w: Workload): number {
    let rows = 0;
    const visit = (_k: Buffer, v: Buffer): void => {
      if (v.length === 100) rows++;
    };
    const starts = w.rangeStarts;
    for (let i = 0; i < starts.length; i++) {
      this.#tree.forRange(keyBytes(starts[i]!), keyBytes(starts[i]! + RANGE_LEN - 1), true, visit);
    }
    return rows;
  }

  update(w: Workload): void {
    const keys = w.updateKeys;
    for (let i = 0; i < keys.length; i++) this.#tree.set(keyBytes(keys[i]!), updatedValueOf(w, keys[i]!));
  }

  delete(w: Workload): void {
    const keys = w.deleteKeys;
    for (let i = 0; i < keys.length; i++) this.#tree.delete(keyBytes(keys[i]!));
  }

  lookup(key: number): Buffer | undefined {
    return this.#tree.get(keyBytes(key));
  }

  async close(): Promise<void> {
    this.#tree = new BTree<Buffer, Buffer>(undefined, Buffer.compare);
  }
}
