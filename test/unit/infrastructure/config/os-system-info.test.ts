import * as os from 'node:os';
import { describe, expect, it } from 'vitest';
import { OsSystemInfo } from '../../../../src/infrastructure/config/os-system-info';

describe('OsSystemInfo', () => {
  it('reports the physical memory of this machine', () => {
    const total = new OsSystemInfo().totalMemoryBytes();
    expect(total).toBe(os.totalmem());
    expect(Number.isSafeInteger(total) && total > 0).toBe(true);
  });
});
