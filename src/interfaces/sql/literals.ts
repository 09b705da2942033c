/**
 * Token text → literal values: string and identifier unescaping, integer ranges, canonical decimal text, hex bytes.
 * Pure functions of the token image; the grammar calls them inside ACTIONs.
 */
import type { DecimalLiteral, Expression, IntegerLiteral, Literal, SourcePos } from './ast';

const INT_MIN = -(2n ** 31n);
const INT_MAX = 2n ** 31n - 1n;
const BIGINT_MIN = -(2n ** 63n);
const BIGINT_MAX = 2n ** 63n - 1n;

/** `'it''s'` → `it's`. */
export function unquoteString(image: string): string {
  return image.slice(1, -1).replace(/''/g, "'");
}

/** `"Or""der"` → `Or"der`. */
export function unquoteIdentifier(image: string): string {
  return image.slice(1, -1).replace(/""/g, '"');
}

export function integerLiteral(value: bigint, pos: SourcePos): IntegerLiteral {
  const sqlType =
    value >= INT_MIN && value <= INT_MAX ? 'INT' : value >= BIGINT_MIN && value <= BIGINT_MAX ? 'BIGINT' : 'DECIMAL';
  return { kind: 'integer', value, sqlType, pos };
}

/** `1.50` → `1.50`, `.5` → `0.5`, `2.` → `2`, `007.5` → `7.5` (the digits after the point are the scale: kept). */
export function decimalText(image: string): string {
  const [intPart = '', fraction = ''] = image.split('.');
  const digits = intPart.replace(/^0+(?=\d)/, '') || '0';
  return fraction === '' ? digits : `${digits}.${fraction}`;
}

/** Folds a unary minus into a numeric literal; undefined when `expr` is not a numeric literal. */
export function negateLiteral(literal: Expression, pos: SourcePos): Literal | undefined {
  switch (literal.kind) {
    case 'integer':
      return integerLiteral(-literal.value, pos);
    case 'decimal':
      return negateDecimal(literal, pos);
    case 'float':
      return { kind: 'float', value: -literal.value, pos };
    default:
      return undefined;
  }
}

function negateDecimal(literal: DecimalLiteral, pos: SourcePos): DecimalLiteral {
  const text = literal.text.startsWith('-') ? literal.text.slice(1) : `-${literal.text}`;
  return { kind: 'decimal', text: /^-0(\.0*)?$/.test(text) ? literal.text : text, pos };
}

/** `x'0A1B'` → bytes; undefined for an odd number of digits or a non-hex character. */
export function hexBytes(image: string): Uint8Array | undefined {
  const hex = image.slice(2, -1);
  if (!/^[0-9a-fA-F]*$/.test(hex) || hex.length % 2 !== 0) return undefined;
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}
