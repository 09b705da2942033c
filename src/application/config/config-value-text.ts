/**
 * Typing of update-string values. Values in update strings are text (quoted or not, as in HOCON); the key's
 * schema decides what the text means. Text that does not convert stays a string, and validation then reports
 * "<key> <rule>, got "<text>"" — so a wrong type is a ConfigValidationError naming key, value and rule.
 *
 * Size suffixes (byte-size keys only, i.e. keys ending in `Bytes`): a whole number immediately followed by a
 * unit, case-insensitive, all binary (1024-based):
 *   B = 1;  K, KB, KiB = 1024;  M, MB, MiB = 1024^2;  G, GB, GiB = 1024^3;  T, TB, TiB = 1024^4.
 * So `512MB` = 536870912, `1GB` = 1073741824, `64KiB` = 65536. Fractions (`1.5GB`) and spaces (`1 GB`) are
 * not accepted: write `1536MB`.
 */
import { keyTable, type LeafSpec } from './config-schema';

const UNIT_SHIFT: Readonly<Record<string, number>> = keyTable({
  b: 0,
  k: 10,
  kb: 10,
  kib: 10,
  m: 20,
  mb: 20,
  mib: 20,
  g: 30,
  gb: 30,
  gib: 30,
  t: 40,
  tb: 40,
  tib: 40,
});

const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;
const SIZE = /^(-?\d+)([A-Za-z]+)$/;

/** The number a size text denotes (`512MB` → 536870912), or null if it is not a whole number with a known unit. */
export function parseSize(text: string): number | null {
  const match = SIZE.exec(text);
  if (match === null) return null;
  const unit = match[2]!.toLowerCase();
  const shift = UNIT_SHIFT[unit];
  if (shift === undefined) return null;
  return Number(match[1]) * 2 ** shift;
}

/** The typed value of update text for a key with this spec (null spec: unknown key, text kept as is). */
export function valueFromText(spec: LeafSpec | null, text: string): unknown {
  if (spec === null || spec.values !== null) return text;
  if (NUMBER.test(text)) return Number(text);
  if (spec.bytes) {
    const size = parseSize(text);
    if (size !== null) return size;
  }
  if (text === 'true') return true;
  if (text === 'false') return false;
  return text;
}
