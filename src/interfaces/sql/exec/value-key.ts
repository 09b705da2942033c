/**
 * Values as strings for hashing (GROUP BY, DISTINCT, hash joins): equal SQL values of one type give one string, and
 * integers give the same string whether a `number` or a `bigint` (an INT joined with a BIGINT). The planner uses hash
 * joins only for keys of comparable types, so values of different families never meet.
 */
export function valueKey(v: unknown, type?: string): string {
  if (v === null || v === undefined) return '\u0001';
  switch (typeof v) {
    case 'bigint': return `i${v}`;
    case 'number': return Number.isInteger(v) ? `i${v === 0 ? 0 : v}` : `d${v}`; // -0 is 0
    case 'string': return type === 'DECIMAL' ? `n${decimalKey(v)}` : `s${v}`;
    case 'boolean': return v ? 'T' : 'F';
    default:
      if (v instanceof Uint8Array) return `b${Buffer.from(v).toString('hex')}`;
      return `o${String(v)}`;
  }
}

/** `types[i]`: the SQL type of `values[i]` when known (DECIMAL strings of one value but other scales are one key). */
export function tupleKey(values: readonly unknown[], types?: readonly string[]): string {
  if (values.length === 1) return valueKey(values[0], types?.[0]);
  return values.map((v, i) => valueKey(v, types?.[i])).join('\u0000');
}

/** A DECIMAL string without trailing fraction zeros ('1.50' and '1.5' are one value; '-0.00' is '0'). */
function decimalKey(s: string): string {
  if (!s.includes('.')) return s === '-0' ? '0' : s;
  let end = s.length;
  while (s.charCodeAt(end - 1) === 48) end--;
  if (s.charCodeAt(end - 1) === 46) end--;
  const t = s.slice(0, end);
  return t === '-0' ? '0' : t;
}
