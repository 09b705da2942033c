/**
 * Errors of the expression compiler and of evaluation: INVALID_ARGUMENT (InvalidArgumentError, so `instanceof` and
 * `code` work as for the table API) with the source position of the expression at fault. Messages say what was
 * wrong, where, and what to do.
 */
import { InvalidArgumentError } from '../../../domain/shared/errors';
import type { SourcePos } from '../ast';

/** A type error found when compiling, or a value error (overflow, bad cast, division by zero) found when evaluating. */
export class SqlEvalError extends InvalidArgumentError {
  constructor(
    message: string,
    /** 1-based line of the expression at fault (0 when there is none). */
    readonly line: number,
    /** 1-based column of the expression at fault (0 when there is none). */
    readonly column: number,
  ) {
    super(message);
  }
}

/** `<message> at line L, column C`. */
export function evalError(message: string, pos: SourcePos | undefined): SqlEvalError {
  if (pos === undefined) return new SqlEvalError(message, 0, 0);
  return new SqlEvalError(`${message} at line ${pos.line}, column ${pos.column}`, pos.line, pos.column);
}

/** Rethrows an InvalidArgumentError with `pos` appended (errors of shared helpers that know no position). */
export function withPosition(e: unknown, pos: SourcePos | undefined): never {
  if (e instanceof SqlEvalError || !(e instanceof InvalidArgumentError)) throw e;
  throw evalError(e.message, pos);
}
