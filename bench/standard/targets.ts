/** The aimem targets of BENCH.md, checked against the peers measured in the same run (for information only). */
import type { SubjectSummary } from './report';
import { formatRate } from './report';

export function targetLines(ai: SubjectSummary, peers: readonly SubjectSummary[], raw: number): string[] {
  const peer = (id: string) => peers.find((p) => p.id === id);
  const lines: string[] = [];
  const check = (what: string, col: 'insert' | 'point read' | 'range scan', peerId: string, factor: number): void => {
    const p = peer(peerId);
    const a = ai.opsPerSecond[col];
    const b = p?.opsPerSecond[col];
    if (p === undefined || a === undefined || b === undefined) {
      lines.push(`${what}: peer ${peerId} not measured`);
      return;
    }
    const ok = a >= factor * b;
    lines.push(`${what}: ${formatRate(a)} vs ${factor === 1 ? '' : `${factor} × `}${formatRate(b)} (${p.label}) → ` +
      `${(a / b).toFixed(2)}× — ${ok ? 'met' : 'NOT met'}`);
  };
  check('inserts ≥ sorted-btree (Buffer keys)', 'insert', 'btree-buffer', 1);
  check('inserts ≥ 2 × lmdb', 'insert', 'lmdb', 2);
  check('point reads ≥ sorted-btree (Buffer keys)', 'point read', 'btree-buffer', 1);
  check('point reads ≥ 2 × lmdb', 'point read', 'lmdb', 2);
  check('range scans ≥ 5 × lmdb', 'range scan', 'lmdb', 5);
  const m = ai.memoryAfterInsert;
  if (m === null) lines.push('memory ≤ 2 × raw: no region stats (reference engine)');
  else {
    const ratio = m.allocatedBytes / raw;
    lines.push(`memory ≤ 2 × raw: region allocated ${(ratio).toFixed(2)} × raw after insert — ${ratio <= 2 ? 'met' : 'NOT met'}`);
  }
  return lines;
}
