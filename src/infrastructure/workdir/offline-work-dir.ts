/**
 * Entry check of the offline tools (`aistorage inspect`, `verify`): the work dir exists, and no live node holds it.
 * Unlike FileWorkDirLock.acquire this only looks: it creates no lock file, takes no dead holder's lock over and
 * removes no leftovers — a crashed work dir stays exactly as the crash left it.
 *
 * Liveness is judged by file-work-dir-lock.ts's own rule (pid alive and, where /proc exists, the same process start
 * time; a holder on another host counts as alive). The check is a snapshot: a node that opens the directory after it is not seen (the files then change
 * under the tool, which reports what it read).
 */
import * as fs from 'node:fs';
import { hostname } from 'node:os';
import * as path from 'node:path';
import { StorageIoError, WorkDirLockedError } from '../../domain/shared/errors';
import { isAlive, LOCK_FILE_NAME } from './file-work-dir-lock';

interface Holder {
  readonly pid: number;
  readonly host: string;
  readonly processStart: string | null;
}

/**
 * The work dir's real path, for reading it offline as `tool` (a command name, for the messages).
 * @throws StorageIoError (WORKDIR_UNUSABLE) when it does not exist or is not a directory; WorkDirLockedError
 *   (WORKDIR_LOCKED) while a live process holds it.
 */
export function checkOfflineWorkDir(dir: string, tool: string): string {
  let real: string;
  try {
    real = fs.realpathSync.native(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new StorageIoError(`cannot ${tool} work dir '${dir}': it cannot be found (${code}); pass the node's work dir with -w <dir>`, 'WORKDIR_UNUSABLE');
  }
  if (!fs.statSync(real).isDirectory()) {
    throw new StorageIoError(`cannot ${tool} work dir '${dir}': it is not a directory; pass the node's work dir with -w <dir>`, 'WORKDIR_UNUSABLE');
  }
  const lockPath = path.join(real, LOCK_FILE_NAME);
  const holder = readHolder(lockPath);
  if (holder !== null && isAlive(holder)) throw lockedError(real, lockPath, holder, tool);
  return real;
}

/** The lock file's holder; null when there is no lock file or its content names no process (a torn file: dead). */
function readHolder(lockPath: string): Holder | null {
  let text: string;
  try {
    text = fs.readFileSync(lockPath, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new StorageIoError(`cannot read lock file '${lockPath}' (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, 'WORKDIR_UNUSABLE');
  }
  try {
    const r = JSON.parse(text) as Partial<Holder>;
    if (!Number.isSafeInteger(r.pid) || typeof r.host !== 'string') return null;
    return { pid: r.pid!, host: r.host, processStart: typeof r.processStart === 'string' ? r.processStart : null };
  } catch {
    return null;
  }
}

function lockedError(dir: string, lockPath: string, holder: Holder, tool: string): WorkDirLockedError {
  const who =
    holder.pid === process.pid && holder.host === hostname()
      ? `a node of this process (pid ${holder.pid}); close that node first`
      : holder.host === hostname()
        ? `process ${holder.pid}; stop it or close its node first`
        : `process ${holder.pid} on host ${holder.host}; stop it first, or if that host is down remove ${lockPath}`;
  return new WorkDirLockedError(
    `work dir '${dir}' is in use by ${who}. '${tool}' reads the files offline and would see them change under it; ` +
      'run it again once no node holds the directory (config show and stats work meanwhile).',
    holder.pid,
    holder.host,
  );
}
