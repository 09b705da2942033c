/**
 * Chevrotain's error messages, replaced: the parser's errorMessageProvider encodes what was expected as a JSON list
 * of SQL spellings, which parse-errors.ts uses when it cannot compute a fuller list (it never shows chevrotain's text).
 */
import { tokenLabel, type IParserErrorMessageProvider, type TokenType } from 'chevrotain';

function labels(paths: readonly (readonly TokenType[])[]): string {
  const firsts = paths.map((path) => path[0]).filter((t): t is TokenType => t !== undefined);
  return JSON.stringify([...new Set(firsts.map((t) => tokenLabel(t)))]);
}

export const EXPECTED_AS_JSON: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected }) => JSON.stringify([tokenLabel(expected)]),
  buildNotAllInputParsedMessage: () => JSON.stringify([]),
  buildNoViableAltMessage: ({ expectedPathsPerAlt }) => labels(expectedPathsPerAlt.flat()),
  buildEarlyExitMessage: ({ expectedIterationPaths }) => labels(expectedIterationPaths),
};

/** The labels a chevrotain exception's message carries (see EXPECTED_AS_JSON); [] when it carries none. */
export function expectedFromMessage(message: string): string[] {
  try {
    const parsed: unknown = JSON.parse(message);
    return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}
