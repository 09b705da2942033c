import { describe, expect, it } from 'vitest';
import * as L from '../../../../src/domain/page-memory/volatile-page.layout';

describe('volatile page system header layout', () => {
  it('pins offsets and the 32-byte size of the spec', () => {
    expect([L.SYS_GROUP_OFFSET, L.SYS_PAGE_ID_OFFSET, L.SYS_PIN_COUNT_OFFSET, L.SYS_STATE_OFFSET, L.SYS_NEXT_FREE_OFFSET, L.SYS_OWNER_OFFSET, L.SYS_PREV_OFFSET])
      .toEqual([0, 4, 12, 16, 20, 24, 28]);
    expect(L.SYS_HEADER_SIZE).toBe(32);
    expect([L.W_GROUP, L.W_ID_LO, L.W_ID_HI, L.W_PINS, L.W_STATE, L.W_NEXT_FREE, L.W_OWNER, L.W_PREV]).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(L.slotSizeOf(1024)).toBe(1056);
    expect(L.slotSizeOf(16384)).toBe(16416);
  });

  it('has distinct state flags', () => {
    expect(L.STATE_ALLOCATED & L.STATE_FREE).toBe(0);
    expect((L.STATE_ALLOCATED | L.STATE_FREE) & L.STATE_DIRTY).toBe(0);
  });
});
