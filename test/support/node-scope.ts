/**
 * The nodes and temporary work dirs of one test, let go after it: every node kept is closed (in the order kept), then
 * every dir removed. For the integration tests that open nodes on fresh work dirs.
 */
import { afterEach } from 'vitest';
import type { StorageNode } from '../../src/interfaces/api/index';
import { tempDir } from './temp-dir';

export interface NodeScope {
  /** A fresh temporary directory, removed after the test. */
  dir(): string;
  /** Closes `node` after the test (a node the test closed itself is closed again harmlessly). */
  keep(node: StorageNode): StorageNode;
}

export function useNodeScope(): NodeScope {
  const dirs: Array<{ cleanup(): void }> = [];
  const nodes: StorageNode[] = [];
  afterEach(async () => {
    for (const n of nodes.splice(0)) await n.close();
    for (const d of dirs.splice(0)) d.cleanup();
  });
  return {
    dir: () => {
      const d = tempDir();
      dirs.push(d);
      return d.path;
    },
    keep: (node) => {
      nodes.push(node);
      return node;
    },
  };
}
