/**
 * A short, bounded description of any JS value for error messages. Never throws — not for symbols, objects without a
 * prototype or objects whose toString throws — so that building the message of a typed error cannot itself fail.
 */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'string') return `'${v.length > 40 ? `${v.slice(0, 40)}...` : v}' (string)`;
  if (typeof v === 'bigint') return `${v}n (bigint)`;
  if (typeof v === 'number' || typeof v === 'boolean') return `${String(v)} (${typeof v})`;
  if (v instanceof Uint8Array) return `Uint8Array(${v.length})`;
  if (typeof v !== 'object') return typeof v;
  const ctor = (v as { constructor?: { name?: unknown } }).constructor?.name;
  return `an object (${typeof ctor === 'string' ? ctor : 'no prototype'})`;
}
