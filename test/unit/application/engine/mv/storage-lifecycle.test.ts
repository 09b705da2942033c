import { describe, expect, it } from 'vitest';
import { StorageLifecycle } from '../../../../../src/application/engine/mv/storage-lifecycle';
import {
  StorageClosedError, StorageDestroyedError, StorageError, StorageRebalanceError,
} from '../../../../../src/domain/shared/errors';

describe('StorageLifecycle', () => {
  it('allows writes but not reads during a rebalance', () => {
    const l = new StorageLifecycle('partition 1 of table 2');
    l.transition('REBALANCE');
    expect(() => l.checkWritable()).not.toThrow();
    expect(() => l.checkRunnable()).toThrow(StorageRebalanceError);
    expect(() => l.checkReadableMeta()).not.toThrow();
  });

  it('refuses everything when closed or destroyed, naming the storage', () => {
    const l = new StorageLifecycle('partition 1 of table 2');
    l.transition('CLOSED');
    expect(() => l.checkWritable()).toThrow(StorageClosedError);
    expect(() => l.checkReadableMeta()).toThrow(/partition 1 of table 2 is closed/);
    l.transition('DESTROYED');
    expect(() => l.checkRunnable()).toThrow(StorageDestroyedError);
  });

  it('refuses reads during cleanup with STORAGE_CLEANUP', () => {
    const l = new StorageLifecycle('p');
    l.transition('CLEANUP');
    try {
      l.checkRunnable();
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(StorageError);
      expect((e as StorageError).code).toBe('STORAGE_CLEANUP');
    }
  });

  it('a cursor opened before a rebalance keeps failing with StorageRebalanceError after the abort', () => {
    const l = new StorageLifecycle('p');
    const openedAt = l.epoch;
    expect(() => l.checkCursor(openedAt)).not.toThrow();
    l.transition('REBALANCE');
    l.transition('RUNNABLE');
    expect(() => l.checkCursor(openedAt)).toThrow(StorageRebalanceError);
    const reopened = l.epoch;
    expect(() => l.checkCursor(reopened)).not.toThrow();
    l.transition('CLOSED');
    expect(() => l.checkCursor(openedAt)).toThrow(StorageRebalanceError);
    expect(() => l.checkCursor(reopened)).toThrow(StorageClosedError);
  });
});
