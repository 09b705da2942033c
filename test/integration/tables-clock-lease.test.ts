/**
 * Timestamps stay increasing across a restart on a machine clock that went back (an NTP step, a restored VM): the
 * node stores a clock lease in `<workDir>/clock` and starts past it. Rows committed before the restart are seen by
 * reads after it and can be updated; a damaged lease file is DATA_CORRUPTION naming it, and nothing is changed.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openNode } from '../../src/interfaces/api/index';
import { TOKENS } from '../../src/interfaces/composition/tokens';
import { tempDir } from '../support/temp-dir';

type Row = { id: number; v: string };

function openAt(workDir: string, clock: { now: number }) {
  return openNode({ workDir }, { configure: (c) => c.rebind(TOKENS.Clock).toConstantValue({ nowMillis: () => clock.now }) });
}

describe('the clock lease across restarts', () => {
  it('a node restarted an hour earlier on the wall clock sees and updates the rows committed before', async () => {
    const dir = tempDir();
    try {
      const clock = { now: 1_800_000_000_000 };
      let node = await openAt(dir.path, clock);
      await node.createTable({ name: 't', columns: [{ name: 'id', type: 'INT' }, { name: 'v', type: 'VARCHAR' }], primaryKey: ['id'] });
      for (let i = 0; i < 20; i++) {
        clock.now += 1000;
        await node.table<Row>('t').insert({ id: i, v: `before ${i}` });
      }
      await node.close();

      clock.now -= 3_600_000;
      node = await openAt(dir.path, clock);
      expect(await node.table<Row>('t').get({ id: 19 })).toEqual({ id: 19, v: 'before 19' });
      expect(await node.table<Row>('t').count()).toBe(20);
      await node.table<Row>('t').upsert({ id: 19, v: 'after' });
      await node.transaction(async (tx) => {
        await tx.table<Row>('t').upsert({ id: 3, v: 'after, in a transaction' });
      });
      expect((await node.sql('SELECT v FROM t WHERE id IN (3, 19) ORDER BY id')).rows).toEqual([{ v: 'after, in a transaction' }, { v: 'after' }]);
      await node.close();
    } finally {
      dir.cleanup();
    }
  });

  it('a damaged lease file is DATA_CORRUPTION naming it; the work dir is left as it was', async () => {
    const dir = tempDir();
    try {
      const clock = { now: 1_800_000_000_000 };
      const node = await openAt(dir.path, clock);
      await node.close();
      const path = join(dir.path, 'clock');
      const bytes = readFileSync(path);
      bytes[9] ^= 0xff;
      writeFileSync(path, bytes);
      await expect(openAt(dir.path, clock)).rejects.toMatchObject({ code: 'DATA_CORRUPTION', message: expect.stringContaining(path) });
      expect(readFileSync(path)).toEqual(bytes);
    } finally {
      dir.cleanup();
    }
  });
});
