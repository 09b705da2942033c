/**
 * A program in a real pseudo-terminal: a detached tmux session of a fixed size on a private server (its socket in a
 * directory of the test's own, `-f /dev/null` so no user configuration applies). Keys go in with `send-keys`, the
 * screen comes out with `capture-pane`. Screen waits poll the pane (a terminal has no event to await) until the
 * expected text shows or a deadline passes, then fail with the screen as it was.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';

const SESSION = 'test';

/** Throws a clear error when tmux is not installed (CI installs it: .ci/run). */
export function requireTmux(): void {
  const probe = spawnSync('tmux', ['-V'], { encoding: 'utf8' });
  if (probe.error !== undefined || probe.status !== 0) {
    throw new Error('tmux is required by the SQL shell terminal test and was not found: install it (apt-get install tmux)');
  }
}

export interface TmuxOptions {
  /** The socket's directory (a temporary dir of the test; removed by the test). */
  readonly dir: string;
  readonly cwd: string;
  readonly width: number;
  readonly height: number;
}

export class TmuxSession {
  readonly #socket: string;

  private constructor(socket: string) {
    this.#socket = socket;
  }

  /** Starts `argv` in a new detached session (the tmux server starts with it and ends with the last session). */
  static start(argv: readonly string[], options: TmuxOptions): TmuxSession {
    requireTmux();
    const session = new TmuxSession(join(options.dir, 'tmux.sock'));
    session.#tmux('new-session', '-d', '-s', SESSION, '-x', String(options.width), '-y', String(options.height),
      '-c', options.cwd, argv.map(shellQuote).join(' '));
    return session;
  }

  /** Types `text` literally (no key names). */
  type(text: string): void {
    // tmux reads an argument's trailing ';' as a command separator, even after -l: a trailing ';' goes as its hex code.
    const body = text.endsWith(';') ? text.slice(0, -1) : text;
    if (body !== '') this.#tmux('send-keys', '-t', SESSION, '-l', body);
    if (body !== text) this.#tmux('send-keys', '-t', SESSION, '-H', '3b');
  }

  /** Presses keys by tmux name: 'Enter', 'Tab', 'Up', 'C-d'. */
  press(...keys: string[]): void {
    this.#tmux('send-keys', '-t', SESSION, ...keys);
  }

  /** The visible screen, one string per row, trailing blanks and the empty rows below the last text trimmed. */
  screen(): string[] {
    const rows = this.#tmux('capture-pane', '-p', '-t', SESSION).split('\n').map((l) => l.trimEnd());
    while (rows.length > 0 && rows.at(-1) === '') rows.pop();
    return rows;
  }

  /** True while the program runs (its session closes when it exits). */
  alive(): boolean {
    return spawnSync('tmux', ['-S', this.#socket, 'has-session', '-t', SESSION]).status === 0;
  }

  /** Waits until `test` holds for the screen; returns it. Fails with the screen after `timeoutMs`. */
  async waitForScreen(what: string, test: (screen: string[]) => boolean, timeoutMs = 20_000): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = this.alive() ? this.screen() : [];
      if (test(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; the screen:\n${screen.join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Waits until the screen shows `text` on some row. */
  waitForText(text: string, timeoutMs?: number): Promise<string[]> {
    return this.waitForScreen(JSON.stringify(text), (s) => s.some((row) => row.includes(text)), timeoutMs);
  }

  /** Waits until the program exits. */
  async waitForExit(timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.alive()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for the program to exit; the screen:\n${this.screen().join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Ends the private server and every program in it (only this test's: the socket is the test's own). */
  kill(): void {
    spawnSync('tmux', ['-S', this.#socket, 'kill-server']);
  }

  #tmux(...args: string[]): string {
    return execFileSync('tmux', ['-S', this.#socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
  }
}

function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_./=:,@+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
