/**
 * Model-based driver for B+ tree tests: a seeded mix of put / remove / findOne / findNext / findPrevious /
 * findFirst / findLast / invoke against a SortedModel, alternating growth and shrink phases (shrinking drains the
 * tree towards empty, so merges and root collapses happen as often as splits). Every `batch` operations it runs
 * checkInvariants, compares a full scan and a random range scan (either direction) with the model and checks that
 * nothing is pinned. Mismatches throw an Error naming the seed and the operation number.
 */
import { BTree, INVOKE_IN_PLACE, INVOKE_NOOP, INVOKE_PUT, INVOKE_REMOVE, type BTreeInvokeClosure, type InvokeOutcome } from '../../src/domain/btree/btree';
import { PageMemoryAllocator } from '../../src/domain/btree/page-memory-allocator';
import type { PageMemory } from '../../src/domain/page-memory/page-memory.port';
import { SortedModel, TestKey, checkPayload, itemKey, itemValue, seededRandom, testItemType, writeItem } from './btree-model';

export interface MixedRunOptions {
  readonly pm: PageMemory;
  /** Pages pinned right now in `pm`. */
  readonly pinned: () => number;
  readonly itemSize: number;
  readonly ops: number;
  /** The tree grows to about this many items, then shrinks (alternately to 0 and to a third of it). */
  readonly maxSize: number;
  readonly seed: number;
  readonly batch: number;
}

export interface MixedRunResult {
  readonly tree: BTree;
  readonly model: SortedModel;
  readonly maxLevels: number;
  readonly invokes: Readonly<Record<InvokeOutcome, number>>;
  readonly emptied: number;
}

/** An invoke closure whose decision the runner scripts per call. */
export class ScriptedClosure implements BTreeInvokeClosure {
  action: InvokeOutcome = INVOKE_NOOP;
  found = false;
  seenKey = -1;
  seenValue = -1;
  newKey = 0;
  newValue = 0;

  constructor(readonly itemSize: number) {}

  decide(found: boolean, itemBuf: Uint8Array, itemOff: number): InvokeOutcome {
    this.found = found;
    if (found) {
      checkPayload(itemBuf, itemOff, this.itemSize);
      this.seenKey = itemKey(itemBuf, itemOff);
      this.seenValue = itemValue(itemBuf, itemOff, this.itemSize);
    }
    return this.action;
  }

  writeNewItem(out: Uint8Array, outOff: number): void {
    writeItem(out, outOff, this.itemSize, this.newKey, this.newValue);
  }

  updateInPlace(itemBuf: Uint8Array, itemOff: number): void {
    writeItem(itemBuf, itemOff, this.itemSize, itemKey(itemBuf, itemOff), this.newValue);
  }
}

export function runMixed(o: MixedRunOptions): MixedRunResult {
  return new MixedRun(o).run();
}

class MixedRun {
  readonly tree: BTree;
  readonly model = new SortedModel();
  readonly rnd: () => number;
  readonly s: number;
  readonly item: Uint8Array;
  readonly out: Uint8Array;
  readonly key = new TestKey();
  readonly closure: ScriptedClosure;
  readonly invokes: Record<InvokeOutcome, number> = { 0: 0, 1: 0, 2: 0, 3: 0 };
  readonly keySpace: number;
  growing = true;
  floor = 0;
  maxLevels = 1;
  emptied = 0;
  i = 0;

  constructor(readonly o: MixedRunOptions) {
    const group = 7;
    this.tree = BTree.create(o.pm, group, 3, new PageMemoryAllocator(o.pm, group), testItemType(o.itemSize));
    this.rnd = seededRandom(o.seed);
    this.s = o.itemSize;
    this.item = new Uint8Array(this.s);
    this.out = new Uint8Array(this.s + 3);
    this.closure = new ScriptedClosure(this.s);
    this.keySpace = o.maxSize * 2;
  }

  run(): MixedRunResult {
    const { o, tree, model } = this;
    for (this.i = 0; this.i < o.ops; this.i++) {
      this.step();
      if (o.pinned() !== 0) this.fail(`${o.pinned()} pages left pinned`);
      if (tree.size() !== model.size) this.fail(`size ${tree.size()} != ${model.size}`);
      if ((this.i + 1) % o.batch === 0 || this.i + 1 === o.ops) {
        this.maxLevels = Math.max(this.maxLevels, tree.checkInvariants().levels);
        compareScans(tree, model, this.rnd, this.keySpace, this.s, (what) => this.fail(what));
      }
    }
    return { tree, model, maxLevels: this.maxLevels, invokes: this.invokes, emptied: this.emptied };
  }

  fail(what: string): never {
    throw new Error(`seed ${this.o.seed}, op ${this.i}: ${what}`);
  }

  /** Picks the phase, a key and an operation. */
  step(): void {
    const { model, rnd } = this;
    if (this.growing && model.size >= this.o.maxSize) this.growing = false;
    if (!this.growing && model.size <= this.floor) {
      this.growing = true;
      if (this.floor === 0) this.emptied++;
      this.floor = this.floor === 0 ? Math.floor(this.o.maxSize / 3) : 0;
    }
    const fromModel = !this.growing && model.size > 0 && rnd() < 0.8;
    const k = fromModel ? model.keys[Math.floor(rnd() * model.size)]! : Math.floor(rnd() * this.keySpace);
    this.key.key = k;
    const r = rnd();
    const pPut = this.growing ? 0.45 : 0.12;
    if (r < pPut) this.put(k);
    else if (r < 0.57) this.remove(k);
    else if (r < 0.79) this.find(k, r);
    else if (r < 0.95) this.invoke(k);
    else this.findEnd(rnd() < 0.5);
  }

