import type { ProgressSink } from './progress-bar';

/** Where a CLI command writes: lines to stdout and stderr, and progress (stderr; absent: no progress shown). */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  readonly progress?: ProgressSink;
}
