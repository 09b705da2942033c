import { main } from '../../src/interfaces/cli/main';

/** Runs the CLI in this process as `aistorage <args...>`, capturing its output lines (joined with '\n'). */
export async function runCli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['node', 'aistorage', ...args], { out: (l) => void out.push(l), err: (l) => void err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}