  put(k: number): void {
    const { s, item, out, model } = this;
    writeItem(item, 0, s, k, this.i);
    const had = model.values.get(k);
    const replaced = this.tree.put(item, 0, out, 3);
    if (replaced !== model.put(k, this.i)) this.fail(`put ${k}: replaced=${replaced}`);
    if (replaced && (itemKey(out, 3) !== k || itemValue(out, 3, s) !== had)) this.fail(`put ${k}: wrong old item`);
  }

  remove(k: number): void {
    const { out, model } = this;
    const value = model.values.get(k);
    const found = this.tree.remove(this.key, out, 1);
    if (found !== model.remove(k)) this.fail(`remove ${k}: found=${found}`);
    if (found && (itemKey(out, 1) !== k || itemValue(out, 1, this.s) !== value)) this.fail(`remove ${k}: wrong item copied out`);
  }

  /** findOne, findNext or findPrevious (by r). */
  find(k: number, r: number): void {
    const { tree, model, out, key } = this;
    if (r < 0.65) {
      const found = tree.findOne(key, out, 2);
      if (found !== model.has(k)) this.fail(`findOne ${k}: found=${found}`);
      if (found) this.expectItem(k, out, 2, `findOne ${k}`);
      return;
    }
    const inclusive = this.rnd() < 0.5;
    const forward = r < 0.73;
    const expected = forward ? model.next(k, inclusive) : model.previous(k, inclusive);
    const found = forward ? tree.findNext(key, inclusive, out, 0) : tree.findPrevious(key, inclusive, out, 0);
    if (found !== (expected !== undefined)) this.fail(`find ${forward ? 'next' : 'previous'} ${k} ${inclusive}: found=${found}`);
    if (expected !== undefined) this.expectItem(expected, out, 0, `find ${forward ? 'next' : 'previous'} ${k}`);
  }

  findEnd(last: boolean): void {
    const { tree, model, out } = this;
    const expected = last ? model.keys[model.size - 1] : model.keys[0];
    if ((last ? tree.findLast(out) : tree.findFirst(out)) !== (expected !== undefined)) this.fail('findFirst/Last');
    if (expected !== undefined) this.expectItem(expected, out, 0, 'findFirst/Last');
  }

  /** invoke with a random outcome (IN_PLACE only when the key is present); checks what the closure saw. */
  invoke(k: number): void {
    const { model, closure: c } = this;
    const present = model.has(k);
    const actions: InvokeOutcome[] = [INVOKE_NOOP, INVOKE_PUT, INVOKE_REMOVE, INVOKE_IN_PLACE];
    c.action = actions[Math.floor(this.rnd() * (present ? 4 : 3))]!;
    c.newKey = k;
    c.newValue = 1_000_000 + this.i;
    c.seenKey = -1;
    const done = this.tree.invoke(this.key, c);
    if (c.found !== present) this.fail(`invoke ${k}: closure saw found=${c.found}`);
    if (present && (c.seenKey !== k || c.seenValue !== model.values.get(k))) this.fail(`invoke ${k}: closure saw ${c.seenKey}`);
    const expected = c.action === INVOKE_REMOVE && !present ? INVOKE_NOOP : c.action;
    if (done !== expected) this.fail(`invoke ${k}: returned ${done}, expected ${expected}`);
    this.invokes[done]++;
    if (done === INVOKE_PUT || done === INVOKE_IN_PLACE) model.put(k, c.newValue);
    else if (done === INVOKE_REMOVE) model.remove(k);
  }

  expectItem(k: number, buf: Uint8Array, off: number, what: string): void {
    if (itemKey(buf, off) !== k || itemValue(buf, off, this.s) !== this.model.values.get(k)) {
      this.fail(`${what}: got ${itemKey(buf, off)}, expected ${k}`);
    }
    checkPayload(buf, off, this.s);
  }
}

/** A full ascending scan and a random range scan in a random direction, against the model. */
function compareScans(tree: BTree, model: SortedModel, rnd: () => number, keySpace: number, s: number, fail: (what: string) => never): void {
  const all = tree.cursor(null, true, null, true);
  let n = 0;
  while (all.next()) {
    const k = itemKey(all.itemBuf, all.itemOff);
    if (k !== model.keys[n] || itemValue(all.itemBuf, all.itemOff, s) !== model.values.get(k)) fail(`full scan at ${n}: ${k}`);
    n++;
  }
  if (n !== model.size) fail(`full scan returned ${n} of ${model.size}`);
  const a = Math.floor(rnd() * keySpace);
  const b = a + Math.floor(rnd() * keySpace * 0.2);
  const loInc = rnd() < 0.5;
  const hiInc = rnd() < 0.5;
  const desc = rnd() < 0.5;
  const expected = model.keys.filter((k) => (loInc ? k >= a : k > a) && (hiInc ? k <= b : k < b));
  if (desc) expected.reverse();
  const c = tree.cursor(new TestKey(a), loInc, new TestKey(b), hiInc, desc);
  const got: number[] = [];
  while (c.next()) got.push(itemKey(c.itemBuf, c.itemOff));
  if (got.length !== expected.length || got.some((k, j) => k !== expected[j])) {
    fail(`range [${a}${loInc ? ']' : ')'}..${b}${hiInc ? ']' : ')'} desc=${desc}: ${got.length} items, expected ${expected.length}`);
  }
}
