/**
 * The text being parsed, with line lookup for error messages: every SqlParseError ends with the offending line and a
 * caret under the offending column.
 */
import { SqlParseError } from '../../domain/shared/errors';
import type { SourcePos } from './ast';

export class SourceText {
  #lines: readonly string[] | undefined;

  constructor(readonly text: string) {}

  /** The text of a 1-based line, without its line break ('' past the end). */
  line(line: number): string {
    this.#lines ??= this.text.split(/\r\n|\r|\n/);
    return this.#lines[line - 1] ?? '';
  }

  /** Line and column of a character offset (the text's length gives the position after its last character). */
  posAt(offset: number): SourcePos {
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < offset && i < this.text.length; i++) {
      const c = this.text.charCodeAt(i);
      const crlf = c === 13 && this.text.charCodeAt(i + 1) === 10;
      if (c === 10 || (c === 13 && !crlf)) {
        line++;
        lineStart = i + 1;
      }
    }
    return { line, column: offset - lineStart + 1 };
  }

  /** `what` (e.g. "Expected a name but found ','") + position + the line + a caret under the column. */
  error(what: string, pos: SourcePos, expected: readonly string[] = []): SqlParseError {
    const [text, column] = window(this.line(pos.line), pos.column);
    // The caret line copies the tabs before the column so that it lines up in a terminal.
    const pad = text.slice(0, column - 1).replace(/[^\t]/g, ' ');
    const message = `${what} at line ${pos.line}, column ${pos.column}\n${text}\n${pad}^`;
    return new SqlParseError(message, pos.line, pos.column, expected);
  }
}

const WINDOW = 100;

/** A long line is cut to about WINDOW characters around the column (with '…' where cut); returns it and the new column. */
function window(line: string, column: number): [string, number] {
  if (line.length <= WINDOW) return [line, column];
  const start = Math.max(0, Math.min(column - 1 - WINDOW / 2, line.length - WINDOW));
  const end = Math.min(line.length, start + WINDOW);
  const head = start > 0 ? '…' : '';
  return [`${head}${line.slice(start, end)}${end < line.length ? '…' : ''}`, column - start + head.length];
}
