/** Bytes whose content depends on a tag and the position, so misplaced or mixed-up bytes are caught. */
export function pattern(len: number, tag: number): Uint8Array {
  const b = new Uint8Array(len);
  for (let i = 0; i < len; i++) b[i] = (i * 31 + tag * 7 + (i >>> 8)) & 0xff;
  return b;
}
