import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, tsChildArgs } from './ts-child';

const CHILD = join(__dirname, 'work-dir-child.ts');

/** Runs test/support/work-dir-child.ts in a new Node process (TypeScript transpiled as by ts-node, cached: ts-child.ts). */
export function spawnChild(args: readonly string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [...tsChildArgs(CHILD), ...args], { cwd: ROOT });
}

/** The first JSON line the child prints (rejects with its stderr if it exits first). */
export function firstLine<T>(child: ChildProcessWithoutNullStreams): Promise<T> {
  return nthLine<T>(child, 0);
}

const outputs = new WeakMap<ChildProcessWithoutNullStreams, { lines: string[]; err: string; waiters: Array<() => void>; done: string | null }>();

/** The `n`-th (0-based) JSON line the child prints (rejects with its stderr if it exits first). */
export function nthLine<T>(child: ChildProcessWithoutNullStreams, n: number): Promise<T> {
  let o = outputs.get(child);
  if (o === undefined) {
    const state = { lines: [] as string[], err: '', waiters: [] as Array<() => void>, done: null as string | null };
    let partial = '';
    child.stdout.on('data', (d: Buffer) => {
      partial += d.toString();
      for (let nl = partial.indexOf('\n'); nl >= 0; nl = partial.indexOf('\n')) {
        state.lines.push(partial.slice(0, nl));
        partial = partial.slice(nl + 1);
      }
      for (const w of state.waiters.splice(0)) w();
    });
    child.stderr.on('data', (d: Buffer) => (state.err += d.toString()));
    child.on('exit', (code, signal) => {
      state.done = `child exited (${code ?? signal}): ${state.err}`;
      for (const w of state.waiters.splice(0)) w();
    });
    outputs.set(child, (o = state));
  }
  const out = o;
  return new Promise((resolve, reject) => {
    const check = (): void => {
      if (out.lines.length > n) resolve(JSON.parse(out.lines[n]!) as T);
      else if (out.done !== null) reject(new Error(`${out.done} (before line ${n})`));
      else out.waiters.push(check);
    };
    check();
  });
}

export function exited(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}
