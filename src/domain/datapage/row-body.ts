/**
 * Reading and writing one item body of the row store (formats in data-page.layout.ts). `abs` is the body's
 * absolute offset in an acquired view; nothing here keeps the view.
 */
import { InvalidArgumentError } from '../shared/errors';
import { writePageId } from '../page/page-id';
import type { PageView } from '../page-memory/page-memory.port';
import {
  BODY_FRAGMENT_FLAG,
  BODY_HEAD_FLAG,
  BODY_LEN_MASK,
  BODY_NEXT_OFFSET,
  FRAGMENT_BODY_HEADER,
  HEAD_BODY_HEADER,
  HEAD_ROW_LENGTH_OFFSET,
  PLAIN_BODY_HEADER,
} from './data-page.layout';
import { copyBytes } from './byte-copy';

/** Body kinds: the flag bits of lenFlags. */
export const PLAIN = 0;
export const FRAGMENT = BODY_FRAGMENT_FLAG;
export const HEAD = BODY_FRAGMENT_FLAG | BODY_HEAD_FLAG;

export function headerSize(kind: number): number {
  return kind === PLAIN ? PLAIN_BODY_HEADER : kind === FRAGMENT ? FRAGMENT_BODY_HEADER : HEAD_BODY_HEADER;
}

export function isFragmented(dv: DataView, abs: number): boolean {
  return (dv.getUint16(abs, true) & BODY_FRAGMENT_FLAG) !== 0;
}

/** True for the bodies a row link may name: a plain row or a head fragment. */
export function isRowStart(dv: DataView, abs: number): boolean {
  return (dv.getUint16(abs, true) & (BODY_FRAGMENT_FLAG | BODY_HEAD_FLAG)) !== BODY_FRAGMENT_FLAG;
}

/** Row length stored at a plain body or head fragment. */
export function rowLengthAt(dv: DataView, abs: number): number {
  const lenFlags = dv.getUint16(abs, true);
  return (lenFlags & BODY_FRAGMENT_FLAG) === 0 ? lenFlags & BODY_LEN_MASK : dv.getUint32(abs + HEAD_ROW_LENGTH_OFFSET, true);
}

/** Writes a whole body: header of `kind` and `len` payload bytes from `src`. */
export function writeBody(v: PageView, abs: number, kind: number, src: Uint8Array, srcOff: number, len: number, nextPage: number, nextItem: number, rowLen: number): void {
  v.dv.setUint16(abs, kind | len, true);
  if (kind !== PLAIN) writePageId(v.dv, abs + BODY_NEXT_OFFSET, nextPage, nextItem);
  if (kind === HEAD) v.dv.setUint32(abs + HEAD_ROW_LENGTH_OFFSET, rowLen, true);
  copyBytes(src, srcOff, v.buf, abs + headerSize(kind), len);
}

/** Throws InvalidArgumentError unless [off, off + len) is a range of integers inside `bytes`. */
export function checkRange(bytes: Uint8Array, off: number, len: number): void {
  if (!(Number.isInteger(off) && Number.isInteger(len) && off >= 0 && len >= 0 && off + len <= bytes.length)) {
    throw new InvalidArgumentError(`bytes [${off}, ${off + len}) are not inside the ${bytes.length}-byte array`);
  }
}
