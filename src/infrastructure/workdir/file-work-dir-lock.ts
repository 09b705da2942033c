/**
 * A work directory's lock as a file, `<dir>/aistorage.lock`, holding JSON `{pid, host, processStart, token}`.
 *
 * Create protocol: the holder's record is written whole to a unique temp file (`aistorage.lock.tmp-<pid>-<random>`),
 * then hard-linked to the lock name (`link` fails if the name exists, atomically), so a lock file is never seen
 * half-written. Nothing is fsynced: a lock means nothing after a power loss (every holder died with it).
 *
 * Liveness: a holder on this host is alive while `kill(pid, 0)` finds its process — and, where /proc exists, while
 * that process's start time is the one recorded (a reused pid is not the holder). A holder on another host (a
 * shared file system) cannot be checked and counts as alive; the message says how to remove the file.
 *
 * Takeover of a dead holder's lock, race-free between any number of takers: a taker must first create the marker
 * `aistorage.lock.takeover-<stale token>` exclusively — one winner per stale lock. The winner re-reads the lock;
 * if it is still the stale one it renames its own record over it, else it backs off and starts again. A winner
 * that died holding its marker is itself taken over by a marker one level deeper (`<marker>.<dead pid>`), so a
 * crash at any step never locks the directory out.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { hostname } from 'node:os';
import * as path from 'node:path';
import type { WorkDirLease, WorkDirLock } from '../../domain/ports/work-dir-lock.port';
import { StorageIoError, WorkDirLockedError } from '../../domain/shared/errors';

export const LOCK_FILE_NAME = 'aistorage.lock';
const MARKER_PREFIX = `${LOCK_FILE_NAME}.takeover-`;
const TEMP_PREFIX = `${LOCK_FILE_NAME}.tmp-`;
const MAX_ATTEMPTS = 16;
const MAX_MARKER_DEPTH = 8;

interface LockRecord {
  readonly pid: number;
  readonly host: string;
  /** Start time of the holder's process (/proc/<pid>/stat field 22), or null where /proc does not exist. */
  readonly processStart: string | null;
  readonly token: string;
}

export class FileWorkDirLock implements WorkDirLock {
  acquire(dir: string): WorkDirLease {
    const real = realDir(dir);
    const lockPath = path.join(real, LOCK_FILE_NAME);
    const mine: LockRecord = { pid: process.pid, host: hostname(), processStart: processStart(process.pid), token: randomToken() };
    const text = `${JSON.stringify(mine)}\n`;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if (createExclusive(lockPath, text)) {
        removeLeftovers(real);
        return this.#lease(real, lockPath, mine.token);
      }
      const current = readText(lockPath);
      if (current === null) continue; // released between our create and our read: try again
      const holder = parseRecord(current);
      if (holder !== null && isAlive(holder)) throw lockedError(real, lockPath, holder);
      const markerText = JSON.stringify({ ...mine, token: '' });
      const outcome = takeOver(lockPath, current, text, markerText, markerPath(real, holder, current), 0);
      if (outcome === WON) {
        removeLeftovers(real);
        return this.#lease(real, lockPath, mine.token);
      }
      if (outcome !== AGAIN) throw lockedError(real, lockPath, outcome); // a live process is taking it over
    }
    const last = parseRecord(readText(lockPath) ?? '');
    throw new WorkDirLockedError(
      `work dir '${real}' changed hands ${MAX_ATTEMPTS} times while this node was opening it` +
        `${last === null ? '' : ` (last held by process ${last.pid} on ${last.host})`}; try again`,
      last?.pid ?? -1,
      last?.host ?? '',
    );
  }

  #lease(dir: string, lockPath: string, token: string): WorkDirLease {
    let held = true;
    return {
      dir,
      release: () => {
        if (!held) return;
        held = false;
        try {
          const current = fs.readFileSync(lockPath, 'utf8');
          if (parseRecord(current)?.token !== token) return; // not ours any more
          fs.unlinkSync(lockPath);
        } catch {
          // Left behind, it names a dead process: the next open takes it over at once.
        }
      },
    };
  }
}

/** The directory's real path (symlinks, `.`/`..` and trailing separators resolved). */
function realDir(dir: string): string {
  try {
    return fs.realpathSync.native(dir);
  } catch (e) {
    throw ioError(`cannot resolve work dir '${dir}'`, e);
  }
}

/** Writes `text` to a unique temp file and links it to `target`; false if `target` exists. */
function createExclusive(target: string, text: string): boolean {
  const tmp = tempPath(path.dirname(target));
  try {
    fs.writeFileSync(tmp, text, { flag: 'wx' });
    fs.linkSync(tmp, target);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw ioError(`cannot create '${target}'`, e);
  } finally {
    removeQuietly(tmp);
  }
  return true;
}

const WON = 'won';
const AGAIN = 'again';

/**
 * Replaces the stale lock whose content is `stale` by `text`, if this process wins `marker`. AGAIN when the lock
 * changed meanwhile (the caller starts over and sees the new holder); the live taker's record when another
 * process won the marker (it becomes the holder). `markerText`: this process's record, which a marker holds — created
 * whole (by a link, as the lock is), so a live taker's marker always names it.
 */
