/**
 * Values as strings for hashing (GROUP BY, DISTINCT, hash joins): equal SQL values of one type give one string, and
 * integers give the same string whether a `number` or a `bigint` (an INT joined with a BIGINT). The planner uses hash
 * joins only for keys of comparable types, so values of different families never meet.
 */
export function valueKey(v: unknown): string {
  if (v === null || v === undefined) return '\u0001';
  switch (typeof v) {
    case 'bigint': return `i${v}`;
    case 'number': return Number.isInteger(v) && !Object.is(v, -0) ? `i${v}` : `d${v}`;
    case 'string': return `s${v}`;
    case 'boolean': return v ? 'T' : 'F';
    default:
      if (v instanceof Uint8Array) return `b${Buffer.from(v).toString('hex')}`;
      return `o${String(v)}`;
  }
}

export function tupleKey(values: readonly unknown[]): string {
  if (values.length === 1) return valueKey(values[0]);
  return values.map(valueKey).join('\u0000');
}
