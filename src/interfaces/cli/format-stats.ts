import type { NodeStats } from '../api/storage-node';

const MIB = 1024 * 1024;

export function formatBytes(n: number): string {
  if (n >= 1024 * MIB) return `${(n / (1024 * MIB)).toFixed(2)} GiB`;
  if (n >= MIB) return `${(n / MIB).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} B`;
}

/** Human-readable stats: one line per profile. */
export function formatStats(stats: NodeStats): string {
  const lines = [
    `work dir: ${stats.workDir ?? '(none: in-memory configuration)'}`,
    `page size: aimem ${stats.pageSizeBytes.aimem} B, aipersist ${stats.pageSizeBytes.aipersist} B`,
    'profiles:',
  ];
  for (const p of stats.profiles) {
    const c = p.config;
    const sizes =
      c.engine === 'aimem'
        ? `initSizeBytes=${c.initSizeBytes} (${formatBytes(c.initSizeBytes)}), maxSizeBytes=${c.maxSizeBytes} (${formatBytes(c.maxSizeBytes)})`
        : `sizeBytes=${c.sizeBytes} (${formatBytes(c.sizeBytes)}), replacementMode=${c.replacementMode}`;
    lines.push(`  ${p.name}  engine=${p.engine}  ${sizes}`);
    if (p.region) {
      const r = p.region;
      lines.push(`    region: ${JSON.stringify(r)}`);
    }
  }
  return lines.join('\n');
}
