import * as fs from 'node:fs';

/**
 * Makes a create, rename or unlink in `dir` durable (fsync of the directory). Platforms that cannot open or fsync
 * a directory (Windows) skip it: the operation itself is still atomic there.
 */
export function syncDirectory(dir: string): void {
  let fd: number;
  try {
    fd = fs.openSync(dir, 'r');
  } catch {
    return;
  }
  try {
    fs.fsyncSync(fd);
  } catch {
    // EISDIR/EPERM/EINVAL on platforms without directory fsync.
  } finally {
    fs.closeSync(fd);
  }
}

/** syncDirectory on Node's thread pool; skipped the same way where directories cannot be fsynced. */
export async function syncDirectoryAsync(dir: string): Promise<void> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(dir, 'r');
  } catch {
    return;
  }
  try {
    await handle.sync();
  } catch {
    // EISDIR/EPERM/EINVAL on platforms without directory fsync.
  } finally {
    await handle.close();
  }
}
