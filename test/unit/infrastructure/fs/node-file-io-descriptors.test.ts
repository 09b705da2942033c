/**
 * NodeFileIo keeps at most `maxOpenFiles` descriptors open whatever the number of files: handles of files it closed
 * reopen on use, with the same contents; renames move handles to the new name; a handle whose name was removed or
 * replaced still reads its own file; async writes keep their descriptor until they settle.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { NodeFileIo } from '../../../../src/infrastructure/fs/node-file-io';
import { tempDir } from '../../../support/temp-dir';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

function readAll(io: NodeFileIo, handle: number, length: number): string {
  const buf = new Uint8Array(length);
  const n = io.read(handle, buf, 0, length, 0);
  return new TextDecoder().decode(buf.subarray(0, n));
}

describe('NodeFileIo: a bounded number of open descriptors', () => {
  const dirs: Array<{ path: string; cleanup(): void }> = [];
  afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));

  function dir(): string {
    const d = tempDir();
    dirs.push(d);
    return d.path;
  }

  it('50 files through 4 descriptors: every handle reads and writes its own file', () => {
    const root = dir();
    const io = new NodeFileIo(4);
    const handles = Array.from({ length: 50 }, (_, i) => io.open(`${root}/f${i}`, 'createNew'));
    expect(io.openDescriptors).toBeLessThanOrEqual(4);
    handles.forEach((h, i) => io.write(h, bytes(`file ${i}`), 0, `file ${i}`.length, 0));
    for (let round = 0; round < 2; round++) {
      handles.forEach((h, i) => expect(readAll(io, h, 16)).toBe(`file ${i}`));
      expect(io.openDescriptors).toBeLessThanOrEqual(4);
    }
    handles.forEach((h) => io.sync(h));
    handles.forEach((h) => io.close(h));
    expect(io.openDescriptors).toBe(0);
    expect(readFileSync(`${root}/f49`, 'utf8')).toBe('file 49');
    expect(() => io.read(handles[0]!, new Uint8Array(1), 0, 1, 0)).toThrow(expect.objectContaining({ code: 'EBADF' }));
  });

  it('a rename moves the handle: after its descriptor was closed it reopens under the new name', () => {
    const root = dir();
    const io = new NodeFileIo(1);
    const a = io.open(`${root}/a.tmp`, 'createNew');
    io.write(a, bytes('moved'), 0, 5, 0);
    io.rename(`${root}/a.tmp`, `${root}/a.bin`);
    const b = io.open(`${root}/b`, 'createNew'); // takes the only descriptor: a's closes
    expect(io.openDescriptors).toBe(1);
    expect(readAll(io, a, 8)).toBe('moved');
    io.close(a);
    io.close(b);
  });

  it('a handle whose name is removed or renamed over keeps reading its own file, never the new one', () => {
    const root = dir();
    const io = new NodeFileIo(1);
    const old = io.open(`${root}/seg`, 'createNew');
    io.write(old, bytes('old'), 0, 3, 0);
    const other = io.open(`${root}/other`, 'createNew'); // old's descriptor closes
    writeFileSync(`${root}/spare`, 'new');
    io.rename(`${root}/spare`, `${root}/seg`);
    expect(readAll(io, old, 8)).toBe('old');
    expect(readFileSync(`${root}/seg`, 'utf8')).toBe('new');
    const gone = io.open(`${root}/gone`, 'createNew');
    io.write(gone, bytes('kept'), 0, 4, 0);
    io.remove(`${root}/gone`);
    io.open(`${root}/third`, 'createNew');
    expect(readAll(io, gone, 8)).toBe('kept');
    for (const h of [old, other, gone]) io.close(h);
  });

  it('a descriptor with an async write in flight is not closed under it', async () => {
    const root = dir();
    const io = new NodeFileIo(1);
    const a = io.open(`${root}/a`, 'createNew');
    const big = new Uint8Array(8 << 20).fill(7);
    const writing = io.writeAsync(a, big, 0, big.length, 0);
    const b = io.open(`${root}/b`, 'createNew');
    io.write(b, bytes('b'), 0, 1, 0);
    await writing;
    await io.syncAsync(a);
    io.close(a);
    io.close(b);
    const back = readFileSync(`${root}/a`);
    expect(back.length).toBe(big.length);
    expect(back.every((x) => x === 7)).toBe(true);
  });
});
