/**
 * A TypeScript child process for crash tests: its stdout read line by line, acknowledgement lines counted, and killed
 * with SIGKILL `killDelayMs` after its first acknowledgement (null: left to end — or kill — itself), or when it has
 * not got there within `deadlineMs`. Resolves once it exited and its stdout was read to the end ('close').
 */
import { spawn } from 'node:child_process';
import { ROOT, tsChildArgs } from './ts-child';

export interface KillableChildOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** Whether a stdout line is an acknowledgement. */
  readonly isAck: (line: string) => boolean;
  readonly killDelayMs: number | null;
  readonly deadlineMs: number;
}

export interface ChildEnd {
  readonly lines: readonly string[];
  /** What stdout held after its last newline. */
  readonly partial: string;
  readonly stderr: string;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Killed at the deadline, before its first acknowledgement (or, without a kill delay, before it ended). */
  readonly timedOut: boolean;
  readonly acks: number;
  /** Acknowledgements when the kill was scheduled (-1: never scheduled). */
  readonly acksAtKill: number;
}

export function runKillableChild(script: string, args: readonly string[], o: KillableChildOptions): Promise<ChildEnd> {
  const child = spawn(process.execPath, [...tsChildArgs(script), ...args], { cwd: ROOT, env: o.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let partial = '';
  let stderr = '';
  let acks = 0;
  let acksAtKill = -1;
  let timedOut = false;
  const deadline = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, o.deadlineMs);
  child.stdout.on('data', (d: Buffer) => {
    partial += d.toString();
    for (let nl = partial.indexOf('\n'); nl >= 0; nl = partial.indexOf('\n')) {
      const line = partial.slice(0, nl);
      partial = partial.slice(nl + 1);
      lines.push(line);
      if (o.isAck(line)) acks++;
    }
    if (o.killDelayMs !== null && acksAtKill < 0 && acks > 0 && !timedOut) {
      acksAtKill = acks;
      clearTimeout(deadline);
      setTimeout(() => child.kill('SIGKILL'), o.killDelayMs);
    }
  });
  child.stderr.on('data', (d: Buffer) => void (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(deadline);
      resolve({ lines, partial, stderr, code, signal, timedOut, acks, acksAtKill });
    });
  });
}

/** How a child ended, for a failure message (`late`: what its timeout means, e.g. "not done"). */
export function describeEnd(end: ChildEnd, deadlineMs: number, late: string): string {
  return `child: ${end.timedOut ? `${late} within ${deadlineMs} ms, killed` : `exit ${end.code ?? end.signal}`} after ${end.lines.length} line(s)` +
    `${end.partial === '' ? '' : ` and '${end.partial}'`}; stderr: ${end.stderr}`;
}
