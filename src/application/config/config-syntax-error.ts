import { ConfigParseError } from '../../domain/shared/errors';

const SNIPPET_RADIUS = 40;

/**
 * An update string (or `show` path) that does not follow the grammar of update-parser.ts. Still a
 * ConfigParseError (code CONFIG_PARSE); adds where (`position`, 0-based offset; `column`, 1-based) and what
 * the parser expected there. The message ends with the input and a caret under the offending character.
 */
export class ConfigSyntaxError extends ConfigParseError {
  readonly position: number;
  readonly column: number;
  readonly expected: string;
  readonly found: string;

  constructor(input: string, position: number, expected: string, found: string, hint = '', subject = 'configuration update') {
    super(
      `Cannot parse ${subject} at column ${position + 1}: expected ${expected}, found ${found}.` +
        (hint === '' ? '' : ` ${hint}`) +
        `\n${caretSnippet(input, position)}`,
    );
    this.position = position;
    this.column = position + 1;
    this.expected = expected;
    this.found = found;
  }
}

/** The input around the position on one line, and a caret under the position. */
function caretSnippet(input: string, position: number): string {
  const start = Math.max(0, position - SNIPPET_RADIUS);
  const end = Math.min(input.length, position + SNIPPET_RADIUS);
  const prefix = start > 0 ? '...' : '';
  const suffix = end < input.length ? '...' : '';
  const line = input.slice(start, end).replace(/[\r\n\t]/g, ' ');
  return `  ${prefix}${line}${suffix}\n  ${' '.repeat(prefix.length + position - start)}^`;
}
