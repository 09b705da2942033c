/**
 * A child process for the work-dir lock tests (run with ts-node, see work-dir-child-process.ts). Modes:
 *   hold <dir>                 opens a node on <dir>, prints {"ready":pid}, and keeps it open until killed or
 *                              until its stdin closes (then closes the node and exits).
 *   updates <dir> <tag> <n>    runs the CLI's `config update` n times, each adding profile <tag>_<i>; a refusal with
 *                              WORKDIR_LOCKED is retried after a short random pause. Prints {"acknowledged":[names]}.
 */
import { openNode } from '../../src/interfaces/api/index';
import { main } from '../../src/interfaces/cli/main';

async function hold(dir: string): Promise<void> {
  const node = await openNode({ workDir: dir });
  process.stdout.write(`${JSON.stringify({ ready: process.pid })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => {
    void node.close().then(() => process.exit(0));
  });
}

async function updates(dir: string, tag: string, n: number): Promise<void> {
  const acknowledged: string[] = [];
  let refusals = 0;
  for (let i = 0; i < n; i++) {
    const name = `${tag}_${i}`;
    for (;;) {
      const err: string[] = [];
      const io = { out: () => undefined, err: (l: string) => void err.push(l) };
      const code = await main(['node', 'aistorage', 'config', 'update', `ignite.storage.profiles:{${name}{engine:aimem}}`, '-w', dir], io);
      if (code === 0) {
        acknowledged.push(name);
        break;
      }
      if (!err.join('\n').includes('[WORKDIR_LOCKED]')) throw new Error(`update ${name} failed: ${err.join('\n')}`);
      refusals++;
      await new Promise((r) => setTimeout(r, 1 + Math.floor(Math.random() * 10)));
    }
  }
  process.stdout.write(`${JSON.stringify({ acknowledged, refusals })}\n`);
}

const [mode, dir, tag, n] = process.argv.slice(2);
const run = mode === 'hold' ? hold(dir!) : updates(dir!, tag!, Number(n));
run.catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