function takeOver(
  lockPath: string, stale: string, text: string, markerText: string, marker: string, depth: number,
): typeof WON | typeof AGAIN | LockRecord {
  if (!createExclusive(marker, markerText)) {
    const found = readText(marker);
    if (found === null) return AGAIN; // its taker just finished
    const owner = parseRecord(found);
    // A marker is created whole (by a link), so unparsable content is damage from outside: treat it as dead.
    if (owner !== null && isAlive(owner)) return owner;
    if (depth >= MAX_MARKER_DEPTH) {
      throw new WorkDirLockedError(
        `cannot take over the lock of '${path.dirname(lockPath)}': ${MAX_MARKER_DEPTH} takers died while taking it over; ` +
          `remove ${LOCK_FILE_NAME} and ${MARKER_PREFIX}* files from the directory once no process uses it`,
        owner?.pid ?? -1,
        owner?.host ?? '',
      );
    }
    return takeOver(lockPath, stale, text, markerText, `${marker}.${owner?.pid ?? 'x'}`, depth + 1);
  }
  const tmp = tempPath(path.dirname(lockPath));
  try {
    if (readText(lockPath) !== stale) return AGAIN;
    fs.writeFileSync(tmp, text, { flag: 'wx' });
    fs.renameSync(tmp, lockPath);
    return WON;
  } catch (e) {
    throw ioError(`cannot take over '${lockPath}'`, e);
  } finally {
    removeQuietly(tmp);
    removeQuietly(marker);
  }
}

/**
 * Takeover markers and temp files left by processes that died (their takeover or create is over either way). Only
 * files whose owner is known and dead are removed; runs after every successful acquire and never throws.
 */
function removeLeftovers(dir: string): void {
  for (const name of safeReaddir(dir)) {
    const isTemp = name.startsWith(TEMP_PREFIX);
    if (!isTemp && !name.startsWith(MARKER_PREFIX)) continue;
    const file = path.join(dir, name);
    let owner: Pick<LockRecord, 'pid' | 'host' | 'processStart'> | null;
    try {
      owner = isTemp ? tempOwner(name) : parseRecord(readText(file) ?? '');
    } catch {
      continue;
    }
    if (owner !== null && !isAlive(owner)) removeQuietly(file);
  }
}

function markerPath(dir: string, holder: LockRecord | null, content: string): string {
  const id = holder?.token && /^[0-9a-f]+$/.test(holder.token) ? holder.token : contentId(content);
  return path.join(dir, `${MARKER_PREFIX}${id}`);
}

/** A short stable id of unparsable lock content (a torn file), so takers of that content meet on one marker. */
function contentId(content: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < content.length; i++) h = Math.imul(h ^ content.charCodeAt(i), 0x01000193) >>> 0;
  return `x${h.toString(16)}`;
}

function parseRecord(text: string): LockRecord | null {
  try {
    const r = JSON.parse(text) as Partial<LockRecord>;
    if (!Number.isSafeInteger(r.pid) || typeof r.host !== 'string' || typeof r.token !== 'string') return null;
    return { pid: r.pid!, host: r.host, token: r.token, processStart: typeof r.processStart === 'string' ? r.processStart : null };
  } catch {
    return null;
  }
}

/**
 * True unless the holder is provably gone: on this host, its pid is free or now names another process. Exported for
 * the offline tools (offline-work-dir.ts), which look at the lock without taking it.
 */
export function isAlive(holder: Pick<LockRecord, 'pid' | 'host' | 'processStart'>): boolean {
  if (holder.host !== hostname()) return true;
  if (holder.pid <= 0) return false;
  try {
    process.kill(holder.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  if (holder.processStart === null) return true;
  const now = processStart(holder.pid);
  return now === null || now === holder.processStart;
}

/** Field 22 of /proc/<pid>/stat (start time in clock ticks since boot), or null off Linux. */
function processStart(pid: number): string | null {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) is in parentheses and may contain spaces: count fields after its ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[19] ?? null;
}

function lockedError(dir: string, lockPath: string, holder: LockRecord): WorkDirLockedError {
  const who =
    holder.pid === process.pid && holder.host === hostname()
      ? `another node of this process (pid ${holder.pid}); close that node first`
      : holder.host === hostname()
        ? `process ${holder.pid}; stop it or close its node, or use a different work dir`
        : `process ${holder.pid} on host ${holder.host}; if that host is down, remove ${lockPath}`;
  return new WorkDirLockedError(
    `work dir '${dir}' is in use by ${who}. Read-only commands (config show, stats) still work.`,
    holder.pid,
    holder.host,
  );
}

function tempPath(dir: string): string {
  return path.join(dir, `${TEMP_PREFIX}${process.pid}-${randomToken()}`);
}

/** The owner of a temp file `aistorage.lock.tmp-<pid>-<random>` (on this host), or null if the name is not one. */
function tempOwner(name: string): Pick<LockRecord, 'pid' | 'host' | 'processStart'> | null {
  const pid = Number(name.slice(TEMP_PREFIX.length).split('-')[0]);
  return Number.isSafeInteger(pid) && pid > 0 ? { pid, host: hostname(), processStart: null } : null;
}

function removeQuietly(file: string): void {
  try {
    fs.rmSync(file, { force: true });
  } catch {
    // Left behind, it is removed by a later acquire once its owner is gone.
  }
}


function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw ioError(`cannot read lock file '${file}'`, e);
  }
}

function safeReaddir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

function randomToken(): string {
  return randomBytes(8).toString('hex');
}

function ioError(what: string, e: unknown): StorageIoError {
  const err = e as NodeJS.ErrnoException;
  return new StorageIoError(`${what} (${err.code ?? err.message}); check the directory's permissions and free space`, 'WORKDIR_UNUSABLE');
}
