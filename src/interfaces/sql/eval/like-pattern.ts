/**
 * LIKE patterns: `%` matches any run of characters (none included), `_` exactly one character (a code point), every
 * other character itself, case-sensitively. With ESCAPE c, `c%`, `c_` and `cc` stand for the literal character; c
 * before anything else, or at the end of the pattern, is an error (SQL's "invalid escape sequence"). A pattern is
 * compiled to an anchored RegExp once (LikeMatcher keeps the last pattern, so a constant pattern compiles once).
 */
import type { SourcePos } from '../ast';
import { evalError } from './eval-errors';

const REGEX_SPECIAL = /[\\^$.*+?()[\]{}|/]/;

/** The RegExp for a LIKE pattern; `escape` is one character or undefined. */
export function likeRegExp(pattern: string, escape: string | undefined, pos: SourcePos | undefined): RegExp {
  let source = '^';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === escape) {
      const next = pattern[i + 1];
      if (next !== '%' && next !== '_' && next !== escape) {
        throw evalError(`Invalid escape sequence in LIKE pattern '${pattern}' at index ${i}: the escape character `
          + `'${escape}' must be followed by %, _ or itself`, pos);
      }
      source += quote(next);
      i++;
    } else if (ch === '%') {
      source += '[\\s\\S]*';
    } else if (ch === '_') {
      source += '.';
    } else {
      source += quote(ch);
    }
  }
  return new RegExp(`${source}$`, 'su');
}

function quote(ch: string): string {
  return REGEX_SPECIAL.test(ch) ? `\\${ch}` : ch;
}

/** Matches values against patterns, recompiling only when the pattern or escape changes. */
export class LikeMatcher {
  #pattern: string | undefined;
  #escape: string | undefined;
  #regExp: RegExp | undefined;

  constructor(private readonly pos: SourcePos | undefined) {}

  matches(value: string, pattern: string, escape: string | undefined): boolean {
    if (this.#regExp === undefined || pattern !== this.#pattern || escape !== this.#escape) {
      this.#regExp = likeRegExp(pattern, escape, this.pos);
      this.#pattern = pattern;
      this.#escape = escape;
    }
    return this.#regExp.test(value);
  }
}
