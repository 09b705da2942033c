/**
 * A child process for the work-dir lock tests (run through test/support/ts-child-require.cjs, see
 * work-dir-child-process.ts). Modes:
 *   hold <dir>                 opens a node on <dir>, prints {"ready":pid}, and keeps it open until killed or
 *                              until its stdin closes (then closes the node and exits).
 *   updates <dir> <tag> <n>    prints {"ready":pid}, waits for a line on stdin (the start signal, so that all
 *                              children run at once), then runs the CLI's `config update` n times, each adding
 *                              profile <tag>_<i>; a refusal with WORKDIR_LOCKED is retried after a short random
 *                              pause. Prints {"acknowledged":[names],"refusals":k}.
 *   cli <args...>              runs the CLI once with <args> and prints {"code":n,"out":"...","err":"..."}.
 *   take <dir>                 prints {"ready":pid}, waits for the start signal, then opens a node on <dir> and
 *                              prints {"opened":true} or {"refused":code}. The one that opened holds the node until
 *                              its stdin closes (then closes the node and exits); a refused one exits at once.
 */
import { openNode } from '../../src/interfaces/api/index';
import { runCli } from './run-cli';

async function hold(dir: string): Promise<void> {
  const node = await openNode({ workDir: dir });
  process.stdout.write(`${JSON.stringify({ ready: process.pid })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => {
    void node.close().then(() => process.exit(0));
  });
}

/** Prints that the child is ready and resolves at the first line on stdin. */
function startSignal(): Promise<void> {
  process.stdout.write(`${JSON.stringify({ ready: process.pid })}\n`);
  return new Promise((resolve) => process.stdin.once('data', () => resolve()));
}

async function take(dir: string): Promise<void> {
  await startSignal();
  let node: Awaited<ReturnType<typeof openNode>>;
  try {
    node = await openNode({ workDir: dir });
  } catch (e) {
    process.stdout.write(`${JSON.stringify({ refused: (e as { code?: string }).code ?? String(e) })}\n`);
    process.exit(0);
  }
  // Hold it while the others try, until the test closes stdin. The start signal's once('data') left stdin
  // flowing; resume() keeps it so (so that 'end' fires), and the listener is on before the line the test awaits.
  process.stdin.on('end', () => {
    void node.close().then(() => process.exit(0));
  });
  process.stdin.resume();
  process.stdout.write(`${JSON.stringify({ opened: true })}\n`);
}

async function updates(dir: string, tag: string, n: number): Promise<void> {
  await startSignal();
  const acknowledged: string[] = [];
  let refusals = 0;
  for (let i = 0; i < n; i++) {
    const name = `${tag}_${i}`;
    for (;;) {
      const { code, err } = await runCli('config', 'update', `ignite.storage.profiles:{${name}{engine:aimem}}`, '-w', dir);
      if (code === 0) {
        acknowledged.push(name);
        break;
      }
      if (!err.includes('[WORKDIR_LOCKED]')) throw new Error(`update ${name} failed: ${err}`);
      refusals++;
      await new Promise((r) => setTimeout(r, 1 + Math.floor(Math.random() * 10)));
    }
  }
  process.stdout.write(`${JSON.stringify({ acknowledged, refusals })}\n`);
  process.exit(0);
}

async function cli(args: readonly string[]): Promise<void> {
  process.stdout.write(`${JSON.stringify(await runCli(...args))}\n`);
  process.exit(0);
}

const [mode, dir, tag, n] = process.argv.slice(2);
const run =
  mode === 'hold' ? hold(dir!) : mode === 'take' ? take(dir!) : mode === 'cli' ? cli(process.argv.slice(3)) : updates(dir!, tag!, Number(n));
run.catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
