import { constants } from 'node:buffer';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FLAG_DATA } from '../../../../src/domain/page/page-id';
import { PageView } from '../../../../src/domain/page-memory/page-memory.port';
import { DataRegion } from '../../../../src/domain/region/data-region';
import { InvalidArgumentError, OutOfMemoryError } from '../../../../src/domain/shared/errors';
import { ArrayBufferMemoryProvider } from '../../../../src/infrastructure/memory/array-buffer-memory-provider';

describe('ArrayBufferMemoryProvider', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('hands out zero-filled buffers of the exact size', () => {
    const buf = new ArrayBufferMemoryProvider().allocate(4096);
    expect(buf.byteLength).toBe(4096);
    expect(new Uint8Array(buf).every((b) => b === 0)).toBe(true);
  });

  it("knows V8's cap on one buffer", () => {
    expect(ArrayBufferMemoryProvider.MAX_BUFFER_BYTES).toBe(constants.MAX_LENGTH);
    expect(ArrayBufferMemoryProvider.MAX_BUFFER_BYTES).toBeGreaterThanOrEqual(1024 * 1024 * 1024);
  });

  it('refuses sizes that are not byte counts, and buffers above the cap without trying', () => {
    const p = new ArrayBufferMemoryProvider();
    expect(() => p.allocate(-1)).toThrow(InvalidArgumentError);
    expect(() => p.allocate(1.5)).toThrow(InvalidArgumentError);
    expect(() => p.allocate(ArrayBufferMemoryProvider.MAX_BUFFER_BYTES + 1)).toThrow(/exceeds the limit of this Node.js process/);
  });

  it("maps V8's RangeError to an error about the process's memory", () => {
    vi.stubGlobal(
      'ArrayBuffer',
      class extends ArrayBuffer {
        constructor(n: number) {
          if (n > 0) throw new RangeError('Array buffer allocation failed');
          super(n);
        }
      },
    );
    let err: unknown;
    try {
      new ArrayBufferMemoryProvider().allocate(1024);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RangeError);
    expect((err as Error).message).toMatch(/the Node.js process could not get 1024 bytes of memory \(Array buffer allocation failed\)/);
    expect((err as Error).cause).toBeInstanceOf(RangeError);
  });

  it("becomes the region's OutOfMemoryError naming the region and the process's memory", () => {
    const p = new ArrayBufferMemoryProvider();
    const r = new DataRegion({ name: 'cache', pageSize: 1024, initSizeBytes: 1056, maxSizeBytes: 3 * 1056, memory: p });
    r.pageMemory.allocatePage(0, 0, FLAG_DATA);
    vi.stubGlobal(
      'ArrayBuffer',
      class extends ArrayBuffer {
        constructor(n: number) {
          if (n > 0) throw new RangeError('Array buffer allocation failed');
          super(n);
        }
      },
    );
    expect(() => r.pageMemory.allocatePage(0, 0, FLAG_DATA)).toThrow(OutOfMemoryError);
    expect(() => r.pageMemory.allocatePage(0, 0, FLAG_DATA)).toThrow(/Data region 'cache' is out of memory.*Node.js process could not get 2112 bytes/);
    vi.unstubAllGlobals();
    r.pageMemory.allocatePage(0, 0, FLAG_DATA);
    expect(r.stats().segments).toBe(2);
    r.close();
  });

  it('detaches released buffers, so a view kept past close reads nothing', () => {
    const p = new ArrayBufferMemoryProvider();
    const r = new DataRegion({ name: 'cache', pageSize: 1024, initSizeBytes: 4 * 1056, maxSizeBytes: 4 * 1056, memory: p });
    const id = r.pageMemory.allocatePage(0, 0, FLAG_DATA);
    const v = new PageView();
    r.pageMemory.acquireWrite(0, id, v);
    v.dv.setUint32(v.contentOff, 42, true);
    const { buf } = v;
    r.pageMemory.release(v);
    expect(buf.length).toBe(4 * 1056);
    r.close();
    expect(buf.length).toBe(0);
    expect(buf.buffer.byteLength).toBe(0);
  });
});
