/**
 * The clock lease (application/tables/clock-lease.ts) in `<workDir>/clock`, through the FileIo port: 16 bytes,
 * little-endian — magic "AICLK" + format version 1 (6 bytes) | lease end, ms since the epoch (u48) | CRC-32 of
 * bytes 0..12 (u32). Replaced whole (temp file, fdatasync, rename, directory sync), so it is the old or the new lease.
 */
import { crc32 } from 'node:zlib';
import type { ClockLeaseStore } from '../../application/tables/clock-lease';
import { readWholeFile, writeFileAtomically, type FileIo } from '../../domain/ports/file-io.port';
import { DataCorruptionError, StorageIoError } from '../../domain/shared/errors';

const MAGIC = [0x41, 0x49, 0x43, 0x4c, 0x4b, 1]; // "AICLK", version 1
const SIZE = 16;

export class FileClockLeaseStore implements ClockLeaseStore {
  constructor(private readonly io: FileIo, private readonly path: string) {}

  load(): number | null {
    const bytes = readWholeFile(this.io, this.path);
    if (bytes === null) return null;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const valid = bytes.length === SIZE && MAGIC.every((b, i) => bytes[i] === b) && view.getUint32(12, true) === crc32(bytes.subarray(0, 12));
    if (!valid) {
      throw new DataCorruptionError(
        `The clock lease file ${this.path} is damaged (${bytes.length} bytes, bad magic or checksum). It only keeps timestamps ` +
          'increasing across restarts when the machine clock goes back: delete it if this machine\'s clock is right, then open again',
      );
    }
    return view.getUint16(6, true) + view.getUint32(8, true) * 0x10000;
  }

  save(endMillis: number): void {
    const bytes = new Uint8Array(SIZE);
    const view = new DataView(bytes.buffer);
    bytes.set(MAGIC);
    view.setUint16(6, endMillis % 0x10000, true);
    view.setUint32(8, Math.floor(endMillis / 0x10000), true);
    view.setUint32(12, crc32(bytes.subarray(0, 12)), true);
    try {
      writeFileAtomically(this.io, this.path, '', (h) => this.io.write(h, bytes, 0, SIZE, 0));
    } catch (e) {
      throw new StorageIoError(
        `Could not store the clock lease in ${this.path} (${(e as Error).message}): free disk space or fix the I/O error`, 'STORAGE_IO', e,
      );
    }
  }
}
