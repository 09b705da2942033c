/**
 * Index key codec hot paths: encode, decode, compare and hash, for an INT64 key and a (STRING, INT32) key.
 * Reference points in the same run: Node's Buffer.compare on the same encoded bytes, and a plain JS comparator
 * on the decoded values (what an index would do without the byte encoding).
 *
 *   npx ts-node --transpile-only bench/key-codec.bench.ts        (BENCH_N keys, default 200,000; median of 3)
 */
import { compareKeys } from '../src/domain/index/byte-compare';
import { KeyEncoder } from '../src/domain/index/key-codec';
import { KeyDecoder } from '../src/domain/index/key-decoder';
import { hashKey } from '../src/domain/index/key-hash';
import type { SortedIndexColumn } from '../src/domain/storage/index-descriptors';

const N = Number(process.env['BENCH_N'] ?? 200_000);
const RUNS = 3;

function median(run: () => number): number {
  const xs: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    const ops = run();
    xs.push(ops / ((performance.now() - t0) / 1000));
  }
  return xs.sort((a, b) => a - b)[1]!;
}

const fmt = (x: number) => (x >= 1e6 ? `${(x / 1e6).toFixed(2)}M` : `${(x / 1e3).toFixed(1)}k`);

function suite(name: string, columns: SortedIndexColumn[], values: unknown[][], natural: (a: unknown[], b: unknown[]) => number): string[] {
  const enc = new KeyEncoder(columns);
  const dec = new KeyDecoder(columns);
  const keys = values.map((v) => enc.copy(enc.encode(v)));
  const bufs = keys.map((k) => Buffer.from(k.buffer, k.byteOffset, k.length));
  let sink = 0;
  const encode = median(() => { for (const v of values) sink += enc.encode(v); return values.length; });
  const decode = median(() => { for (const k of keys) sink += dec.decode(k, 0, k.length).length; return keys.length; });
  const cmp = median(() => { for (let i = 1; i < keys.length; i++) sink += compareKeys(keys[i - 1]!, 0, keys[i - 1]!.length, keys[i]!, 0, keys[i]!.length); return keys.length - 1; });
  const bufCmp = median(() => { for (let i = 1; i < bufs.length; i++) sink += Buffer.compare(bufs[i - 1]!, bufs[i]!); return bufs.length - 1; });
  const jsCmp = median(() => { for (let i = 1; i < values.length; i++) sink += natural(values[i - 1]!, values[i]!); return values.length - 1; });
  const hash = median(() => { for (const k of keys) sink += hashKey(k, 0, k.length); return keys.length; });
  if (sink === 0.5) console.log(sink);
  return [
    `| ${name} | encode | ${fmt(encode)} | | |`,
    `| ${name} | decode | ${fmt(decode)} | | |`,
    `| ${name} | compare (bytes) | ${fmt(cmp)} | Buffer.compare ${fmt(bufCmp)} | ${(cmp / bufCmp).toFixed(2)} |`,
    `| ${name} | compare (bytes) vs JS values | ${fmt(cmp)} | JS comparator ${fmt(jsCmp)} | ${(cmp / jsCmp).toFixed(2)} |`,
    `| ${name} | hash (murmur3) | ${fmt(hash)} | | |`,
  ];
}

let seed = 7;
const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
const ints = Array.from({ length: N }, () => [BigInt(Math.floor(rnd() * 2 ** 52)) - 2n ** 51n]);
const pairs = Array.from({ length: N }, (_, i) => [`user-${Math.floor(rnd() * 1e6)}-${'x'.repeat(i % 20)}`, Math.floor(rnd() * 1e9)]);
const cmpBig = (a: unknown[], b: unknown[]) => ((a[0] as bigint) < (b[0] as bigint) ? -1 : (a[0] as bigint) > (b[0] as bigint) ? 1 : 0);
const cmpPair = (a: unknown[], b: unknown[]) => {
  const x = a[0] as string;
  const y = b[0] as string;
  if (x !== y) return x < y ? -1 : 1;
  return (a[1] as number) - (b[1] as number);
};

console.log(`Node ${process.version}, ${N} keys, median of ${RUNS} runs (ops/s)\n`);
console.log('| key | operation | aistorage codec | reference | ratio |');
console.log('|---|---|---:|---:|---:|');
for (const line of [
  ...suite('INT64', [{ name: 'id', type: 'INT64', nullable: false, asc: true }], ints, cmpBig),
  ...suite('(STRING, INT32)', [{ name: 's', type: 'STRING', nullable: true, asc: true }, { name: 'n', type: 'INT32', nullable: false, asc: false }], pairs, cmpPair),
]) console.log(line);
