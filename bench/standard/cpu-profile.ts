/** Reads a V8 .cpuprofile (node --cpu-prof) and lists the functions with the most self time, overall or per phase. */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** A time window in µs of the monotonic clock (process.hrtime / 1000: the clock of the profile's timestamps). */
export interface Window {
  readonly startUs: number;
  readonly endUs: number;
}

export function loadProfile(file: string): CpuProfile {
  return JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
}

function frameName(node: ProfileNode): string {
  const f = node.callFrame;
  const where = f.url === '' ? '' : ` ${relative(process.cwd(), f.url.replace(/^file:\/\//, ''))}:${f.lineNumber + 1}`;
  return `${f.functionName || '(anonymous)'}${where}`;
}

/**
 * A markdown table of the `top` functions by self time (ms and % of the window), aggregated by function + file +
 * line; samples outside `window` (when given) are ignored.
 */
export function topSelfTime(profile: CpuProfile, top: number, window?: Window): string {
  const byNode = new Map<number, ProfileNode>(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<string, number>();
  let total = 0;
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i] ?? 0;
    t += dt;
    if (window !== undefined && (t < window.startUs || t > window.endUs)) continue;
    const node = byNode.get(profile.samples[i]!);
    if (node === undefined) continue;
    const key = frameName(node);
    selfUs.set(key, (selfUs.get(key) ?? 0) + dt);
    total += dt;
  }
  const rows = [...selfUs.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  const lines = ['| function | self ms | % |', '|---|---:|---:|'];
  for (const [key, us] of rows) lines.push(`| ${key} | ${(us / 1000).toFixed(0)} | ${((100 * us) / Math.max(1, total)).toFixed(1)} |`);
  lines.push(`| total sampled | ${(total / 1000).toFixed(0)} | 100 |`);
  return lines.join('\n');
}
