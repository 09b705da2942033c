/**
 * The machine and the source a benchmark measured, for its report header and its results JSON: figures from the
 * shared, noisy machines only compare with figures from the same CPU, core count and Node, at a known commit.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

export interface SourceState {
  readonly commit: string;
  /** Files of src/ that differed from the commit (another engineer's work in progress) when this was taken. */
  readonly uncommittedSrcFiles: string[];
}

export interface Machine {
  readonly cpuModel: string;
  /** Logical cores Node sees. */
  readonly cores: number;
  readonly totalMemBytes: number;
  readonly node: string;
  readonly platform: string;
  readonly source: SourceState;
}

const repoRoot = join(__dirname, '..');

export function sourceState(): SourceState {
  const git = (...args: string[]): string => spawnSync('git', args, { cwd: repoRoot, encoding: 'utf8' }).stdout ?? '';
  const dirty = git('status', '--porcelain', '--', 'src').split('\n').filter((l) => l.trim() !== '').map((l) => l.slice(3));
  return { commit: git('rev-parse', 'HEAD').trim() || 'unknown', uncommittedSrcFiles: dirty };
}

/** The commit, marked when src/ had uncommitted changes (then the figures are not those of the commit alone). */
export function commitLabel(s: SourceState): string {
  return s.uncommittedSrcFiles.length === 0 ? s.commit : `${s.commit}+uncommitted(${s.uncommittedSrcFiles.join(' ')})`;
}

/** os.cpus() can report an empty or generic model inside VMs; /proc/cpuinfo then sometimes knows more. */
function cpuModel(): string {
  const fromOs = cpus()[0]?.model.trim() ?? '';
  let fromProc = '';
  try {
    fromProc = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? '';
  } catch {
    // Not Linux: os.cpus() is all there is.
  }
  const best = fromProc.length > fromOs.length ? fromProc : fromOs;
  return best === '' ? 'unknown' : best;
}

export function machine(): Machine {
  return {
    cpuModel: cpuModel(),
    cores: cpus().length,
    totalMemBytes: totalmem(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    source: sourceState(),
  };
}

/** One line for a report header. */
export function machineLine(m: Machine): string {
  const gib = (m.totalMemBytes / 1024 ** 3).toFixed(1);
  return `machine: ${m.cpuModel}, ${m.cores} cores, ${gib} GiB RAM, Node ${m.node} (${m.platform}); ` +
    `commit ${commitLabel(m.source)}`;
}
