/**
 * Splits SQL text into statements at each `;` outside strings ('…', x'…'), quoted names ("…") and comments (-- and
 * /* … *\/). This is line editing, not parsing: the engine parses each statement and reports its errors; the scanner
 * only needs to know whether a `;` ends a statement, and whether the text so far ends inside a string or comment
 * (then the REPL keeps reading lines).
 */

/** The statements `text` completes (trimmed, without their `;`, empty ones dropped) and the unfinished rest. */
export interface SplitText {
  readonly statements: string[];
  /** The text after the last terminating `;` (possibly only blanks or comments). */
  readonly rest: string;
}

type State = 'code' | 'string' | 'quotedName' | 'lineComment' | 'blockComment';

export function splitStatements(text: string): SplitText {
  const statements: string[] = [];
  let state: State = 'code';
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const next = text[i + 1];
    switch (state) {
      case 'code':
        if (c === "'") state = 'string';
        else if (c === '"') state = 'quotedName';
        else if (c === '-' && next === '-') (state = 'lineComment'), i++;
        else if (c === '/' && next === '*') (state = 'blockComment'), i++;
        else if (c === ';') {
          const statement = text.slice(start, i).trim();
          if (!isBlank(statement)) statements.push(statement);
          start = i + 1;
        }
        break;
      // A doubled quote inside a string or quoted name is the quote itself: leaving and entering again is the same.
      case 'string':
        if (c === "'") state = 'code';
        break;
      case 'quotedName':
        if (c === '"') state = 'code';
        break;
      case 'lineComment':
        if (c === '\n' || c === '\r') state = 'code';
        break;
      case 'blockComment':
        if (c === '*' && next === '/') (state = 'code'), i++;
        break;
    }
  }
  return { statements, rest: text.slice(start) };
}

/** True when `text` holds nothing but blanks and comments (then no statement is pending). */
export function isBlank(text: string): boolean {
  return text.replace(/--[^\r\n]*/g, '').replace(/\/\*[\s\S]*?\*\//g, '').trim() === '';
}

/** The first word of a statement, upper-cased ('' for none): tells a query from DML and DDL for the row-count line. */
export function leadingKeyword(statement: string): string {
  const code = statement.replace(/--[^\r\n]*/g, ' ').replace(/\/\*[\s\S]*?\*\//g, ' ').trimStart();
  return (/^[A-Za-z_]+/.exec(code)?.[0] ?? '').toUpperCase();
}
