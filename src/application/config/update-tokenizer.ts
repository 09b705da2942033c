/**
 * Tokens of the update-string grammar (see update-parser.ts for the grammar itself). A word is a maximal run
 * of characters other than whitespace and `{ } [ ] , = : . " '`; a string is double-quoted with JSON escapes.
 * Every token records whether whitespace (or the start of input) precedes it: whitespace separates entries,
 * and keys and values must not contain it unless quoted.
 */
import { ConfigSyntaxError } from './config-syntax-error';

export type TokenKind = '{' | '}' | '[' | ']' | ',' | '=' | ':' | '.' | 'word' | 'string' | 'end';

export interface Token {
  readonly kind: TokenKind;
  /** The word, or the unescaped content of a string; the character itself for punctuation. */
  readonly text: string;
  /** 0-based offset of the token's first character in the input. */
  readonly pos: number;
  /** Whitespace or the start of input comes right before the token. */
  readonly spaced: boolean;
}

const PUNCTUATION = '{}[],=:.';
const WORD_STOP = /[\s{}[\],=:."']/;
const ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

export function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let spaced = true;
  while (i < input.length) {
    const ch = input[i]!;
    if (/\s/.test(ch)) {
      i++;
      spaced = true;
      continue;
    }
    if (PUNCTUATION.includes(ch)) {
      tokens.push({ kind: ch as TokenKind, text: ch, pos: i, spaced });
      i++;
    } else if (ch === '"') {
      const [text, next] = readString(input, i);
      tokens.push({ kind: 'string', text, pos: i, spaced });
      i = next;
    } else if (ch === "'") {
      throw new ConfigSyntaxError(input, i, 'a key or a value', "'", 'Quote with double quotes ("...").');
    } else {
      const start = i;
      while (i < input.length && !WORD_STOP.test(input[i]!)) i++;
      tokens.push({ kind: 'word', text: input.slice(start, i), pos: start, spaced });
    }
    spaced = false;
  }
  tokens.push({ kind: 'end', text: '', pos: input.length, spaced });
  return tokens;
}

/** The unescaped content of the string starting at `start` (a `"`), and the offset after its closing quote. */
function readString(input: string, start: number): [string, number] {
  let out = '';
  let i = start + 1;
  while (i < input.length) {
    const ch = input[i]!;
    if (ch === '"') return [out, i + 1];
    if (ch !== '\\') {
      out += ch;
      i++;
      continue;
    }
    const esc = input[i + 1];
    if (esc === 'u' && /^[0-9a-fA-F]{4}$/.test(input.slice(i + 2, i + 6))) {
      out += String.fromCharCode(parseInt(input.slice(i + 2, i + 6), 16));
      i += 6;
    } else if (esc !== undefined && ESCAPES[esc] !== undefined) {
      out += ESCAPES[esc];
      i += 2;
    } else {
      const found = esc === undefined ? 'end of input' : `'\\${esc}'`;
      throw new ConfigSyntaxError(input, i, 'an escape: \\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX', found);
    }
  }
  throw new ConfigSyntaxError(input, input.length, `a closing '"' for the string opened at column ${start + 1}`, 'end of input');
}
